from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import Referral
from tests.conftest import make_user
from tracker import roles

pytestmark = pytest.mark.django_db

URL = reverse("referrals:list")


@pytest.fixture
def setup(make_org, make_referral, pal_rep):
    broker = make_org("Metro Brokers", kind="broker", counties=["Hennepin", "Ramsey"])
    navigator = make_org("Lakes Navigators", kind="navigator", counties=["Hennepin"])
    other_rep = make_user("pal.rep2", roles.PAL_REPRESENTATIVE)
    mine = make_referral(organization=broker)
    theirs = make_referral(organization=navigator, by=other_rep)
    in_ramsey = make_referral(organization=broker, county="Ramsey", by=other_rep)
    return {
        "broker": broker,
        "navigator": navigator,
        "mine": mine,
        "theirs": theirs,
        "ramsey": in_ramsey,
    }


def shown(response):
    return [row.record for row in response.context["table"].paginated_rows]


def test_it_shows_a_rep_only_their_own_referrals(client, pal_rep, setup):
    client.force_login(pal_rep)
    assert shown(client.get(URL)) == [setup["mine"]]


def test_it_shows_coordinators_everything(client, pal_coordinator, setup):
    client.force_login(pal_coordinator)
    assert set(shown(client.get(URL))) == {setup["mine"], setup["theirs"], setup["ramsey"]}


@pytest.mark.parametrize(
    "params, expected",
    [
        (lambda s: {"organization": s["navigator"].pk}, ["theirs"]),
        (lambda s: {"county": s["ramsey"].county_id}, ["ramsey"]),
        (lambda s: {"assister_type": "broker"}, ["mine", "ramsey"]),
        (lambda s: {"state": "queued"}, ["mine", "theirs", "ramsey"]),
        (lambda s: {"state": "sent"}, []),
    ],
)
def test_it_filters_for_coordinators(client, pal_coordinator, setup, params, expected):
    client.force_login(pal_coordinator)
    response = client.get(URL, params(setup))
    assert set(shown(response)) == {setup[key] for key in expected}


def mark_sent(referral, days_ago):
    referral.mark_sent(when=timezone.now() - timedelta(days=days_ago))
    referral.save()


def test_it_filters_and_flags_overdue_contacts(client, pal_coordinator, setup):
    mark_sent(setup["mine"], days_ago=10)  # overdue
    mark_sent(setup["theirs"], days_ago=0)  # due in 2 business days
    client.force_login(pal_coordinator)

    response = client.get(URL, {"overdue": "true"})
    assert shown(response) == [setup["mine"]]
    assert "overdue" in response.content.decode()
    assert Referral.objects.get(pk=setup["mine"].pk).is_overdue
    assert not Referral.objects.get(pk=setup["theirs"].pk).is_overdue
    assert setup["mine"] not in shown(client.get(URL, {"overdue": "false"}))


def test_it_lists_without_a_query_per_row(
    client, pal_coordinator, setup, make_referral, django_assert_max_num_queries
):
    for _ in range(10):
        make_referral(organization=setup["broker"])
    client.force_login(pal_coordinator)
    with django_assert_max_num_queries(12):
        client.get(URL)
