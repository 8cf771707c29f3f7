"""/api/v1/leads: an assister organization's script pulls its new leads since a cursor and
takes the portal's steps on them, under the portal's rules: another organization's lead is a
404, other roles get a 403, a step the state does not allow is a 409, bad answers a 422 naming
the field — and each step leaves the lead exactly as the portal's does."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django_fsm_log.models import StateLog
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from referrals.models import Referral
from referrals.states import DeclineReason, Resolution, State

from .referral_fixtures import SENT_ON, api_post

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def state_of(referral):
    return Referral.objects.get(pk=referral.pk).state


def test_it_lists_the_leads_sent_to_the_organization_in_order_with_a_cursor(
    client, assister_user, lakes, north, make_sent_referral
):
    first = make_sent_referral(organization=lakes, sent_on=SENT_ON - timedelta(days=3))
    second = make_sent_referral(organization=lakes, sent_on=SENT_ON - timedelta(days=1))
    make_sent_referral(organization=north, sent_on=SENT_ON)  # not theirs
    third = make_sent_referral(organization=lakes, sent_on=SENT_ON)
    client.force_login(assister_user)

    page = client.get("/api/v1/leads", {"limit": 2}).json()
    assert [item["id"] for item in page["items"]] == [first.pk, second.pk]
    assert page["more"] is True
    assert page["items"][0]["organization"]["name"] == "Lakes Area Navigators"

    page = client.get("/api/v1/leads", {"cursor": page["next_cursor"], "limit": 2}).json()
    assert [item["id"] for item in page["items"]] == [third.pk]
    assert page["more"] is False

    # Nothing new: the same cursor comes back, and the next lead sent is the next one listed.
    cursor = page["next_cursor"]
    empty = client.get("/api/v1/leads", {"cursor": cursor}).json()
    assert empty["items"] == [] and empty["next_cursor"] == cursor
    fourth = make_sent_referral(organization=lakes)
    page = client.get("/api/v1/leads", {"cursor": cursor}).json()
    assert [item["id"] for item in page["items"]] == [fourth.pk]


def test_a_lead_reassigned_to_the_organization_comes_as_new_after_the_cursor(
    client,
    assister_user,
    pal_coordinator,
    lakes,
    north,
    make_sent_referral,
    django_capture_on_commit_callbacks,
):
    from referrals import services

    older = make_sent_referral(organization=north, sent_on=SENT_ON - timedelta(days=5))
    make_sent_referral(organization=lakes, sent_on=SENT_ON)
    client.force_login(assister_user)
    cursor = client.get("/api/v1/leads").json()["next_cursor"]
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_reassign(
            referral=older, organization=lakes, by=pal_coordinator, reason="North is full"
        )
    page = client.get("/api/v1/leads", {"cursor": cursor}).json()
    assert [item["id"] for item in page["items"]] == [older.pk]


def test_it_filters_the_leads_by_state(client, assister_user, lead, lakes, make_sent_referral):
    other = make_sent_referral(organization=lakes, sent_on=SENT_ON)
    client.force_login(assister_user)
    api_post(client, f"/api/v1/leads/{other.pk}/accept")
    page = client.get("/api/v1/leads", {"state": State.ACCEPTED}).json()
    assert [item["id"] for item in page["items"]] == [other.pk]


def test_the_lead_list_reads_a_constant_number_of_queries(
    client, assister_user, lakes, make_sent_referral, django_assert_max_num_queries
):
    client.force_login(assister_user)

    def queries_for_the_list():
        with CaptureQueriesContext(connection) as context:
            assert client.get("/api/v1/leads").status_code == 200
        return len(context)

    make_sent_referral(organization=lakes, sent_on=SENT_ON)
    few = queries_for_the_list()
    for _ in range(12):
        make_sent_referral(organization=lakes, sent_on=SENT_ON)
    assert queries_for_the_list() == few
    with django_assert_max_num_queries(few):
        page = client.get("/api/v1/leads").json()
    assert len(page["items"]) == 13


def test_it_shows_one_lead_with_the_steps_possible_now(client, assister_user, lead):
    client.force_login(assister_user)
    body = client.get(f"/api/v1/leads/{lead.pk}").json()
    assert body["number"] == lead.number and body["consumer_name"] == "Ana Ortiz"
    assert body["steps"] == ["accept", "decline", "contact", "outcome"]
    api_post(client, f"/api/v1/leads/{lead.pk}/contact", {"contact_date": SENT_ON.isoformat()})
    steps = client.get(f"/api/v1/leads/{lead.pk}").json()["steps"]
    assert steps == ["contact", "resolution", "outcome"]


# ---- access: every endpoint x every role ------------------------------------------------------
ENDPOINTS = [
    ("get", "/api/v1/leads/{pk}", None),
    ("post", "/api/v1/leads/{pk}/accept", {}),
    ("post", "/api/v1/leads/{pk}/decline", {"reason": "no_capacity"}),
    ("post", "/api/v1/leads/{pk}/contact", {"contact_date": SENT_ON.isoformat()}),
    ("post", "/api/v1/leads/{pk}/resolution", {"resolution": "eligible_ma"}),
    (
        "post",
        "/api/v1/leads/{pk}/outcome",
        {"contact_made": True, "contact_date": SENT_ON.isoformat(), "resolution": "eligible_ma"},
    ),
]


def _call(client, method, path, data):
    if method == "get":
        return client.get(path)
    return api_post(client, path, data)


@pytest.mark.parametrize("method, path, data", ENDPOINTS)
@pytest.mark.parametrize(
    "who, status",
    [
        ("outsider", 404),
        ("pal_coordinator", 403),
        ("pal_rep", 403),
        ("csr", 403),
        ("supervisor", 403),
        ("monitor", 403),
        ("admin_user", 403),
        (None, 401),
    ],
)
def test_only_the_leads_organization_may_use_a_lead(
    client, request, lead, method, path, data, who, status
):
    if who:
        client.force_login(request.getfixturevalue(who))
    response = _call(client, method, path.format(pk=lead.pk), data)
    assert response.status_code == status
    assert response.json()["errors"][0]["field"] is None
    assert state_of(lead) == State.SENT


@pytest.mark.parametrize(
    "who, status", [("pal_coordinator", 403), ("pal_rep", 403), ("csr", 403), (None, 401)]
)
def test_only_assisters_list_leads(client, request, lead, who, status):
    if who:
        client.force_login(request.getfixturevalue(who))
    assert client.get("/api/v1/leads").status_code == status


def test_another_organizations_assister_lists_none_of_the_leads(client, outsider, lead):
    client.force_login(outsider)
    assert client.get("/api/v1/leads").json()["items"] == []


# ---- the same steps as the portal -------------------------------------------------------------
APPOINTMENT = SENT_ON + timedelta(days=9)
# Each journey: (portal step or "outcome", portal form data, API step, API JSON) in turn.
JOURNEYS = {
    "accept": [("accept", {}, "accept", {})],
    "decline": [
        (
            "decline",
            {"decline-reason": "no_capacity", "decline-note": "Full until December"},
            "decline",
            {"reason": "no_capacity", "note": "Full until December"},
        )
    ],
    "accept then decline other": [
        ("accept", {}, "accept", {}),
        (
            "decline",
            {"decline-reason": "other", "decline-note": "Consumer moved to Iowa"},
            "decline",
            {"reason": "other", "note": "Consumer moved to Iowa"},
        ),
    ],
    "contact with appointment, then resolution": [
        ("accept", {}, "accept", {}),
        (
            "contact",
            {
                "contact-contact_date": SENT_ON.isoformat(),
                "contact-appointment_on": APPOINTMENT.isoformat(),
            },
            "contact",
            {"contact_date": SENT_ON.isoformat(), "appointment_on": APPOINTMENT.isoformat()},
        ),
        (
            "resolution",
            {"resolution-resolution": "enrolled_qhp", "resolution-comments": "  Silver plan "},
            "resolution",
            {"resolution": "enrolled_qhp", "comments": "  Silver plan "},
        ),
    ],
    "contact without appointment": [
        (
            "contact",
            {"contact-contact_date": TODAY.isoformat()},
            "contact",
            {"contact_date": TODAY.isoformat()},
        ),
    ],
    "outcome reached": [
        (
            "outcome",
            {
                "contact_made": "Y",
                "contact_date": SENT_ON.isoformat(),
                "resolution": "eligible_mncare",
                "comments": "Applied by phone",
            },
            "outcome",
            {
                "contact_made": True,
                "contact_date": SENT_ON.isoformat(),
                "resolution": "eligible_mncare",
                "comments": "Applied by phone",
            },
        )
    ],
    "outcome not reached": [
        (
            "outcome",
            {"contact_made": "N", "resolution": "unable_to_contact"},
            "outcome",
            {"contact_made": False, "resolution": "unable_to_contact"},
        )
    ],
}

COMPARED = [
    "state",
    "contact_made",
    "contact_date",
    "appointment_on",
    "resolution",
    "comments",
    "decline_reason",
    "decline_note",
    "declined_organization_id",
    "organization_id",
    "outcome_reported_by_id",
]


def _facts(referral):
    referral = Referral.objects.get(pk=referral.pk)
    facts = {name: getattr(referral, name) for name in COMPARED}
    facts["accepted"] = referral.accepted_at is not None
    facts["declined"] = referral.declined_at is not None
    facts["transitions"] = list(
        StateLog.objects.for_(referral).order_by("pk").values_list("transition", "state", "by")
    )
    return facts


@pytest.mark.parametrize("journey", JOURNEYS)
def test_each_step_through_the_api_leaves_the_lead_as_the_portal_does(
    client, assister_user, lakes, make_sent_referral, journey
):
    by_portal = make_sent_referral(organization=lakes, sent_on=SENT_ON)
    by_api = make_sent_referral(organization=lakes, sent_on=SENT_ON)
    client.force_login(assister_user)
    for portal_step, form, api_step, payload in JOURNEYS[journey]:
        if portal_step == "outcome":
            portal = client.post(reverse("portal:lead", args=[by_portal.pk]), form)
        else:
            portal = client.post(
                reverse("portal:lead_step", args=[by_portal.pk, portal_step]), form
            )
        assert portal.status_code == 302, portal.content.decode()[:500]
        response = api_post(client, f"/api/v1/leads/{by_api.pk}/{api_step}", payload)
        assert response.status_code == 200, response.json()
        assert response.json()["state"] == state_of(by_portal)
    assert _facts(by_api) == _facts(by_portal)
    assert _facts(by_api)["state"] != State.SENT


# ---- refusals naming the rule and the field ---------------------------------------------------
def test_a_step_the_state_does_not_allow_is_a_409_naming_the_state(client, assister_user, lead):
    client.force_login(assister_user)
    assert api_post(client, f"/api/v1/leads/{lead.pk}/accept").status_code == 200
    response = api_post(client, f"/api/v1/leads/{lead.pk}/accept")
    assert response.status_code == 409
    [error] = response.json()["errors"]
    assert error["rule"] == "state" and "is Accepted" in error["message"]
    assert state_of(lead) == State.ACCEPTED


def test_a_completed_lead_takes_no_new_contact(client, assister_user, lead):
    client.force_login(assister_user)
    api_post(
        client,
        f"/api/v1/leads/{lead.pk}/outcome",
        {"contact_made": True, "contact_date": SENT_ON.isoformat(), "resolution": "eligible_ma"},
    )
    response = api_post(
        client, f"/api/v1/leads/{lead.pk}/contact", {"contact_date": SENT_ON.isoformat()}
    )
    assert response.status_code == 409 and response.json()["errors"][0]["rule"] == "state"
    assert state_of(lead) == State.COMPLETED


@pytest.mark.parametrize(
    "step, payload, field, words",
    [
        ("decline", {}, "reason", "Field required"),
        ("decline", {"reason": "bored"}, "reason", "Input should be"),
        ("decline", {"reason": "other"}, "note", "Say why you decline the lead"),
        ("decline", {"reason": "no_capacity", "note": "x" * 1001}, "note", "at most 1000"),
        ("contact", {}, "contact_date", "Field required"),
        ("contact", {"contact_date": "2017-13-45"}, "contact_date", "valid date"),
        ("contact", {"contact_date": "2999-01-01"}, "contact_date", "is in the future"),
        (
            "contact",
            {"contact_date": (SENT_ON - timedelta(days=1)).isoformat()},
            "contact_date",
            "before the lead was sent",
        ),
        (
            "contact",
            {
                "contact_date": SENT_ON.isoformat(),
                "appointment_on": (SENT_ON - timedelta(days=1)).isoformat(),
            },
            "appointment_on",
            "is before the Contact Date",
        ),
        (
            "contact",
            {
                "contact_date": SENT_ON.isoformat(),
                "appointment_on": (TODAY + timedelta(days=400)).isoformat(),
            },
            "appointment_on",
            "within 365 days",
        ),
        ("decline", {"reason": "other", "note": "Full\x00"}, "note", "Null characters"),
        ("resolution", {"resolution": "eligible_ma"}, "resolution", "Record the contact first"),
        ("resolution", {"resolution": "unable_to_contact"}, "resolution", "Input should be"),
        (
            "outcome",
            {"contact_made": False, "resolution": "eligible_ma"},
            "resolution",
            "must be “Unable to contact”",
        ),
        (
            "outcome",
            {"contact_made": True, "resolution": "eligible_ma"},
            "contact_date",
            "is required when Contact Made is Y",
        ),
        (
            "outcome",
            {
                "contact_made": True,
                "contact_date": SENT_ON.isoformat(),
                "resolution": "eligible_ma",
                "comments": "x" * 2001,
            },
            "comments",
            "at most 2000",
        ),
    ],
)
def test_it_refuses_bad_answers_naming_the_field(
    client, assister_user, lead, step, payload, field, words
):
    client.force_login(assister_user)
    response = api_post(client, f"/api/v1/leads/{lead.pk}/{step}", payload)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [e["field"] for e in errors] == [field], errors
    assert words in errors[0]["message"]
    assert state_of(lead) == State.SENT


@pytest.mark.parametrize("lead_id", ["0", "-1", "2147483648", "99999999999999999999999", "x"])
def test_it_refuses_a_lead_id_out_of_range_naming_it(client, assister_user, lead, lead_id):
    client.force_login(assister_user)
    response = client.get(f"/api/v1/leads/{lead_id}")
    assert response.status_code in (404, 422)
    if response.status_code == 422:
        assert response.json()["errors"][0]["field"] == "lead_id"


@pytest.mark.parametrize(
    "query, field",
    [
        ({"limit": 0}, "limit"),
        ({"limit": 201}, "limit"),
        ({"state": "declined"}, "state"),
        ({"cursor": "not-ours"}, "cursor"),
        ({"cursor": "x" * 81}, "cursor"),
    ],
)
def test_it_refuses_a_bad_list_query_naming_the_field(client, assister_user, lead, query, field):
    client.force_login(assister_user)
    response = client.get("/api/v1/leads", query)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cursor=st.text(max_size=90)
    | st.binary(max_size=60).map(lambda b: __import__("base64").urlsafe_b64encode(b).decode())
)
def test_no_cursor_makes_it_fail(client, assister_user, lead, cursor):
    client.force_login(assister_user)
    response = client.get("/api/v1/leads", {"cursor": cursor})
    assert response.status_code in (200, 422)
    if response.status_code == 422:
        assert response.json()["errors"][0]["field"] == "cursor"


@settings(
    max_examples=50, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    step=st.sampled_from(["decline", "contact", "resolution", "outcome"]),
    payload=st.fixed_dictionaries(
        {},
        optional={
            "reason": st.sampled_from(DeclineReason.values) | st.text(max_size=5),
            "note": st.text(max_size=1100),
            "contact_date": st.dates().map(str) | st.text(max_size=12) | st.integers(),
            "appointment_on": st.dates().map(str) | st.none(),
            "contact_made": st.booleans() | st.none() | st.text(max_size=3),
            "resolution": st.sampled_from(Resolution.values) | st.text(max_size=5),
            "comments": st.text(max_size=2100),
        },
    ),
)
def test_no_answers_to_a_step_make_it_fail(client, assister_user, lead, step, payload):
    from django.db import transaction

    client.force_login(assister_user)
    with transaction.atomic():  # each example starts from the lead as sent
        response = api_post(client, f"/api/v1/leads/{lead.pk}/{step}", payload)
        transaction.set_rollback(True)
    assert response.status_code in (200, 409, 422), response.content[:300]
    if response.status_code == 422:
        assert all(error["field"] for error in response.json()["errors"])


def test_an_outcome_reported_twice_replaces_the_first(client, assister_user, lead):
    client.force_login(assister_user)
    path = f"/api/v1/leads/{lead.pk}/outcome"
    first = {"contact_made": False, "resolution": Resolution.UNABLE_TO_CONTACT}
    assert api_post(client, path, first).status_code == 200
    second = {
        "contact_made": True,
        "contact_date": TODAY.isoformat(),
        "resolution": Resolution.ENROLLED_QHP,
    }
    assert api_post(client, path, second).json()["resolution"] == Resolution.ENROLLED_QHP
    assert state_of(lead) == State.COMPLETED


def test_a_declined_lead_is_no_longer_the_organizations(client, assister_user, lead):
    client.force_login(assister_user)
    response = api_post(
        client, f"/api/v1/leads/{lead.pk}/decline", {"reason": DeclineReason.COUNTY}
    )
    assert response.json()["state"] == State.DECLINED
    assert client.get(f"/api/v1/leads/{lead.pk}").status_code == 404
