"""Which leads belong on an organization's Preferred Assister Report for a period."""

from datetime import date, time

import pytest

from referrals import services
from referrals.models import Referral, ReportingPeriod
from referrals.states import State


@pytest.mark.django_db
def test_a_period_holds_the_leads_sent_from_its_start_to_its_end_in_local_time(
    make_org, make_sent_referral, pal_coordinator
):
    period = ReportingPeriod.objects.create(
        start=date(2017, 11, 1),
        end=date(2017, 11, 15),
        send_on=date(2017, 11, 22),
        due_on=date(2017, 11, 29),
    )
    org, other_org = make_org("Lakes Navigators"), make_org("North Star Navigators")

    def lead(day, at=time(12, 0), organization=org):
        return make_sent_referral(organization=organization, sent_on=day, at=at)

    first_minute = lead(period.start, time(0, 0))
    # 23:30 local time is already the next day in UTC: still the period's last day here.
    last_evening = lead(period.end, time(23, 30))
    lead(date(2017, 10, 31), time(23, 59))
    lead(date(2017, 11, 16), time(0, 0))
    lead(date(2017, 11, 5), organization=other_org)
    withdrawn = lead(date(2017, 11, 5))
    services.referral_withdraw(referral=withdrawn, by=pal_coordinator, reason="Entered twice")
    assert first_minute.state == State.SENT

    leads = Referral.objects.filter(organization=org).reported_in(period)

    assert set(leads) == {first_minute, last_evening}
