import sqlite3
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import RequestFactory

from cases.models import Case, Mco, ProviderTermination
from cases.states import State
from tracker.models import Team, User
from tracker.roles import ALL_ROLES

pytestmark = pytest.mark.usefixtures("debug_on")


def test_it_loads_demo_data_twice_without_duplicates(db):
    out = StringIO()
    call_command("demo", stdout=out)
    counts = (
        User.objects.count(),
        Team.objects.count(),
        Mco.objects.count(),
        ProviderTermination.objects.count(),
        Case.objects.count(),
    )
    call_command("demo", stdout=StringIO())

    assert (
        User.objects.count(),
        Team.objects.count(),
        Mco.objects.count(),
        ProviderTermination.objects.count(),
        Case.objects.count(),
    ) == counts
    assert Mco.objects.count() == 9
    logged_states = {s for s in State.values if s != State.NEW}
    assert set(Case.objects.values_list("state", flat=True)) == logged_states
    for role in ALL_ROLES:
        assert User.objects.filter(groups__name=role).exists(), role
    assert "exchange-demo-2026" in out.getvalue()


def test_it_lets_each_demo_user_log_in(client, db):
    from tracker.demo import DEMO_PASSWORD, DEMO_USERS

    call_command("demo", stdout=StringIO())
    for username, *_ in DEMO_USERS:
        # django-axes checks every authenticate() call for a lockout and needs the request.
        request = RequestFactory().post("/login/")
        assert client.login(request=request, username=username, password=DEMO_PASSWORD), username


def test_it_refuses_to_load_demo_data_with_debug_off(tmp_path):
    from tests.tracker.production import PRODUCTION_ENV, manage

    result = manage("demo", env=PRODUCTION_ENV, tmp_path=tmp_path)

    assert result.returncode != 0
    assert "Refusing to load demo data with DEBUG=0" in result.stderr
    assert "exchange-demo-2026" not in result.stdout + result.stderr
    tables = sqlite3.connect(tmp_path / "db.sqlite3").execute("select name from sqlite_master")
    assert tables.fetchall() == []  # refused before writing anything


def test_it_dates_the_demo_cases_history_back_with_the_cases(db):
    from datetime import timedelta

    from django.utils import timezone
    from django_fsm_log.models import StateLog

    from cases.models import OutreachAttempt

    call_command("demo", stdout=StringIO())
    now = timezone.now()
    for case in Case.objects.all():
        stamps = list(
            StateLog.objects.for_(case).order_by("pk").values_list("timestamp", flat=True)
        )
        assert stamps[0] == case.created_at, case  # logged when the case says it was
        assert stamps == sorted(stamps) and stamps[-1] <= now, case
        if case.created_at < now - timedelta(days=5):
            assert stamps[-1] < now - timedelta(hours=12), case  # not stamped "today"
    for attempt in OutreachAttempt.objects.select_related("case"):
        assert attempt.case.created_at < attempt.recorded_at < now - timedelta(hours=12)
        assert attempt.made_on == timezone.localdate(attempt.recorded_at)
