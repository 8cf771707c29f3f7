"""The scorecard's issue-14 figures — acceptance rate, median days to accept, decline reasons,
appointments within two weeks — on a season played out step by step through the services on
the days below, against numbers worked out by hand."""

from datetime import date, datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.states import DeclineReason, Resolution
from reports.performance import scorecard
from tracker import roles

from ..conftest import make_user

pytestmark = pytest.mark.django_db


def at(day, hour=10):
    return time_machine.travel(timezone.make_aware(datetime(2017, 11, day, hour)), tick=False)


@pytest.fixture
def season(
    oe5, lakes, make_org, assister_user, pal_coordinator, make_referral, make_sent_referral,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    """Period 1 is 11/01–11/15/2017. Lakes and North are navigators serving Hennepin.

    | lead | sent  | what happened                                            | counts for |
    |------|-------|----------------------------------------------------------|------------|
    | L1   | 11/06 | Lakes accepts 11/06 (0 days); contact 11/07, appointment  | Lakes      |
    |      |       | 11/15 (by 11/20: in time); resolution 11/15              |            |
    | L2   | 11/07 | Lakes accepts 11/09 (2 days); contact 11/09, appointment  | Lakes      |
    |      |       | 11/22 (by 11/21: late)                                    |            |
    | L3   | 11/08 | Lakes declines 11/08 (no capacity); reassigned to North,  | Lakes: a   |
    |      |       | sent 11/08 13:00; North accepts 11/13 (5 days)            | decline;   |
    |      |       |                                                           | North: lead|
    | L4   | 11/09 | no answer yet                                             | Lakes      |
    | L5   | 11/10 | Lakes declines 11/10 (language); not reassigned           | Lakes      |
    | L6   | 11/13 | outcome reported 11/14 (Unable to contact): taken 1 day   | Lakes      |
    | L7   | 11/20 | Lakes declines 11/20 (closed): period 2                   | —          |
    """
    north = make_org("North Star Navigators", counties=["Hennepin"])
    north_assister = make_user("north.assister", roles.ASSISTER)
    north.members.add(north_assister)

    def sent(day):
        with at(day, 9):
            return make_sent_referral(organization=lakes, sent_on=date(2017, 11, day))

    l1, l2, l3, l4, l5, l6 = (sent(day) for day in (6, 7, 8, 9, 10, 13))
    with at(6, 15):
        services.referral_accept(referral=l1, by=assister_user)
    with at(7):
        services.referral_record_contact(
            referral=l1, by=assister_user, contact_date=date(2017, 11, 7),
            appointment_on=date(2017, 11, 15),
        )  # fmt: skip
    with at(15):
        services.referral_record_resolution(
            referral=l1, by=assister_user, resolution=Resolution.ELIGIBLE_MA
        )
    with at(9):
        services.referral_accept(referral=l2, by=assister_user)
        services.referral_record_contact(
            referral=l2, by=assister_user, contact_date=date(2017, 11, 9),
            appointment_on=date(2017, 11, 22),
        )  # fmt: skip
    with at(8, 12):
        services.referral_decline(
            referral=l3, by=assister_user, reason=DeclineReason.NO_CAPACITY, note="Full"
        )
    with at(8, 13), django_capture_on_commit_callbacks(execute=True):
        services.referral_reassign(
            referral=l3, organization=north, by=pal_coordinator, reason="Lakes is full"
        )
    l3.refresh_from_db()
    with at(13):
        services.referral_accept(referral=l3, by=north_assister)
    with at(10, 14):
        services.referral_decline(referral=l5, by=assister_user, reason=DeclineReason.LANGUAGE)
    with at(14):
        services.referral_report_outcome(
            referral=l6, by=pal_coordinator, contact_made=False, contact_date=None,
            resolution=Resolution.UNABLE_TO_CONTACT,
        )  # fmt: skip
    l7 = sent(20)
    with at(20, 11):
        services.referral_decline(referral=l7, by=assister_user, reason=DeclineReason.CLOSED)
    return oe5


def figures(score):
    return (
        score.leads,
        score.accepted,
        score.declined,
        score.acceptance_pct,
        score.median_days_to_accept,
        score.appointments,
        score.appointments_in_time,
        score.appointments_in_time_pct,
    )


def declines(score):
    return {reason: count for reason, count in score.decline_reasons.items() if count}


def test_a_periods_acceptance_and_appointments_match_the_hand_count(season):
    card = scorecard([season[0]], today=date(2017, 11, 30))
    rows = {row.name: row for row in card.rows}
    assert figures(rows["Lakes Area Navigators"]) == (4, 3, 2, 60.0, 1, 2, 1, 50.0)
    assert figures(rows["North Star Navigators"]) == (1, 1, 0, 100.0, 5, 0, 0, None)
    assert figures(card.total) == (5, 4, 2, 66.7, 1.5, 2, 1, 50.0)
    assert declines(rows["Lakes Area Navigators"]) == {"no_capacity": 1, "language": 1}
    assert declines(rows["North Star Navigators"]) == {}
    assert [count for _value, _label, count in card.total.decline_mix] == [1, 1, 0, 0, 0, 0, 0]


def test_a_decline_counts_in_the_period_it_was_made(season):
    card = scorecard(season[:2], today=date(2017, 12, 30))
    lakes = next(row for row in card.rows if row.name == "Lakes Area Navigators")
    assert lakes.declined == 3 and declines(lakes) == {"no_capacity": 1, "language": 1, "closed": 1}
    assert lakes.acceptance_pct == 50.0  # 3 accepted of 6 answered


def test_the_page_and_its_export_show_the_new_figures(client, pal_coordinator, season):
    from io import BytesIO

    from openpyxl import load_workbook

    client.force_login(pal_coordinator)
    page = client.get(reverse("reports:performance"), {"period": season[0].pk}).content.decode()
    assert 'data-figure="acceptance_pct">60.0<' in page
    assert 'data-figure="median_days_to_accept">1<' in page
    assert 'data-figure="appointments_in_time_pct">50.0<' in page
    assert 'data-reason="no_capacity"><th scope="row">No capacity' in page

    response = client.get(reverse("reports:performance_export"), {"period": season[0].pk})
    sheet = load_workbook(BytesIO(b"".join(response.streaming_content))).worksheets[0]
    header = [cell.value for cell in sheet[1]]
    rows = sheet.iter_rows(values_only=True)
    lakes = next(row for row in rows if row[0] == "Lakes Area Navigators")
    assert lakes[header.index("Acceptance rate %")] == 60
    assert lakes[header.index("Declined: Cannot serve the consumer's language")] == 1
    assert lakes[header.index("Appointments within two weeks")] == 1
