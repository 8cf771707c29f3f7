"""Issue 15's "done when", over real HTTP against a running server with nothing but the standard
library and a token: an assister organization's script pulls its new leads, accepts them and
posts outcomes; the exchange's CRM logs a case with the intake form's rules."""

import json
import urllib.error
import urllib.request
from datetime import timedelta
from urllib.parse import urlencode

import pytest
from django.utils import timezone

from api.services import api_token_create
from cases.models import Case
from cases.states import State as CaseState
from referrals.models import Referral
from referrals.states import Resolution, State
from tracker import roles


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


# ---- the tests ---------------------------------------------------------------------------------
def bearer(key: str) -> dict:
    return {"Authorization": f"Bearer {key}"}


@pytest.mark.django_db(transaction=True)
def test_an_organizations_script_pulls_accepts_and_reports_its_leads(
    live_server, pal_coordinator, lakes, north, make_sent_referral
):
    sent_on = timezone.localdate() - timedelta(days=1)
    ours = [make_sent_referral(organization=lakes, sent_on=sent_on) for _ in range(3)]
    theirs = make_sent_referral(organization=north, sent_on=sent_on)
    # A PAL Coordinator gives the organization its token on the API tokens page.
    new = api_token_create(
        by=pal_coordinator, name="Lakes case system", role=roles.ASSISTER, organization=lakes
    )
    headers = bearer(new.key)

    cursor, worked = work_new_leads(live_server.url, headers, contact_date=sent_on.isoformat())
    assert worked == [lead.number for lead in ours]
    for lead in Referral.objects.filter(pk__in=[lead.pk for lead in ours]):
        assert (lead.state, lead.resolution, lead.outcome_reported_by) == (
            State.COMPLETED,
            Resolution.ENROLLED_QHP,
            new.token.client,
        )
    assert Referral.objects.get(pk=theirs.pk).state == State.SENT

    # The next run from the kept cursor sees only what was sent since.
    assert work_new_leads(live_server.url, headers, cursor, sent_on.isoformat())[1] == []
    newer = make_sent_referral(organization=lakes)
    today = timezone.localdate().isoformat()
    assert work_new_leads(live_server.url, headers, cursor, today)[1] == [newer.number]


@pytest.mark.django_db(transaction=True)
def test_the_crms_script_logs_a_case_with_the_intakes_rules(live_server, token_admin, mcos):
    new = api_token_create(by=token_admin, name="Exchange CRM", role=roles.CSR)
    body = {
        "kind": "mct_span",
        "target_mco": mcos["Priority Partners"].pk,
        "consumer_phone": "410-555-0142",
        "participants": [{"name": "Ana Ruiz", "ma_number": "30000000001", "ssn": "587-65-4321"}],
    }
    logged = call(live_server.url, bearer(new.key), "POST", "/api/v1/cases", body)
    case = Case.objects.get(pk=logged["id"])
    assert (case.state, case.csr) == (CaseState.ESCALATED, new.token.client)
    assert logged["participants"][0]["ssn"] == "***-**-4321"

    # The same consumer again: the intake's duplicate warning, then logged with a reason.
    with pytest.raises(urllib.error.HTTPError) as warned:
        call(live_server.url, bearer(new.key), "POST", "/api/v1/cases", body)
    assert warned.value.code == 409
    assert json.load(warned.value)["errors"][0]["rule"] == "duplicate"
    again = {**body, "duplicate_reason": "Second MCO change this month"}
    assert call(live_server.url, bearer(new.key), "POST", "/api/v1/cases", again)["id"] != case.pk
