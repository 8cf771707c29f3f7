"""Field history of assister organizations and referrals on their pages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import County
from referrals.states import Resolution

pytestmark = pytest.mark.django_db


def _edit(client, org, **overrides):
    data = {
        "name": org.name,
        "kind": org.kind,
        "lead_email": org.lead_email,
        "phone": org.phone,
        "counties": [c.pk for c in org.counties.all()],
        "note": "",
        **overrides,
    }
    response = client.post(reverse("referrals:organization_edit", args=[org.pk]), data)
    assert response.status_code == 302


def _changes(entry):
    return {(c.label, c.old, c.new) for c in entry["changes"]}


def test_it_shows_who_changed_an_organizations_fields(client, pal_coordinator, make_org):
    org = make_org("Lakes Area Navigators", lead_email="old@lakes.example.org")
    client.force_login(pal_coordinator)
    ramsey = County.objects.get(name="Ramsey")
    _edit(
        client,
        org,
        phone="612-555-0100",
        lead_email="new@lakes.example.org",
        counties=[c.pk for c in org.counties.all()] + [ramsey.pk],
        note="Their email of 11/02",
    )

    response = client.get(org.get_absolute_url())
    # make_org set the counties outside any request: that first edit is the system's.
    edits = [e for e in response.context["history"] if e["title"] == "Edited" and e["by"]]
    changes = set().union(*(_changes(e) for e in edits))
    assert ("Phone", "—", "612-555-0100") in changes
    assert ("Designated lead email", "old@lakes.example.org", "new@lakes.example.org") in changes
    assert ("Counties served", "Hennepin", "added Ramsey") in changes
    assert {e["by"] for e in edits} == {pal_coordinator}
    page = response.content.decode()
    assert 'id="field-history"' in page and "612-555-0100" in page and "added Ramsey" in page


def test_it_shows_a_suspension_with_its_reason(client, pal_coordinator, make_org):
    org = make_org("Lakes Area Navigators")
    client.force_login(pal_coordinator)
    client.post(
        reverse("referrals:organization_suspend", args=[org.pk]),
        {"reason": "Staff shortage"},
    )
    [latest, *_] = client.get(org.get_absolute_url()).context["history"]
    assert ("Status", "Active", "Suspended") in _changes(latest)
    assert latest["reason"] == "Staff shortage" and latest["by"] == pal_coordinator


@pytest.fixture
def sent(make_org, make_referral, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        referral = make_referral(organization=make_org("A Brokers", kind="broker"))
    referral.refresh_from_db()
    return referral


def _report(referral, by, **answers):
    return services.referral_report_outcome(referral=referral, by=by, **answers)


def test_it_shows_a_replaced_outcome_on_the_referral_timeline(client, pal_coordinator, sent):
    today = timezone.localdate()
    _report(
        sent, pal_coordinator, contact_made=True, contact_date=today,
        resolution=Resolution.ENROLLED_QHP,
    )  # fmt: skip
    _report(
        sent, pal_coordinator, contact_made=False, contact_date=None,
        resolution=Resolution.UNABLE_TO_CONTACT,
    )  # fmt: skip
    client.force_login(pal_coordinator)
    timeline = client.get(sent.get_absolute_url()).context["timeline"]

    assert [e["transition"] for e in timeline] == [
        "submit",
        "mark_sent",
        "report_outcome",
        "report_outcome",
    ]  # the edits ride on their transitions: no entry of their own
    assert ("Contact made", "Yes", "No") in _changes(timeline[-1])
    assert ("Resolution", "Enrolled in QHP", "Unable to contact") in _changes(timeline[-1])
    assert ("Contact made", "—", "Yes") in _changes(timeline[-2])
    assert {c.label for c in timeline[1]["changes"]} == {"Sent at", "Contact due"}


def test_it_credits_the_delivery_worker_not_the_rep(sent, pal_rep):
    rows = sent.history.order_by("history_date", "history_id")
    assert [(r.history_change_reason, r.history_user) for r in rows] == [
        (None, pal_rep),
        ("submit", pal_rep),
        ("mark_sent", None),
    ]


def test_the_pages_run_the_same_queries_however_long_the_history(
    client, pal_coordinator, sent, make_org
):
    org = sent.organization
    client.force_login(pal_coordinator)

    def queries(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def edit(n):
        _edit(client, org, phone=f"612-555-01{n:02d}")
        org.refresh_from_db()
        _report(
            sent, pal_coordinator, contact_made=bool(n % 2),
            contact_date=timezone.localdate() if n % 2 else None,
            resolution=Resolution.UNABLE_TO_CONTACT if n % 2 == 0 else Resolution.ENROLLED_QHP,
        )  # fmt: skip

    edit(1)
    few = queries(org.get_absolute_url()), queries(sent.get_absolute_url())
    for n in range(2, 10):
        edit(n)
    assert (queries(org.get_absolute_url()), queries(sent.get_absolute_url())) == few
