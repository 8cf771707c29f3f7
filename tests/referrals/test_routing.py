import pytest

from referrals.models import County
from referrals.routing import default_organization, eligible_organizations

pytestmark = pytest.mark.django_db


@pytest.fixture
def hennepin():
    return County.objects.get(name="Hennepin")


def test_it_loads_minnesotas_87_counties():
    assert County.objects.count() == 87
    assert (
        County.objects.filter(
            name__in=["St. Louis", "Lake of the Woods", "Yellow Medicine"]
        ).count()
        == 3
    )


def test_it_offers_only_active_orgs_of_the_type_serving_the_county(make_org, hennepin):
    good = make_org("Good Brokers", kind="broker", counties=["Hennepin", "Ramsey"])
    make_org("Suspended Brokers", kind="broker", counties=["Hennepin"], status="suspended")
    make_org("Navigators Here", kind="navigator", counties=["Hennepin"])
    make_org("Brokers Elsewhere", kind="broker", counties=["Ramsey", "Dakota"])

    offered = list(eligible_organizations(assister_type="broker", county=hennepin))

    assert offered == [good]


@pytest.mark.parametrize(
    "kind, counties, status",
    [
        ("broker", ["Hennepin"], "suspended"),  # suspended
        ("navigator", ["Hennepin"], "active"),  # wrong type
        ("broker", ["Ramsey"], "active"),  # not serving the county
    ],
)
def test_it_never_offers_an_ineligible_org(make_org, hennepin, kind, counties, status):
    make_org("Only One", kind=kind, counties=counties, status=status)
    assert not eligible_organizations(assister_type="broker", county=hennepin).exists()
    assert default_organization(assister_type="broker", county=hennepin) is None


def test_it_preselects_the_org_with_fewest_open_leads(make_org, make_referral, hennepin):
    busy = make_org("A Busy Brokers", kind="broker")
    quiet = make_org("B Quiet Brokers", kind="broker")
    make_referral(organization=busy)
    make_referral(organization=busy)
    make_referral(organization=quiet)

    offered = list(eligible_organizations(assister_type="broker", county=hennepin))

    assert offered == [quiet, busy]
    assert [org.open_leads for org in offered] == [1, 2]
    assert default_organization(assister_type="broker", county=hennepin) == quiet


def test_it_does_not_count_closed_leads_as_open(make_org, make_referral, pal_coordinator, hennepin):
    from referrals import services

    first = make_org("A Brokers", kind="broker")
    second = make_org("B Brokers", kind="broker")
    make_referral(organization=second)
    withdrawn = make_referral(organization=first)
    make_referral(organization=first)
    services.referral_withdraw(referral=withdrawn, by=pal_coordinator, reason="Entered twice")

    # A: one open (one withdrawn); B: one open -> tie broken by name.
    assert default_organization(assister_type="broker", county=hennepin) == first


def test_it_refuses_to_create_a_referral_for_an_ineligible_org(make_org, make_referral):
    from django.core.exceptions import ValidationError

    suspended = make_org("Suspended Brokers", kind="broker", status="suspended")
    with pytest.raises(ValidationError) as error:
        make_referral(organization=suspended, determination_qhp=True)
    assert "organization" in error.value.message_dict
