"""The search box itself: in every page's header, accessible, bounded; any query answered."""

import logging

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tracker import limits
from tracker.log_redaction import RedactSsns

pytestmark = pytest.mark.django_db
URL = reverse("search:search")


@pytest.mark.parametrize("who", ["csr", "qc_lead", "pal_rep", "pal_coordinator", "assister_user"])
def test_every_role_has_the_box_in_the_header(client, request, who):
    client.force_login(request.getfixturevalue(who))
    html = client.get(reverse("home")).content.decode()
    header = html.split("</header>")[0]
    assert 'role="search"' in header
    assert '<label for="header-search"' in header
    assert f'maxlength="{limits.SEARCH_QUERY}"' in header
    assert f'action="{URL}"' in header


def test_an_empty_search_explains_what_to_type(client, csr):
    client.force_login(csr)
    response = client.get(URL)
    assert response.status_code == 200
    assert "Type a case number" in response.content.decode()


def test_a_long_query_is_cut_not_refused(client, csr, maria_case):
    client.force_login(csr)
    response = client.get(URL, {"q": "maría " + "x" * 100_000})
    assert response.status_code == 200


@settings(
    max_examples=40,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    q=st.one_of(
        st.text(st.characters(exclude_categories=["Cs"]), max_size=120),
        st.from_regex(r"(MCO|PAL|mco|pal)?[- #]*[0-9]{0,25}", fullmatch=True),
        st.from_regex(r"[0-9 ()+.-]{0,30}", fullmatch=True),
        st.sampled_from(
            ["%", "_", "\\", "'", "@", "@@", "9" * 5000, "MCO-" + "9" * 30, "٣٣٣", "00\x00"]
        ),
    )
)
def test_any_query_gets_an_answer(client, qc_lead, pal_coordinator, maria_case, q):
    for user in (qc_lead, pal_coordinator):
        client.force_login(user)
        assert client.get(URL, {"q": q}).status_code in (200, 302)


@pytest.mark.parametrize("q", ["00\x00", "maria\x00lopez", "\x00", "410\x07555\x1b0142"])
def test_control_characters_are_searched_as_spaces(client, qc_lead, maria_case, q):
    """PostgreSQL refuses a NUL byte in a text parameter: the fuzz test found a 500 there."""
    client.force_login(qc_lead)
    response = client.get(URL, {"q": q})
    assert response.status_code in (200, 302)
    assert "\x00" not in response.content.decode()


def test_an_ssn_in_a_logged_request_line_is_masked():
    """runserver's request lines (django.server) go through the redacting handler; an SSN in
    a URL-encoded query string is masked like one in plain text."""
    for line in ["GET /search/?q=123-45-6789", "GET /search/?q=123+45+6789", "?q=123%2045%206789"]:
        record = logging.LogRecord("django.server", logging.INFO, "", 0, line, None, None)
        RedactSsns().filter(record)
        assert "6789" in record.msg
        assert "123" not in record.msg.replace("6789", "")


def test_the_request_log_uses_the_redacting_handler(settings):
    server = settings.LOGGING["loggers"]["django.server"]
    assert server["handlers"] == ["console"]
    assert "redact_ssns" in settings.LOGGING["handlers"]["console"]["filters"]


def test_anonymous_visitors_are_sent_to_sign_in(client):
    response = client.get(URL, {"q": "123-45-6789"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
