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
