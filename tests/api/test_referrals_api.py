"""/api/v1/referrals: a CRM refers a consumer with the New referral page's rules (consent, the
seed's type rule, routing and its explanation, the duplicate warning, the unmet request), and
reads referrals scoped as the pages scope them."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referrals.models import Referral, UnmetRequest
from referrals.states import State

from .referral_fixtures import api_post

pytestmark = pytest.mark.django_db

URL = "/api/v1/referrals"


def answers(**overrides):
    data = {
        "consumer_name": "Ahmed Warsame",
        "phone": "612-555-0199",
        "email": "ahmed@example.org",
        "county": "Hennepin",
        "language": "Somali",
        "has_active_account": True,
        "has_active_application": True,
        "determinations": ["qhp"],
        "reason_for_help": "Wants to compare plans with a broker",
        "guidance_given": "Told him a broker will call within two business days",
        "consent": True,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


@pytest.fixture
def brokers(make_org):
    return [
        make_org("Metro Insurance Enrollment Center", kind="broker"),
        make_org("Twin Cities Broker Enrollment Center", kind="broker"),
    ]


def test_it_creates_the_referral_with_routings_pick_and_explanation(
    client, pal_rep, brokers, make_referral, mailoutbox, django_capture_on_commit_callbacks
):
    make_referral(organization=brokers[0], phone="612-555-0100", email="")  # Metro: one open lead
    client.force_login(pal_rep)
    with django_capture_on_commit_callbacks(execute=True):
        response = api_post(client, URL, answers())
    assert response.status_code == 201, response.json()
    body = response.json()
    routing = body["routing"]
    assert routing["assister_type"] == "broker"
    assert routing["type_reason"] == "QHP determination – refer to a preferred broker."
    assert routing["organization"]["name"] == "Twin Cities Broker Enrollment Center"
    assert [org["name"] for org in routing["offered"]] == [
        "Twin Cities Broker Enrollment Center",
        "Metro Insurance Enrollment Center",
    ]
    assert routing["explanation"][0].startswith("Pre-selected Twin Cities Broker Enrollment")
    referral = Referral.objects.get(pk=body["referral"]["id"])
    assert (referral.created_by, referral.organization, referral.state) == (
        pal_rep,
        brokers[1],
        State.SENT,
    )
    assert body["referral"]["number"] == referral.number
    assert mailoutbox[-1].to == [brokers[1].lead_email]


def test_it_sends_to_the_offered_organization_the_caller_chose(client, pal_rep, brokers):
    client.force_login(pal_rep)
    response = api_post(client, URL, answers(organization=brokers[0].pk))
    assert response.status_code == 201
    assert Referral.objects.get().organization == brokers[0]


def test_it_refuses_an_organization_that_is_not_offered(client, pal_rep, brokers, make_org):
    navigator = make_org("Lakes Area Navigators", kind="navigator")
    client.force_login(pal_rep)
    response = api_post(client, URL, answers(organization=navigator.pk))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["rule"]) == ("organization", "not_offered")
    assert not Referral.objects.exists()


def test_it_refuses_without_consent_naming_the_field(client, pal_rep, brokers):
    client.force_login(pal_rep)
    response = api_post(client, URL, answers(consent=False))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "consent" and "No consent, no referral" in error["message"]
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"consumer_name": None}, "consumer_name"),
        ({"consumer_name": ""}, "consumer_name"),
        ({"consumer_name": "x" * 201}, "consumer_name"),
        ({"phone": "12"}, "phone"),
        ({"email": "not-an-email"}, "email"),
        ({"county": "Atlantis"}, "county"),
        ({"language": "Klingon"}, "language"),
        ({"determinations": []}, "determinations"),
        ({"determinations": ["none", "qhp"]}, "determinations"),
        ({"determinations": ["gold"]}, "determinations.0"),
        ({"reason_for_help": "x" * 1001}, "reason_for_help"),
        ({"guidance_given": None}, "guidance_given"),
        ({"has_active_account": None}, "has_active_account"),
        ({"organization": 0}, "organization"),
        ({"organization": 2**31}, "organization"),
        ({"duplicate_reason": "x" * 1001}, "duplicate_reason"),
        ({"consumer_name": "Ahmed\x00"}, "consumer_name"),
        ({"county": "Hennepin\x00"}, "county"),
        ({"duplicate_reason": "again\x00"}, "duplicate_reason"),
    ],
)
def test_it_refuses_bad_answers_naming_the_field(client, pal_rep, brokers, overrides, field):
    client.force_login(pal_rep)
    response = api_post(client, URL, answers(**overrides))
    assert response.status_code == 422
    assert [error["field"] for error in response.json()["errors"]] == [field]
    assert not Referral.objects.exists()


def test_it_records_an_unmet_request_when_no_organization_is_offered(client, pal_rep, brokers):
    client.force_login(pal_rep)
    response = api_post(client, URL, answers(county="Kittson"))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["rule"]) == ("county", "no_organization")
    unmet = UnmetRequest.objects.get()
    assert (unmet.county.name, unmet.assister_type, unmet.recorded_by) == (
        "Kittson",
        "broker",
        pal_rep,
    )
    assert not Referral.objects.exists()


def test_it_warns_of_a_recent_referral_and_sends_with_a_reason(
    client, pal_rep, brokers, make_referral, make_org
):
    from tracker import roles

    from ..conftest import make_user

    other_rep = make_user("pal.other", roles.PAL_REPRESENTATIVE)
    mine = make_referral(organization=brokers[0], phone="612-555-0199")
    theirs = make_referral(organization=brokers[1], email="ahmed@example.org", by=other_rep)
    client.force_login(pal_rep)

    response = api_post(client, URL, answers())
    assert response.status_code == 409
    body = response.json()
    assert [(e["field"], e["rule"]) for e in body["errors"]] == [("duplicate_reason", "duplicate")]
    # The other rep's referral is named but not linked: the rep may not open it.
    assert {(d["number"], d["id"]) for d in body["duplicates"]} == {
        (mine.number, mine.pk),
        (theirs.number, None),
    }
    assert Referral.objects.count() == 2

    reason = "The first broker could not reach him"
    response = api_post(client, URL, answers(duplicate_reason=reason))
    assert response.status_code == 201
    assert Referral.objects.get(pk=response.json()["referral"]["id"]).duplicate_reason == reason


@pytest.mark.parametrize(
    "who", ["csr", "supervisor", "monitor", "assister_user", "pal_coordinator", None]
)
def test_only_representatives_create_referrals(client, request, brokers, who):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = api_post(client, URL, answers())
    assert response.status_code == (403 if who else 401)
    assert not Referral.objects.exists()


# ---- reading: the pages' scoping ---------------------------------------------------------------
@pytest.fixture
def world(pal_rep, lakes, north, outsider, make_sent_referral):
    """Lakes' lead made by pal_rep, North's lead made by another rep."""
    from tracker import roles

    from ..conftest import make_user

    other_rep = make_user("pal.other", roles.PAL_REPRESENTATIVE)
    return {
        "lakes": make_sent_referral(organization=lakes),
        "north": make_sent_referral(organization=north, by=other_rep),
    }


@pytest.mark.parametrize(
    "who, sees",
    [
        ("pal_coordinator", {"lakes", "north"}),
        ("pal_rep", {"lakes"}),  # their own
        ("assister_user", {"lakes"}),  # their organization's
        ("outsider", {"north"}),  # another organization's assister: only North's
    ],
)
def test_each_role_reads_the_referrals_the_pages_show_it(client, request, world, who, sees):
    client.force_login(request.getfixturevalue(who))
    listed = {item["id"] for item in client.get(URL).json()["items"]}
    assert listed == {world[name].pk for name in sees}
    for name, referral in world.items():
        response = client.get(f"{URL}/{referral.pk}")
        assert response.status_code == (200 if name in sees else 404)
        if name in sees:
            assert response.json()["number"] == referral.number


@pytest.mark.parametrize("who, status", [("csr", 403), ("monitor", 403), (None, 401)])
def test_someone_without_access_reads_no_referral(client, request, world, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get(URL).status_code == status
    assert client.get(f"{URL}/{world['lakes'].pk}").status_code == status


def test_the_list_pages_with_a_cursor_in_constant_queries(
    client, pal_coordinator, lakes, make_sent_referral, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(pal_coordinator)
    made = [make_sent_referral(organization=lakes).pk for _ in range(3)]
    with CaptureQueriesContext(connection) as few:
        client.get(URL)
    made += [make_sent_referral(organization=lakes).pk for _ in range(10)]
    with django_assert_max_num_queries(len(few)):
        first = client.get(URL, {"limit": 10}).json()
    second = client.get(URL, {"limit": 10, "cursor": first["next_cursor"]}).json()
    assert [i["id"] for i in first["items"] + second["items"]] == made
    assert second["next_cursor"] is None


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    payload=st.fixed_dictionaries(
        {},
        optional={
            "consumer_name": st.text(max_size=250) | st.integers() | st.none(),
            "phone": st.text(max_size=40) | st.integers(),
            "email": st.text(max_size=300),
            "county": st.text(max_size=60) | st.sampled_from(["Hennepin", "Kittson"]),
            "language": st.text(max_size=50) | st.sampled_from(["English", "Other"]),
            "has_active_account": st.booleans() | st.text(max_size=5),
            "has_active_application": st.booleans(),
            "determinations": st.lists(st.sampled_from(["none", "ma", "mncare", "qhp", "x"])),
            "reason_for_help": st.text(max_size=1100),
            "guidance_given": st.text(max_size=50),
            "consent": st.booleans() | st.none(),
            "organization": st.integers(min_value=-(2**40), max_value=2**40) | st.text(),
            "duplicate_reason": st.text(max_size=20),
        },
    )
)
def test_no_answers_make_it_fail(client, pal_rep, brokers, payload):
    client.force_login(pal_rep)
    response = api_post(client, URL, payload)
    assert response.status_code in (201, 409, 422), response.content[:300]
    if response.status_code != 201:
        assert all(error["field"] for error in response.json()["errors"])
