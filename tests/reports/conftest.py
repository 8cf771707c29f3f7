import pytest

from cases import services


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded sheets are kept under MEDIA_ROOT: keep the tests' copies out of the project."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def true_case(log_case, qc_lead):
    """A case logged by the CSR and vetted true by QC: it waits in the State Monitor hand-off."""

    def _make(**fields):
        case = log_case(**fields)
        return services.case_vet_true(case=case, by=qc_lead)

    return _make


@pytest.fixture
def oe5(db):
    """OE5's reporting calendar, generated the way a coordinator does."""
    from datetime import date

    from referrals.reporting import create_reporting_periods

    periods, _ = create_reporting_periods(
        start=date(2017, 11, 1), first_end=date(2017, 11, 15), length=14, count=5
    )
    return periods


@pytest.fixture
def lakes(make_org, assister_user):
    """A navigator organization whose assister is `assister_user`."""
    org = make_org("Lakes Area Navigators", counties=["Hennepin", "Ramsey"])
    org.members.add(assister_user)
    return org


@pytest.fixture
def period_leads(oe5, lakes, make_sent_referral):
    """Three leads sent to Lakes in OE5's first period (11/06, 11/08, 11/14)."""
    from datetime import date

    return [
        make_sent_referral(organization=lakes, sent_on=date(2017, 11, 6), consumer_name="Ana"),
        make_sent_referral(organization=lakes, sent_on=date(2017, 11, 8), consumer_name="Ben"),
        make_sent_referral(organization=lakes, sent_on=date(2017, 11, 14), consumer_name="Cy"),
    ]


@pytest.fixture
def sent_report(oe5, lakes, period_leads, pal_coordinator, mailoutbox):
    """Lakes' report for OE5's first period, emailed by the coordinator."""
    from referrals.reporting import reports_for_period
    from reports.assister_send import send_report

    (report,) = reports_for_period(oe5[0])
    report = send_report(report, by=pal_coordinator)
    mailoutbox.clear()
    return report


# ---- the MCO dashboard's hand-worked cases (tests/reports/test_mco_dashboard*.py) -------------
@pytest.fixture
def mco_world(
    log_case, csr, other_csr, qc_lead, monitor, supervisor, other_team, settings
):  # fmt: skip
    """Cases taken through the real services at set moments (10:00 Central unless said).

    The period is Monday 11/02/2026 – Sunday 11/15/2026; "today" is Thursday 12/03/2026.
    Holidays on the way: Veterans Day (Wed 11/11) and Thanksgiving (Thu 11/26).
    - A (Alpha): logged Mon 11/02, vetted true Wed 11/04, processed Fri 11/06.
    - B (Alpha): logged Mon 11/02, vetted false Thu 11/05; attempt 1 Mon 11/09 by phone, not
      reached; attempt 2 Tue 11/10 by email, reached (Outreach Completed).
    - C (Beta): logged Tue 11/10 10:00, vetted true 16:00, returned by the State Monitor Thu
      11/12 16:00 (open: returned by monitor).
    - D (Alpha): logged Fri 10/30 (before the period), vetted true Mon 11/09 (open: true
      tracker).
    - E (Alpha): logged Mon 11/16 (after the period), still escalated.
    - F, G (Alpha): logged Tue 12/01 and Wed 11/25, still escalated.
    - H, I (Alpha): logged and vetted false Mon 11/30 and Wed 12/02 (open outreach, no attempt).
    """
    from datetime import date, datetime, time
    from zoneinfo import ZoneInfo

    import time_machine

    from cases.models import Kind

    settings.QUEUE_TARGET_BUSINESS_DAYS = 5
    central = ZoneInfo("America/Chicago")

    def at(month, day, hour=10):
        return time_machine.travel(
            datetime.combine(date(2026, month, day), time(hour), tzinfo=central), tick=False
        )

    def logged(month, day, hour=10, by=csr):
        with at(month, day, hour):
            return log_case(kind=Kind.MCT_SPAN, by=by)

    cases = {}
    cases["A"] = logged(11, 2)
    cases["B"] = logged(11, 2)
    cases["C"] = logged(11, 10, by=other_csr)
    cases["D"] = logged(10, 30)
    cases["E"] = logged(11, 16)
    cases["F"] = logged(12, 1)
    cases["G"] = logged(11, 25)
    cases["H"] = logged(11, 30)
    cases["I"] = logged(12, 2)
    with at(11, 4):
        services.case_vet_true(case=cases["A"], by=qc_lead)
    with at(11, 5):
        services.case_vet_false(case=cases["B"], by=qc_lead, reason="Not a tracker case")
    with at(11, 6):
        services.case_mark_processed(
            case=cases["A"], by=monitor, mmis_date=date(2026, 11, 6), mmis_reference="MM-1"
        )
    with at(11, 9):
        services.case_vet_true(case=cases["D"], by=qc_lead)
        services.case_record_attempt(
            case=cases["B"], by=supervisor, made_on=date(2026, 11, 9), method="phone",
            reached=False,
        )  # fmt: skip
    with at(11, 10):
        services.case_record_attempt(
            case=cases["B"], by=supervisor, made_on=date(2026, 11, 10), method="email",
            reached=True,
        )  # fmt: skip
    with at(11, 10, 16):
        services.case_vet_true(case=cases["C"], by=qc_lead)
    with at(11, 12, 16):
        services.case_return_unprocessed(case=cases["C"], by=monitor, reason="Not eligible")
    with at(11, 30):
        services.case_vet_false(case=cases["H"], by=qc_lead, reason="Not a tracker case")
    with at(12, 2):
        services.case_vet_false(case=cases["I"], by=qc_lead, reason="Not a tracker case")
    for case in cases.values():
        case.refresh_from_db()
    return cases


@pytest.fixture
def busy_world(log_case, csr, other_csr, qc_lead, monitor, supervisor, other_supervisor):
    """60 cases of three CSRs (two teams and none), taken through the real services at random
    moments from 10/12/2026 to today (12/03), any hour of the day, so that stays cross midnights
    and weeks, and outreach is open in both its states. Seeded: the same world every run."""
    import random
    from datetime import date, datetime, time, timedelta
    from zoneinfo import ZoneInfo

    import time_machine

    from cases.models import Kind
    from cases.states import OUTREACH_OPEN
    from tests.conftest import make_user
    from tracker import roles

    central = ZoneInfo("America/Chicago")
    first, today = date(2026, 10, 12), date(2026, 12, 3)
    rng = random.Random(16)
    loner = make_user("csr.solo", roles.CSR)
    outreach_by = {csr.pk: supervisor, other_csr.pk: other_supervisor}
    end = datetime.combine(today, time(23), tzinfo=central)

    def later(moment):
        return moment + timedelta(hours=rng.choice([0.2, 3, 11, 26, 70, 200, 500]))

    for _ in range(60):
        by = rng.choice([csr, csr, other_csr, loner])
        moment = datetime.combine(
            first + timedelta(days=rng.randrange(50)), time(rng.randrange(24), rng.randrange(60)),
            tzinfo=central,
        )  # fmt: skip
        with time_machine.travel(moment, tick=False):
            case = log_case(kind=Kind.MCT_SPAN, by=by)
        steps = []
        roll = rng.random()
        if roll < 0.1:
            steps = [("withdraw", by)]
        elif roll < 0.5:
            decided = rng.choice(["processed", "returned"])
            steps = [("vet_true", qc_lead), (decided, monitor)]
            if decided == "returned":
                steps.append(("require_outreach", qc_lead))
        elif roll < 0.85:
            steps = [("vet_false", qc_lead)]
        if steps and steps[-1][0] in ("vet_false", "require_outreach") and by.pk in outreach_by:
            steps += [("attempt", outreach_by[by.pk])] * rng.randrange(3)
        for name, who in steps:
            moment = later(moment)
            if moment > end:
                break
            case.refresh_from_db()
            if name == "attempt" and case.state not in OUTREACH_OPEN:
                break  # the consumer was reached
            with time_machine.travel(moment, tick=False):
                if name == "withdraw":
                    services.case_withdraw(case=case, by=who, reason="Logged in error")
                elif name == "vet_true":
                    services.case_vet_true(case=case, by=who)
                elif name == "vet_false":
                    services.case_vet_false(case=case, by=who, reason="Not a tracker case")
                elif name == "processed":
                    services.case_mark_processed(
                        case=case, by=who, mmis_date=moment.date(), mmis_reference="MM-1"
                    )
                elif name == "returned":
                    services.case_return_unprocessed(case=case, by=who, reason="Not eligible")
                elif name == "require_outreach":
                    services.case_require_outreach(case=case, by=who)
                else:
                    services.case_record_attempt(
                        case=case, by=who, made_on=moment.date(), method="phone",
                        reached=rng.random() < 0.4,
                    )  # fmt: skip
    return {"teams": (csr.team_id, other_csr.team_id)}
