"""The search box finds referrals by PAL number, consumer name, phone and email, and assister
organizations by name — each only for those whose lists hold them."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
URL = reverse("search:search")


def search(client, user, q):
    client.force_login(user)
    return client.get(URL, {"q": q})


def found(response, kind):
    return [record.pk for record in getattr(response.context["results"], kind).records]


KEYS = ["ahmed wars", "AHMED WÁRSAME", "Warsame", "612-555-0142", "(612) 555 0142", "6125550142"]
KEYS += ["ahmed.w@example.org", "AHMED.W@EXAMPLE.ORG"]


@pytest.mark.parametrize("q", KEYS)
@pytest.mark.parametrize("who", ["pal_rep", "pal_coordinator", "org_assister"])
def test_it_finds_the_referral_by_every_key_for_those_who_may_see_it(
    client, request, ahmed_referral, q, who
):
    response = search(client, request.getfixturevalue(who), q)
    assert response.status_code == 200
    assert found(response, "referrals") == [ahmed_referral.pk]


@pytest.mark.parametrize("q", [*KEYS, "PAL-{pk:06d}"])
@pytest.mark.parametrize("who", ["other_rep", "other_assister", "csr", "qc_lead"])
def test_it_finds_no_referral_for_those_who_may_not(client, request, ahmed_referral, q, who):
    response = search(client, request.getfixturevalue(who), q.format(pk=ahmed_referral.pk))
    assert response.status_code == 200
    assert found(response, "referrals") == []


def test_an_exact_pal_number_goes_straight_to_the_referral(client, pal_rep, ahmed_referral):
    response = search(client, pal_rep, f"PAL-{ahmed_referral.pk:06d}")
    assert response.status_code == 302
    assert response["Location"] == ahmed_referral.get_absolute_url()


def test_a_coordinator_finds_any_organization(client, pal_coordinator, org, other_org):
    response = search(client, pal_coordinator, "navigator")
    assert sorted(found(response, "organizations")) == sorted([org.pk, other_org.pk])
    assert reverse("referrals:organization", args=[org.pk]) in response.content.decode()


def test_an_assister_finds_only_their_own_organization(
    client, org_assister, other_assister, org, other_org
):
    assert found(search(client, org_assister, "navigator"), "organizations") == [org.pk]
    assert found(search(client, org_assister, "prairie"), "organizations") == []
    assert found(search(client, other_assister, "lakes"), "organizations") == []


@pytest.mark.parametrize("who", ["pal_rep", "csr", "supervisor"])
def test_others_find_no_organization(client, request, org, who):
    assert found(search(client, request.getfixturevalue(who), "lakes"), "organizations") == []
