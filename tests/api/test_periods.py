"""/api/v1/periods: the report calendar and each report's status, for coordinators (all) and an
assister organization's token (its own reports once sent); anyone else is refused."""

from datetime import date

import pytest

from referrals.models import AssisterReport, ReportingPeriod
from tracker import roles


@pytest.fixture
def calendar(make_org):
    north, south = make_org("Northside Navigators"), make_org("Southside Brokers", kind="broker")
    first = ReportingPeriod.objects.create(
        start=date(2026, 11, 1),
        end=date(2026, 11, 14),
        send_on=date(2026, 11, 17),
        due_on=date(2026, 11, 24),
    )
    second = ReportingPeriod.objects.create(
        start=date(2026, 11, 15),
        end=date(2026, 11, 28),
        send_on=date(2026, 12, 1),
        due_on=date(2026, 12, 8),
    )
    sent = AssisterReport.Status.SENT
    reports = {
        "north-1": AssisterReport.objects.create(organization=north, period=first, status=sent),
        "south-1": AssisterReport.objects.create(organization=south, period=first, status=sent),
        "north-2": AssisterReport.objects.create(organization=north, period=second),  # pending
    }
    return {"north": north, "south": south, "first": first, "second": second, **reports}


def _report_ids(body):
    return sorted(report["id"] for period in body for report in period["reports"])


def test_a_coordinator_sees_every_period_and_report(make_token, calendar):
    _, api = make_token(roles.PAL_COORDINATOR)
    body = api.get("/api/v1/periods").json()
    assert [p["id"] for p in body] == [calendar["second"].pk, calendar["first"].pk]
    assert _report_ids(body) == sorted(calendar[k].pk for k in ("north-1", "south-1", "north-2"))
    statuses = {r["id"]: r["status"] for p in body for r in p["reports"]}
    assert statuses[calendar["north-1"].pk] == "overdue"  # sent, past its due date
    assert statuses[calendar["north-2"].pk] == "pending"


def test_an_assister_token_sees_its_organizations_sent_reports_only(make_token, calendar):
    _, api = make_token(roles.ASSISTER, organization=calendar["north"])
    body = api.get("/api/v1/periods").json()
    assert _report_ids(body) == [calendar["north-1"].pk]
    assert api.get(f"/api/v1/periods/{calendar['first'].pk}").status_code == 200
    # The second period holds only its pending report: not theirs to see yet.
    assert api.get(f"/api/v1/periods/{calendar['second'].pk}").status_code == 404


def test_another_organizations_token_does_not_see_them(make_token, calendar, make_org):
    _, api = make_token(roles.ASSISTER, organization=make_org("Elsewhere Help"))
    assert api.get("/api/v1/periods").json() == []
    assert api.get(f"/api/v1/periods/{calendar['first'].pk}").status_code == 404


@pytest.mark.parametrize(
    "role",
    [roles.CSR, roles.SUPERVISOR, roles.QC_LEAD, roles.STATE_MONITOR, roles.PAL_REPRESENTATIVE],
)
def test_roles_without_assister_reports_are_refused(make_token, calendar, role):
    _, api = make_token(role)
    assert api.get("/api/v1/periods").status_code == 403
    assert api.get(f"/api/v1/periods/{calendar['first'].pk}").status_code == 403


def test_an_unknown_period_is_404(make_token, db):
    _, api = make_token(roles.PAL_COORDINATOR)
    assert api.get("/api/v1/periods/99999999999999999999").status_code == 404
    assert api.get("/api/v1/periods/12345").status_code == 404
