"""/api/fhir/: each referral, in every state, is a valid FHIR Task (validated with
fhir.resources' R4B models, the R4 family fhir.resources 8 ships) shaped after the SDOHCC Task for
Referral Management profile, with status and businessStatus from the one table; the search
answers a valid searchset Bundle scoped as the pages are, and bad parameters an OperationOutcome."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.operationoutcome import OperationOutcome
from fhir.resources.R4B.patient import Patient
from fhir.resources.R4B.servicerequest import ServiceRequest
from fhir.resources.R4B.task import Task
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from api.fhir import TASK_PROFILE
from referrals import services
from referrals.models import Referral
from referrals.states import FHIR_TASK, DeclineReason, Resolution, State

from .referral_fixtures import SENT_ON

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def _sent(make_sent_referral, lakes, **fields):
    return make_sent_referral(organization=lakes, sent_on=SENT_ON, **fields)


def _make(state, *, lakes, north, assister, coordinator, make_referral, make_sent_referral):
    """A referral of Lakes' in `state`, brought there through the services (the failed state,
    which only the mail worker reaches, is set as fixtures may)."""
    if state == State.QUEUED:
        return make_referral(organization=lakes)
    if state == State.FAILED:
        referral = make_referral(organization=lakes)
        Referral.objects.filter(pk=referral.pk).update(state=State.FAILED)
        return referral
    referral = _sent(make_sent_referral, lakes, consumer_name=f"Consumer {state}")
    if state == State.REASSIGNED:
        services.referral_reassign(
            referral=referral, organization=north, by=coordinator, reason="Closer to home"
        )
    elif state == State.ACCEPTED:
        services.referral_accept(referral=referral, by=assister)
    elif state == State.DECLINED:
        services.referral_decline(
            referral=referral, by=assister, reason=DeclineReason.OTHER, note="Moved to Iowa"
        )
    elif state == State.IN_PROGRESS:
        services.referral_record_contact(
            referral=referral,
            by=assister,
            contact_date=SENT_ON,
            appointment_on=SENT_ON + timedelta(days=5),
        )
    elif state == State.COMPLETED:
        services.referral_report_outcome(
            referral=referral,
            by=assister,
            contact_made=True,
            contact_date=SENT_ON,
            resolution=Resolution.ENROLLED_QHP,
            comments="Silver plan",
        )
    elif state == State.WITHDRAWN:
        services.referral_withdraw(referral=referral, by=coordinator, reason="Entered in error")
    referral.refresh_from_db()
    assert referral.state == state
    return referral


# Every state a Task is served in: a referral not yet submitted (new) is nobody's to see.
SERVED = [state for state in State if state != State.NEW]


@pytest.fixture
def make_in(lakes, north, assister_user, pal_coordinator, make_referral, make_sent_referral):
    def _in(state):
        return _make(
            state,
            lakes=lakes,
            north=north,
            assister=assister_user,
            coordinator=pal_coordinator,
            make_referral=make_referral,
            make_sent_referral=make_sent_referral,
        )

    return _in


# fhir.resources checks structure, cardinality and datatypes but not required value-set
# bindings: these are R4's required ones for what the Task carries.
TASK_STATUS = {
    "draft", "requested", "received", "accepted", "rejected", "ready", "cancelled",
    "in-progress", "on-hold", "failed", "completed", "entered-in-error",
}  # fmt: skip
REQUEST_STATUS = {"draft", "active", "on-hold", "revoked", "completed", "entered-in-error"}
PRIORITY = {"routine", "urgent", "asap", "stat"}
TELECOM_SYSTEM = {"phone", "fax", "email", "pager", "url", "sms", "other"}
# What the SDOHCC Task for Referral Management profile requires besides R4's own.
PROFILE_REQUIRED = ["status", "intent", "code", "focus", "for", "authoredOn", "requester", "owner"]


def _valid_task(data: dict) -> Task:
    """The Task and its contained Patient and ServiceRequest, each validated by its own model,
    with R4's required bindings and the profile's required elements."""
    task = Task.model_validate(data)
    assert task.status in TASK_STATUS and task.intent == "order" and task.priority in PRIORITY
    assert [name for name in PROFILE_REQUIRED if not data.get(name)] == []
    assert task.code.coding[0].code == "fulfill"
    contained = {item["resourceType"]: item for item in data["contained"]}
    patient = Patient.model_validate(contained["Patient"])
    request = ServiceRequest.model_validate(contained["ServiceRequest"])
    assert request.status in REQUEST_STATUS and request.intent == "order"
    assert {telecom.system for telecom in patient.telecom or []} <= TELECOM_SYSTEM
    assert data["for"] == {"reference": f"#{patient.id}"}
    assert data["focus"] == {"reference": f"#{request.id}"}
    assert request.subject.reference == f"#{patient.id}"
    return task


@pytest.mark.parametrize("state", SERVED)
def test_every_state_is_a_valid_sdohcc_task(client, pal_coordinator, make_in, state):
    referral = make_in(state)
    client.force_login(pal_coordinator)
    response = client.get(f"/api/fhir/Task/{referral.pk}")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    data = response.json()
    task = _valid_task(data)
    referral.refresh_from_db()
    assert task.meta.profile == [TASK_PROFILE]
    assert (task.status, task.businessStatus.text) == (
        referral.fhir_status,
        referral.business_status,
    )
    assert task.status == FHIR_TASK[state][0]
    assert task.intent == "order" and task.id == str(referral.pk)
    assert task.owner.display == referral.organization.name
    assert task.identifier[0].value == referral.number
    patient = next(c for c in data["contained"] if c["resourceType"] == "Patient")
    assert patient["name"] == [{"text": referral.consumer_name}]
    assert {t["system"] for t in patient["telecom"]} == {"phone", "email"}
    request = next(c for c in data["contained"] if c["resourceType"] == "ServiceRequest")
    assert request["code"]["coding"][0]["code"] == referral.assister_type
    assert request["reasonCode"][0]["text"] == referral.reason_for_help


def test_a_completed_task_carries_the_resolution_and_a_declined_one_the_reason(
    client, pal_coordinator, make_in
):
    completed, declined = make_in(State.COMPLETED), make_in(State.DECLINED)
    client.force_login(pal_coordinator)
    task = client.get(f"/api/fhir/Task/{completed.pk}").json()
    resolution = next(o for o in task["output"] if o["type"]["text"] == "Resolution")
    assert resolution["valueCodeableConcept"]["coding"][0]["code"] == Resolution.ENROLLED_QHP
    assert task["executionPeriod"]["end"]
    task = client.get(f"/api/fhir/Task/{declined.pk}").json()
    assert task["statusReason"]["coding"][0]["code"] == DeclineReason.OTHER
    assert "Moved to Iowa" in task["statusReason"]["text"]
    assert "output" not in task


def test_an_appointment_shows_in_the_business_status(client, assister_user, make_in):
    referral = make_in(State.IN_PROGRESS)
    client.force_login(assister_user)
    task = client.get(f"/api/fhir/Task/{referral.pk}").json()
    assert task["businessStatus"]["text"] == "Contact made, appointment scheduled"


# ---- search -------------------------------------------------------------------------------------
def _valid_bundle(data: dict) -> Bundle:
    bundle = Bundle.model_validate(data)
    assert bundle.type == "searchset"
    for entry in data["entry"]:
        _valid_task(entry["resource"])
        assert entry["fullUrl"].endswith(f"/api/fhir/Task/{entry['resource']['id']}")
    return bundle


def test_the_search_answers_a_valid_bundle_of_every_state(client, pal_coordinator, make_in):
    made = [make_in(state) for state in SERVED]
    client.force_login(pal_coordinator)
    response = client.get("/api/fhir/Task", {"_count": 100})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/fhir+json")
    data = response.json()
    _valid_bundle(data)
    assert [entry["resource"]["id"] for entry in data["entry"]] == [str(r.pk) for r in made]


def test_it_searches_by_owner_and_status(client, pal_coordinator, lakes, north, make_in):
    accepted, declined = make_in(State.ACCEPTED), make_in(State.DECLINED)
    moved = make_in(State.REASSIGNED)  # now North's
    client.force_login(pal_coordinator)

    def ids(**params):
        data = client.get("/api/fhir/Task", params).json()
        _valid_bundle(data)
        return {int(entry["resource"]["id"]) for entry in data["entry"]}

    assert ids(owner=f"Organization/{lakes.pk}") == {accepted.pk, declined.pk}
    assert ids(owner=f"Organization/{north.pk}") == {moved.pk}
    assert ids(owner=f"Organization/{lakes.pk}", status="rejected") == {declined.pk}
    assert ids(status="accepted,rejected") == {accepted.pk, declined.pk}
    assert ids(status="completed") == set()


def test_an_assister_finds_only_its_organizations_tasks(
    client, assister_user, outsider, lakes, make_in
):
    lakes_task, moved = make_in(State.SENT), make_in(State.REASSIGNED)
    client.force_login(assister_user)
    data = client.get("/api/fhir/Task").json()
    assert [int(e["resource"]["id"]) for e in data["entry"]] == [lakes_task.pk]

    client.force_login(outsider)  # North's assister: the reassigned lead is now North's
    data = client.get("/api/fhir/Task", {"owner": f"Organization/{lakes.pk}"}).json()
    assert data["entry"] == []
    assert client.get(f"/api/fhir/Task/{lakes_task.pk}").status_code == 404
    assert client.get(f"/api/fhir/Task/{moved.pk}").status_code == 200


def test_the_search_pages_with_a_next_link_in_constant_queries(
    client, pal_coordinator, make_in, django_assert_max_num_queries
):
    made = [make_in(State.SENT) for _ in range(2)]
    client.force_login(pal_coordinator)
    with CaptureQueriesContext(connection) as few:
        client.get("/api/fhir/Task")
    made += [make_in(State.SENT) for _ in range(5)]
    with django_assert_max_num_queries(len(few)):
        data = client.get("/api/fhir/Task", {"_count": 4, "status": "requested"}).json()
    found = [int(e["resource"]["id"]) for e in data["entry"]]
    [following] = [link["url"] for link in data["link"] if link["relation"] == "next"]
    data = client.get(following).json()
    _valid_bundle(data)
    found += [int(e["resource"]["id"]) for e in data["entry"]]
    assert found == [r.pk for r in made]
    assert not [link for link in data["link"] if link["relation"] == "next"]


@pytest.mark.parametrize(
    "query, expression",
    [
        ("owner=Lakes", "owner"),
        ("owner=Organization/0", "owner"),
        ("owner=Organization/99999999999", "owner"),
        ("status=open", "status"),
        ("status=requested,", "status"),
        ("status=requested&status=accepted", "status"),
        ("_count=0", "_count"),
        ("_count=101", "_count"),
        ("_count=%EF%BC%95", "_count"),
        ("_cursor=abc", "cursor"),
        ("patient=Patient/1", "patient"),
        ("_format=xml", "_format"),
        ("owner=" + "9" * 300, "owner"),
    ],
)
def test_a_bad_search_is_a_400_operation_outcome_naming_the_parameter(
    client, pal_coordinator, make_in, query, expression
):
    make_in(State.SENT)
    client.force_login(pal_coordinator)
    response = client.get(f"/api/fhir/Task?{query}")
    assert response.status_code == 400
    assert response["Content-Type"].startswith("application/fhir+json")
    outcome = OperationOutcome.model_validate(response.json())
    assert outcome.issue[0].code == "invalid"
    assert outcome.issue[0].expression == [expression]


@pytest.mark.parametrize("who, status", [("csr", 403), ("monitor", 403), (None, 401)])
def test_someone_without_access_gets_an_operation_outcome(client, request, make_in, who, status):
    referral = make_in(State.SENT)
    if who:
        client.force_login(request.getfixturevalue(who))
    for path in [f"/api/fhir/Task/{referral.pk}", "/api/fhir/Task"]:
        response = client.get(path)
        assert response.status_code == status
        OperationOutcome.model_validate(response.json())


@pytest.mark.parametrize("task_id", ["0", "abc", "99999999999", "-3"])
def test_an_unknown_task_is_a_404_operation_outcome(client, pal_coordinator, task_id):
    client.force_login(pal_coordinator)
    response = client.get(f"/api/fhir/Task/{task_id}")
    assert response.status_code == 404
    assert OperationOutcome.model_validate(response.json()).issue[0].code == "not-found"


@pytest.mark.parametrize(
    "who", ["pal_coordinator", "pal_rep", "assister_user", "outsider", "csr", None]
)
def test_each_role_sees_the_tasks_the_pages_show_it(client, request, make_in, who):
    referral = make_in(State.ACCEPTED)  # Lakes', made by pal_rep
    expected = {"pal_coordinator": 200, "pal_rep": 200, "assister_user": 200, "outsider": 404}
    if who:
        client.force_login(request.getfixturevalue(who))
    response = client.get(f"/api/fhir/Task/{referral.pk}")
    assert response.status_code == expected.get(who, 403 if who else 401)


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    params=st.dictionaries(
        st.sampled_from(["owner", "status", "_count", "_cursor", "_format", "subject"])
        | st.text(max_size=8),
        st.text(max_size=30)
        | st.sampled_from(["Organization/1", "requested,accepted", "7", "json"]),
        max_size=4,
    )
)
def test_no_search_parameters_make_it_fail(client, pal_coordinator, make_in, params):
    client.force_login(pal_coordinator)
    response = client.get("/api/fhir/Task", params)
    assert response.status_code in (200, 400), response.content[:300]
    if response.status_code == 200:
        _valid_bundle(response.json())
    else:
        OperationOutcome.model_validate(response.json())


@pytest.mark.parametrize("name", ["\x0c", "a\x0bb", "\x1c"])
def test_it_names_an_unknown_parameter_in_a_valid_outcome_whatever_its_characters(
    client, pal_coordinator, name
):
    # Found by the hunt above on PostgreSQL: a form feed echoed back broke the FHIR string rule.
    client.force_login(pal_coordinator)
    response = client.get("/api/fhir/Task", {name: "x"})
    assert response.status_code == 400
    OperationOutcome.model_validate(response.json())
