"""The coordinator's reporting calendar and period pages, and who may reach a report at all:
an assister of one organization gets 404 for another's report, download and uploads."""

import io
from datetime import date

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.urls import reverse

from referrals.models import AssisterReport, ReportingPeriod
from referrals.reporting import reports_for_period
from reports.assister_send import send_report
from reports.models import Upload

from .par import GOOD_ANSWERS, as_upload, download, fill, upload

OE5_TABLE = [
    # Seed, "Reporting rhythm for OE5": sent from – to, report sent, due back.
    ("11/01/2017", "11/15/2017", "11/22/2017", "11/29/2017"),
    ("11/16/2017", "11/29/2017", "12/06/2017", "12/13/2017"),
    ("11/30/2017", "12/13/2017", "12/20/2017", "12/27/2017"),
    ("12/14/2017", "12/27/2017", "01/03/2018", "01/10/2018"),
    ("12/28/2017", "01/10/2018", "01/17/2018", "01/24/2018"),
]
OE5_FORM = {"start": "2017-11-01", "first_end": "2017-11-15", "length": 14, "count": 5}


def _table():
    return [
        tuple(f"{getattr(p, f):%m/%d/%Y}" for f in ("start", "end", "send_on", "due_on"))
        for p in ReportingPeriod.objects.order_by("start")
    ]


def test_the_coordinator_generates_oe5_on_the_calendar_page(client, pal_coordinator):
    client.force_login(pal_coordinator)

    response = client.post(reverse("reports:assister_calendar"), OE5_FORM, follow=True)

    assert _table() == OE5_TABLE
    page = response.content.decode()
    assert "5 periods added, 0 were already there." in page
    assert "11/30/2017 – 12/13/2017" in page


def test_generating_again_adds_nothing_and_an_overlap_is_refused(client, pal_coordinator):
    client.force_login(pal_coordinator)
    client.post(reverse("reports:assister_calendar"), OE5_FORM)

    again = client.post(reverse("reports:assister_calendar"), OE5_FORM, follow=True)
    overlap = client.post(
        reverse("reports:assister_calendar"),
        {**OE5_FORM, "start": "2018-01-05", "first_end": "2018-01-18", "count": 1},
    )

    assert "0 periods added, 5 were already there." in again.content.decode()
    assert overlap.status_code == 200
    assert "would overlap the existing period 12/28/2017–01/10/2018" in overlap.content.decode()
    assert _table() == OE5_TABLE


@pytest.mark.parametrize(
    "form, field, words",
    [
        ({"first_end": "2017-10-01"}, "first_end", "must end on or after its start"),
        ({"count": 0}, "count", "greater than or equal to 1"),
        ({"length": ""}, "length", "This field is required"),
        ({"start": "11/31/2017"}, "start", "Enter a valid date"),
    ],
)
def test_bad_calendar_answers_are_named_and_create_nothing(
    client, pal_coordinator, form, field, words
):
    client.force_login(pal_coordinator)
    response = client.post(reverse("reports:assister_calendar"), {**OE5_FORM, **form})
    assert words in str(response.context["form"].errors[field])
    assert not ReportingPeriod.objects.exists()


def test_the_command_generates_oe5_and_is_idempotent(db):
    out = io.StringIO()
    args = ["--start", "2017-11-01", "--first-end", "2017-11-15", "--length", "14"]
    call_command("generate_reporting_periods", *args, "--count", "5", stdout=out)
    call_command("generate_reporting_periods", *args, "--count", "5", stdout=out)

    assert _table() == OE5_TABLE
    assert "11/01/2017–11/15/2017  send 11/22/2017  due 11/29/2017" in out.getvalue()
    assert out.getvalue().splitlines()[-1] == "0 periods created, 5 already there."
    with pytest.raises(CommandError, match="would overlap"):
        call_command(
            "generate_reporting_periods",
            "--start",
            "2017-11-10",
            "--first-end",
            "2017-11-20",
            "--count",
            "1",
            stdout=out,
        )


@pytest.mark.parametrize("start", ["2017-13-01", "next monday"])
def test_the_command_names_a_bad_date_in_one_line_without_a_traceback(db, capsys, start):
    from referrals.management.commands.generate_reporting_periods import Command

    argv = ["manage.py", "generate_reporting_periods", "--start", start]
    with pytest.raises(SystemExit) as exit_:  # argparse's usage error, not an exception
        Command().run_from_argv([*argv, "--first-end", "2017-11-15", "--count", "1"])
    assert exit_.value.code == 2
    error = capsys.readouterr().err
    assert f"argument --start: “{start}” is not a date; use YYYY-MM-DD." in error
    assert "Traceback" not in error


def test_the_period_page_shows_each_organizations_report_and_sends_the_pending_ones(
    client, pal_coordinator, oe5, period_leads, lakes, mailoutbox
):
    client.force_login(pal_coordinator)
    url = reverse("reports:assister_period", args=[oe5[0].pk])
    page = client.get(url).content.decode()
    assert "Lakes Area Navigators" in page and 'data-status="Pending"' in page
    mailoutbox.clear()

    response = client.post(reverse("reports:assister_period_send", args=[oe5[0].pk]), follow=True)

    assert "1 report sent." in response.content.decode()
    assert [m.to for m in mailoutbox] == [[lakes.lead_email]]
    # Sent in 2017 and due 11/29/2017: it is overdue today.
    assert 'data-status="Overdue"' in response.content.decode()


@pytest.fixture
def two_reports(oe5, sent_report, make_org, make_sent_referral, pal_coordinator, client):
    """Lakes' sent report (its assister is `assister_user`) and North Star's sent report, which
    North Star's coordinator-side upload made returned."""
    north = make_org("North Star Navigators")
    make_sent_referral(organization=north, sent_on=date(2017, 11, 7))
    north_report = next(r for r in reports_for_period(oe5[0]) if r.organization == north)
    north_report = send_report(north_report, by=pal_coordinator)
    client.force_login(pal_coordinator)
    workbook = download(client, north_report)
    fill(workbook, north_report_lead(north_report), **GOOD_ANSWERS)
    upload(client, north_report, as_upload(workbook))
    client.logout()
    return sent_report, north_report, Upload.objects.get(assister_report=north_report)


def north_report_lead(report):
    from reports.assister_report import report_leads

    return report_leads(report).get()


def _endpoints(report, upload_obj):
    return [
        ("get", reverse("reports:assister_report", args=[report.pk])),
        ("get", reverse("reports:assister_report_download", args=[report.pk])),
        ("post", reverse("reports:assister_report_upload", args=[report.pk])),
        ("get", reverse("reports:assister_upload", args=[upload_obj.pk])),
        ("post", reverse("reports:assister_upload_confirm", args=[upload_obj.pk])),
    ]


def test_an_assister_gets_404_for_another_organizations_report_and_uploads(
    client, assister_user, two_reports
):
    _, north_report, north_upload = two_reports
    client.force_login(assister_user)
    for method, url in _endpoints(north_report, north_upload):
        response = getattr(client, method)(url)
        assert response.status_code == 404, (method, url)
    north_upload.refresh_from_db()
    assert north_upload.status == Upload.Status.PREVIEWED
    assert "North Star" not in client.get(reverse("reports:assister_reports")).content.decode()


def test_an_assister_sees_their_own_report(client, assister_user, two_reports):
    lakes_report, _, _ = two_reports
    client.force_login(assister_user)
    listing = client.get(reverse("reports:assister_reports")).content.decode()
    assert reverse("reports:assister_report", args=[lakes_report.pk]) in listing
    page = client.get(reverse("reports:assister_report", args=[lakes_report.pk]))
    assert page.status_code == 200
    assert "Email it again" not in page.content.decode()  # coordinators only


def test_an_assister_does_not_see_a_report_before_it_is_sent(
    client, assister_user, oe5, period_leads
):
    (report,) = reports_for_period(oe5[0])
    client.force_login(assister_user)
    assert client.get(reverse("reports:assister_report", args=[report.pk])).status_code == 404
    url = reverse("reports:assister_report_download", args=[report.pk])
    assert client.get(url).status_code == 404


def test_only_coordinators_send_reports(client, assister_user, sent_report, mailoutbox):
    client.force_login(assister_user)
    mailoutbox.clear()
    response = client.post(reverse("reports:assister_report_send", args=[sent_report.pk]))
    assert response.status_code == 403 and mailoutbox == []


@pytest.mark.parametrize("role_user", ["csr", "pal_rep", "monitor", "qc_lead", "assister_user"])
@pytest.mark.parametrize(
    "url_name",
    ["reports:assister_calendar", "reports:assister_period", "reports:assister_period_send"],
)
def test_coordinator_pages_refuse_other_roles(client, request, role_user, url_name, oe5):
    client.force_login(request.getfixturevalue(role_user))
    args = [] if url_name == "reports:assister_calendar" else [oe5[0].pk]
    method = client.post if url_name.endswith("send") else client.get
    assert method(reverse(url_name, args=args)).status_code == 403


@pytest.mark.parametrize("role_user", ["csr", "pal_rep", "monitor"])
def test_report_pages_refuse_roles_without_reports(client, request, role_user, sent_report):
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(reverse("reports:assister_reports")).status_code == 403
    url = reverse("reports:assister_report", args=[sent_report.pk])
    assert client.get(url).status_code == 403
    assert AssisterReport.objects.get(pk=sent_report.pk).status == AssisterReport.Status.SENT


def _organizations_with_sent_reports(count, period, make_org, make_sent_referral, coordinator):
    start = AssisterReport.objects.count()
    for index in range(count):
        org = make_org(f"Navigators {start + index:02d}")
        make_sent_referral(organization=org, sent_on=date(2017, 11, 6))
    for report in reports_for_period(period):
        send_report(report, by=coordinator)


@pytest.mark.parametrize(
    "url_name, with_pk", [("reports:assister_period", True), ("reports:assister_reports", False)]
)
def test_report_lists_run_the_same_queries_for_2_or_12_organizations(
    client,
    pal_coordinator,
    oe5,
    make_org,
    make_sent_referral,
    url_name,
    with_pk,
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(pal_coordinator)
    url = reverse(url_name, args=[oe5[0].pk] if with_pk else [])
    counts = []
    for more in (2, 10):
        _organizations_with_sent_reports(
            more, oe5[0], make_org, make_sent_referral, pal_coordinator
        )
        client.get(url)  # the period page creates missing reports on its first visit
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert AssisterReport.objects.count() == 12
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize("model", ["reportingperiod", "assisterreport"])
def test_the_django_admin_lists_periods_and_reports_read_only(
    client, admin_user, sent_report, model
):
    client.force_login(admin_user)
    changelist = client.get(reverse(f"admin:referrals_{model}_changelist"))
    assert changelist.status_code == 200 and "11/01/2017–11/15/2017" in changelist.content.decode()
    assert client.get(reverse(f"admin:referrals_{model}_add")).status_code == 403


def test_the_coordinators_report_list_pages_newest_period_first(
    client, pal_coordinator, oe5, make_org
):
    import re

    organizations = [make_org(f"Organization {i:02d}") for i in range(30)]
    for period in oe5[:2]:
        for organization in organizations:
            AssisterReport.objects.create(
                organization=organization, period=period, status=AssisterReport.Status.SENT
            )
    client.force_login(pal_coordinator)

    def rows(page):
        html = client.get(reverse("reports:assister_reports"), {"page": page}).content.decode()
        return re.findall(r"<td>(\d\d/\d\d/\d{4}) – ", html), html

    first, html = rows(1)
    assert len(first) == 50 and "Page 1 of 2" in html
    newest, older = (f"{p.start:%m/%d/%Y}" for p in (oe5[1], oe5[0]))
    assert first[:30] == [newest] * 30 and first[30:] == [older] * 20
    second, _ = rows(2)
    assert second == [older] * 10
    assert rows("not-a-page")[0] == first and rows(99)[0] == second
