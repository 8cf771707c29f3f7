"""Scorecard figures on a hand-built season, against numbers worked out by hand below."""

import io
from datetime import date, datetime

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from referrals import services
from referrals.models import AssisterReport
from referrals.reporting import reports_for_period
from reports.performance import scorecard

D = date  # brevity in the tables below

# Lakes (navigator), period 1. Sent → contact due (2 business days; Friday 11/10/2017 is the
# Veterans Day holiday) → answers.
LAKES = [
    # sent, due, contact made, contact date, resolution
    (D(2017, 11, 6), D(2017, 11, 8), True, D(2017, 11, 7), "eligible_ma"),  # 1 day, in time
    (D(2017, 11, 8), D(2017, 11, 13), True, D(2017, 11, 13), "appointment_scheduled"),  # 5, in time
    (D(2017, 11, 14), D(2017, 11, 16), True, D(2017, 11, 20), "eligible_mncare"),  # 6, late
    (D(2017, 11, 14), D(2017, 11, 16), False, None, "unable_to_contact"),
    (D(2017, 11, 15), D(2017, 11, 17), None, None, ""),  # no outcome yet
]
# Metro (broker), period 1.
METRO = [
    (D(2017, 11, 2), D(2017, 11, 6), True, D(2017, 11, 3), "enrolled_qhp"),  # 1 day, in time
    (D(2017, 11, 9), D(2017, 11, 14), True, D(2017, 11, 14), "eligible_qhp_no_enrollment"),  # 5
]


@pytest.fixture
def season(oe5, make_org, make_sent_referral, pal_coordinator):
    lakes = make_org("Lakes Area Navigators", counties=["Hennepin", "Ramsey"])
    metro = make_org("Metro Brokers", kind="broker", counties=["Hennepin"])
    for org, leads in [(lakes, LAKES), (metro, METRO)]:
        for sent, due, made, on, resolution in leads:
            lead = make_sent_referral(organization=org, sent_on=sent)
            assert lead.contact_due_on == due  # the hand-worked due dates above are right
            if made is not None:
                services.referral_report_outcome(
                    referral=lead,
                    by=pal_coordinator,
                    contact_made=made,
                    contact_date=on,
                    resolution=resolution,
                )
    # Not counted: withdrawn, and (for period 1) a lead of period 2.
    withdrawn = make_sent_referral(organization=metro, sent_on=D(2017, 11, 7))
    services.referral_withdraw(referral=withdrawn, by=pal_coordinator, reason="Duplicate")
    make_sent_referral(organization=metro, sent_on=D(2017, 11, 20))

    lakes_report, metro_report = reports_for_period(oe5[0])
    sent = timezone.make_aware(datetime(2017, 11, 22, 8))
    AssisterReport.objects.filter(pk=lakes_report.pk).update(
        status="returned", sent_at=sent, returned_at=timezone.make_aware(datetime(2017, 11, 28, 9))
    )
    AssisterReport.objects.filter(pk=metro_report.pk).update(status="sent", sent_at=sent)
    reports_for_period(oe5[1])  # Metro's period-2 report: not sent yet
    return oe5


def _figures(score):
    return (
        score.leads,
        score.contacted,
        score.contacted_pct,
        score.contacted_in_time,
        score.in_time_pct,
        score.median_days,
    )


def test_a_periods_scorecard_matches_the_hand_count(season):
    card = scorecard([season[0]], today=D(2017, 11, 28))
    lakes, metro = card.rows

    assert lakes.name == "Lakes Area Navigators"
    assert _figures(lakes) == (5, 3, 60.0, 2, 40.0, 5)  # median of 1, 5, 6
    assert _figures(metro) == (2, 2, 100.0, 2, 100.0, 3)  # median of 1, 5
    assert _figures(card.total) == (7, 5, 71.4, 4, 57.1, 5)  # median of 1, 1, 5, 5, 6
    assert {k: n for k, n in lakes.resolutions.items() if n} == {
        "eligible_ma": 1,
        "appointment_scheduled": 1,
        "eligible_mncare": 1,
        "unable_to_contact": 1,
    }
    assert lakes.not_reported == 1 and sum(lakes.resolutions.values()) == 4
    # Due 11/29/2017: Lakes returned it 11/28; on 11/28 Metro's is out but not yet due.
    assert lakes.reports == {"on_time": 1, "late": 0, "missing": 0, "outstanding": 0, "not_sent": 0}
    assert metro.reports["outstanding"] == 1
    # After the due date Metro's report is missing.
    later = scorecard([season[0]], today=D(2017, 12, 6))
    assert later.rows[1].reports["missing"] == 1 and later.total.reports["on_time"] == 1


def test_a_season_scorecard_adds_the_periods_up(season):
    card = scorecard(season, today=D(2017, 12, 6))
    metro = card.rows[1]
    assert _figures(metro) == (3, 2, 66.7, 2, 66.7, 3)
    assert metro.reports == {"on_time": 0, "late": 0, "missing": 1, "outstanding": 0, "not_sent": 1}


def test_the_performance_page_and_its_export_show_the_figures(client, pal_coordinator, season):
    client.force_login(pal_coordinator)
    url = reverse("reports:performance")

    page = client.get(url, {"period": season[0].pk}).content.decode()

    assert 'data-organization="Metro Brokers"' in page
    assert '<td data-figure="contacted_pct">60.0</td>' in page
    assert '<td data-figure="in_time_pct">57.1</td>' in page  # the total row
    assert "<svg" in page and "Lakes Area Navigators: 60.0% contacted, 40.0% within" in page
    response = client.get(reverse("reports:performance_export"), {"period": season[0].pk})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content)))["PAL scorecard"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=2, values_only=True)}
    header = [cell.value for cell in sheet[1]]
    lakes = dict(zip(header, rows["Lakes Area Navigators"], strict=True))
    assert (lakes["Leads received"], lakes["% contacted"], lakes["Median days to contact"]) == (
        5,
        60.0,
        5,
    )
    assert lakes["Eligible for MA"] == 1 and lakes["Reports: Returned on time"] == 1
    assert rows["All organizations"][header.index("Leads received")] == 7
    # Types as the directory names them, not the stored codes.
    assert lakes["Type"] == "Navigator grantee"
    assert rows["Metro Brokers"][header.index("Type")] == "Broker enrollment center"


def test_the_default_period_is_the_latest_one_whose_reports_went_out(
    client, pal_coordinator, season
):
    client.force_login(pal_coordinator)
    response = client.get(reverse("reports:performance"))
    # Every OE5 period's send date is in the past: the last one is shown.
    assert response.context["chosen"] == str(season[-1].pk)


def test_an_organization_name_cannot_inject_markup_into_the_charts(
    client, pal_coordinator, oe5, make_org, make_sent_referral
):
    org = make_org('<script>alert("x")</script> Navigators')
    make_sent_referral(organization=org, sent_on=D(2017, 11, 6))
    client.force_login(pal_coordinator)
    page = client.get(reverse("reports:performance"), {"period": oe5[0].pk}).content.decode()
    assert "<script>alert" not in page and "&lt;script&gt;alert" in page


@pytest.mark.parametrize("role_user", ["csr", "pal_rep", "assister_user", "monitor", "qc_lead"])
@pytest.mark.parametrize(
    "url_name", ["reports:performance", "reports:performance_export", "reports:coverage"]
)
def test_performance_pages_are_for_coordinators(client, request, role_user, url_name, db):
    client.force_login(request.getfixturevalue(role_user))
    assert client.get(reverse(url_name)).status_code == 403


def test_the_performance_page_runs_the_same_queries_for_2_or_12_organizations(
    client, pal_coordinator, oe5, make_org, make_sent_referral
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(pal_coordinator)
    counts = []
    for batch in (range(2), range(2, 12)):
        for index in batch:
            org = make_org(f"Navigators {index:02d}")
            make_sent_referral(organization=org, sent_on=D(2017, 11, 6))
            make_sent_referral(organization=org, sent_on=D(2017, 11, 7))
        reports_for_period(oe5[0])
        with CaptureQueriesContext(connection) as queries:
            client.get(reverse("reports:performance"), {"period": oe5[0].pk})
        counts.append(len(queries))
    assert counts[0] == counts[1], counts


@pytest.mark.parametrize(
    "url_name, query, message",
    [
        ("reports:performance", {"period": "999999"}, "There is no such reporting period."),
        ("reports:performance", {"period": "²"}, "There is no such reporting period."),
        ("reports:performance_export", {"period": "9" * 30}, "There is no such reporting period."),
        ("reports:coverage", {"since": "2020-13-45"}, "Enter a valid date."),
    ],
)
def test_a_query_it_cannot_use_gets_a_400_that_says_why(
    client, pal_coordinator, db, url_name, query, message
):
    client.force_login(pal_coordinator)
    response = client.get(reverse(url_name), query)
    assert response.status_code == 400
    alert = BeautifulSoup(response.content, "html.parser").find(attrs={"role": "alert"})
    assert alert.get_text(strip=True) == message
    # A list given role="alert" is no longer a list, and its item is orphaned (axe: listitem).
    assert alert.name != "ul" and alert.find("ul").find("li")
