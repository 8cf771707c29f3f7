"""Issue 17 part 4: timestamps are shown one way — with their zone — in the app and the admin."""

from datetime import UTC, datetime

from django.contrib.admin.utils import display_for_value
from django.template import Context, Template


def test_it_shows_a_timestamp_with_its_zone_in_central_time_by_default(settings):
    assert settings.TIME_ZONE == "America/Chicago"
    winter = datetime(2026, 11, 24, 22, 8, tzinfo=UTC)
    summer = datetime(2026, 7, 1, 14, 30, tzinfo=UTC)
    template = Template('{{ at }} | {{ at|date:"DATETIME_FORMAT" }} | {{ at.date }}')

    assert template.render(Context({"at": winter})) == (
        "Nov 24, 2026, 4:08 p.m. CST | Nov 24, 2026, 4:08 p.m. CST | 11/24/2026"
    )
    assert template.render(Context({"at": summer})).startswith("Jul 1, 2026, 9:30 a.m. CDT")


def test_it_shows_the_admin_the_same_format_as_the_app():
    at = datetime(2026, 11, 24, 22, 8, tzinfo=UTC)
    app = Template("{{ at }}").render(Context({"at": at}))
    assert display_for_value(at, "—") == app == "Nov 24, 2026, 4:08 p.m. CST"
