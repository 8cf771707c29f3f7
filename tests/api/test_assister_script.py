"""Issue 15's "done when": an assister organization's script, with only the base URL and an
Authorization header, pulls its new leads, accepts them and posts outcomes — over real HTTP
against a running server, with nothing but the standard library.

Until API tokens are merged the script carries a signed-in session (cookie + CSRF header);
with tokens, `headers` in the test becomes {"Authorization": f"Bearer {key}"}: one line."""

import json
import urllib.request
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.conf import settings
from django.utils import timezone
from django.utils.crypto import get_random_string

from referrals.models import Referral
from referrals.states import Resolution, State


# ---- the organization's script: only urllib, a base URL and headers -----------------------------
def call(base_url, headers, method, path, body=None):
    data = json.dumps(body).encode() if body is not None else None
    request = urllib.request.Request(f"{base_url}{path}", data=data, method=method)
    for name, value in {**headers, "Content-Type": "application/json"}.items():
        request.add_header(name, value)
    with urllib.request.urlopen(request, timeout=30) as response:
        return json.load(response)


def work_new_leads(base_url, headers, cursor=None, contact_date=None):
    """Pull every lead sent since `cursor`, accept each new one and report its outcome; returns
    (the cursor to start from next time, the lead numbers worked)."""
    worked = []
    while True:
        query = urlencode({"limit": 2, **({"cursor": cursor} if cursor else {})})
        page = call(base_url, headers, "GET", f"/api/v1/leads?{query}")
        for lead in page["items"]:
            if lead["state"] == "sent":
                call(base_url, headers, "POST", f"/api/v1/leads/{lead['id']}/accept", {})
            outcome = {
                "contact_made": True,
                "contact_date": contact_date,
                "resolution": "enrolled_qhp",
                "comments": "Enrolled in a silver plan",
            }
            call(base_url, headers, "POST", f"/api/v1/leads/{lead['id']}/outcome", outcome)
            worked.append(lead["number"])
        cursor = page["next_cursor"]
        if not page["more"]:
            return cursor, worked


# ---- the test ----------------------------------------------------------------------------------
def session_headers(client, user) -> dict:
    """A signed-in session as the script's credentials (until tokens): the session cookie, and
    a CSRF cookie with the same value in the header, as Django checks on a session's POST."""
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    csrf = get_random_string(32)
    return {
        "Cookie": f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={csrf}",
        "X-CSRFToken": csrf,
    }


@pytest.mark.django_db(transaction=True)
def test_an_organizations_script_pulls_accepts_and_reports_its_leads(
    live_server, client, assister_user, lakes, north, make_sent_referral
):
    sent_on = timezone.localdate() - timedelta(days=1)
    ours = [make_sent_referral(organization=lakes, sent_on=sent_on) for _ in range(3)]
    theirs = make_sent_referral(organization=north, sent_on=sent_on)
    headers = session_headers(client, assister_user)  # tokens: {"Authorization": f"Bearer {key}"}

    cursor, worked = work_new_leads(live_server.url, headers, contact_date=sent_on.isoformat())
    assert worked == [lead.number for lead in ours]
    for lead in Referral.objects.filter(pk__in=[lead.pk for lead in ours]):
        assert (lead.state, lead.resolution, lead.outcome_reported_by) == (
            State.COMPLETED,
            Resolution.ENROLLED_QHP,
            assister_user,
        )
    assert Referral.objects.get(pk=theirs.pk).state == State.SENT

    # The next run from the kept cursor sees only what was sent since.
    assert work_new_leads(live_server.url, headers, cursor, sent_on.isoformat())[1] == []
    newer = make_sent_referral(organization=lakes)
    today = timezone.localdate().isoformat()
    assert work_new_leads(live_server.url, headers, cursor, today)[1] == [newer.number]
