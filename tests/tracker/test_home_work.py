"""The home page shows the day's work (issue 13): per queue, how many wait, the oldest one's
age, how many are past the target (linking to the list filtered to exactly those), and what the
user did last. No link into the Django admin but for Admins."""

from datetime import timedelta

import pytest
import time_machine
from bs4 import BeautifulSoup
from django.urls import reverse
from django.utils import timezone

from cases import services
from referrals.states import State as ReferralState
from tests.conftest import make_user
from tracker import roles
from tracker.business_days import add_business_days


def _home(client, user):
    client.force_login(user)
    return BeautifulSoup(client.get(reverse("home")).content.decode(), "html.parser")


def _line(page, key):
    """The <li> of the queue named `key` on the home page."""
    return page.find(attrs={"data-queue": key}).find_parent("li")


def _logged_business_days_ago(log_case, days, **fields):
    when = timezone.make_aware(
        timezone.datetime.combine(
            add_business_days(timezone.localdate(), -days), timezone.datetime.min.time()
        )
    ) + timedelta(hours=10)
    with time_machine.travel(when, tick=False):
        return log_case(**fields)


def test_the_qc_line_shows_count_oldest_age_and_the_cases_past_target(
    client, qc_lead, log_case, settings
):
    settings.QUEUE_TARGET_BUSINESS_DAYS = 5
    old = _logged_business_days_ago(log_case, 8, kind="for_cause")
    _logged_business_days_ago(log_case, 2, kind="for_cause")
    log_case(kind="for_cause")

    line = _line(_home(client, qc_lead), "cases:qc_queue")
    assert line.find(class_="count").get_text() == "3"
    assert line.find(class_="age").get_text() == "oldest: 8 business days"
    late = line.find("a", class_="late")
    assert late.get_text() == "1 waiting more than 5 business days"

    # The link opens the QC queue filtered to exactly the late case.
    listed = client.get(late["href"]).content.decode()
    assert old.number in listed
    for case in old.__class__.objects.exclude(pk=old.pk):
        assert case.number not in listed


def test_an_empty_queue_says_zero_and_no_age(client, qc_lead, db):
    line = _line(_home(client, qc_lead), "cases:qc_queue")
    assert line.find(class_="count").get_text() == "0"
    assert line.find(class_="age") is None and line.find("a", class_="late") is None


def test_recent_activity_lists_my_own_transitions_with_links(client, qc_lead, monitor, log_case):
    vetted = log_case(kind="for_cause")
    services.case_vet_true(case=vetted, by=qc_lead)
    page = _home(client, qc_lead)
    items = page.select("ul.activity li")
    assert len(items) == 1
    assert items[0].find("a")["href"] == reverse("cases:detail", args=[vetted.pk])
    assert items[0].find("a").get_text() == vetted.number
    # Someone else's home does not show it.
    assert "Nothing yet" in _home(client, monitor).get_text()


@pytest.mark.parametrize(
    "role, sees_admin_link",
    [(role, role == roles.ADMIN) for role in roles.ALL_ROLES],
)
def test_only_admins_get_a_link_into_the_django_admin(client, db, role, sees_admin_link):
    user = make_user(f"user.{role.lower().replace(' ', '')}", role, is_staff=True)
    page = _home(client, user)
    admin_links = [a for a in page.find_all("a") if a["href"].startswith(reverse("admin:index"))]
    assert bool(admin_links) is sees_admin_link


def test_a_coordinator_sees_failed_and_overdue_leads(
    client, pal_coordinator, make_org, make_sent_referral
):
    from referrals.models import Referral

    org = make_org("Lakes Navigators")
    overdue = make_sent_referral(
        organization=org, sent_on=timezone.localdate() - timedelta(days=14)
    )
    make_sent_referral(organization=org)  # sent today: not overdue
    failed = make_sent_referral(organization=org)
    Referral.objects.filter(pk=failed.pk).update(state=ReferralState.FAILED)

    page = _home(client, pal_coordinator)
    assert page.find(attrs={"data-queue": "referrals:failed"}).get_text() == "1"
    assert page.find(attrs={"data-queue": "referrals:overdue"}).get_text() == "1"
    listed = client.get(_line(page, "referrals:overdue").find("a")["href"]).content.decode()
    assert overdue.number in listed and failed.number not in listed


def test_an_assister_sees_awaiting_and_overdue_leads_of_their_organization_only(
    client, assister_user, make_org, make_sent_referral
):
    mine = make_org("Lakes Navigators")
    mine.members.add(assister_user)
    other = make_org("North Star Navigators")
    make_sent_referral(organization=mine, sent_on=timezone.localdate() - timedelta(days=14))
    make_sent_referral(organization=mine)
    make_sent_referral(organization=other, sent_on=timezone.localdate() - timedelta(days=14))

    line = _line(_home(client, assister_user), "portal:home")
    assert line.find(class_="count").get_text() == "2"
    assert line.find("a", class_="late").get_text().startswith("1 contact overdue")


def test_the_home_page_runs_a_fixed_number_of_queries(
    client, admin_user, log_case, qc_lead, django_assert_max_num_queries
):
    client.force_login(admin_user)
    with django_assert_max_num_queries(16) as few:
        client.get(reverse("home"))
    for _ in range(5):
        services.case_vet_true(case=log_case(kind="for_cause"), by=admin_user)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("home"))
