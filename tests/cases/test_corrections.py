"""Corrections of a logged case's consumer and participant fields (issue 13, part 4): who may,
when, and that every change lands in the field history with SSNs masked."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from cases import services
from cases.models import Case, Participant
from cases.permissions import can_correct

from .test_state_machine import ROLES, STATES, case_in

CORRECTED_MA = "10000000009"


def _url(case):
    return reverse("cases:correct", args=[case.pk])


def _form_data(case, *, contact=None, people=None, add=None, remove=()):
    """The corrections form as the page sends it: every participant row (changed by `people`,
    {pk: {field: value}}), the blank extra row or `add`, and the contact fields."""
    existing = list(case.participants.order_by("pk"))
    rows = [
        {
            "id": p.pk,
            "name": p.name,
            "ma_number": p.ma_number,
            "ssn": "",
            **(people or {}).get(p.pk, {}),
        }
        for p in existing
    ]
    rows.append(add or {"id": "", "name": "", "ma_number": "", "ssn": ""})
    data = {
        "participants-TOTAL_FORMS": str(len(rows)),
        "participants-INITIAL_FORMS": str(len(existing)),
        "participants-MIN_NUM_FORMS": "1",
        "participants-MAX_NUM_FORMS": "1000",
        "consumer_phone": case.consumer_phone,
        "best_time_to_call": case.best_time_to_call,
        "consumer_email": case.consumer_email,
        **(contact or {}),
    }
    for i, row in enumerate(rows):
        for key, value in row.items():
            data[f"participants-{i}-{key}"] = value
        if row.get("id") in remove:
            data[f"participants-{i}-DELETE"] = "on"
    return data


def _timeline_html(client, case):
    return client.get(case.get_absolute_url()).content.decode()


def test_it_lets_the_csr_fix_a_mistyped_ma_number_and_shows_it_on_the_timeline(
    client, csr, log_case
):
    case = log_case()
    person = case.participants.get()
    client.force_login(csr)
    assert client.get(case.get_absolute_url()).content.decode().count(_url(case)) == 1

    response = client.post(
        _url(case), _form_data(case, people={person.pk: {"ma_number": "1000000000 9"}})
    )

    assert response.status_code == 302
    person.refresh_from_db()
    assert person.ma_number == CORRECTED_MA
    entry = next(e for e in client.get(case.get_absolute_url()).context["timeline"]
                 if e["title"] == "Participant Maria Lopez corrected")  # fmt: skip
    assert entry["by"] == csr
    assert [(c.label, c.old, c.new) for c in entry["changes"]] == [
        ("MA number", "10000000001", CORRECTED_MA)
    ]


def test_it_masks_ssns_in_the_history_and_never_shows_them_in_full(client, csr, log_case):
    case = log_case()
    person = case.participants.get()
    client.force_login(csr)
    page = client.get(_url(case)).content.decode()
    assert "123-45-6789" not in page and "123456789" not in page  # the form keeps it blank
    assert "***-**-6789" in page

    client.post(_url(case), _form_data(case, people={person.pk: {"ssn": "223-45-4321"}}))

    person.refresh_from_db()
    assert person.ssn == "223454321"
    html = _timeline_html(client, case)
    assert "***-**-6789" in html and "***-**-4321" in html
    assert "223-45-4321" not in html and "223454321" not in html
    row = Participant.history.filter(id=person.pk).latest("history_id")
    assert (row.ssn_masked, row.ssn_changed, row.history_user) == ("***-**-4321", True, csr)
    assert not hasattr(row, "ssn")  # the history table holds no SSN at all


def test_it_keeps_the_ssn_when_the_field_is_left_blank(client, csr, log_case):
    case = log_case()
    person = case.participants.get()
    client.force_login(csr)
    client.post(_url(case), _form_data(case, people={person.pk: {"name": "María López"}}))
    person.refresh_from_db()
    assert (person.name, person.ssn) == ("María López", "123456789")


def test_it_records_a_corrected_phone_and_a_supervisors_added_participant(
    client, supervisor, log_case
):
    case = log_case()
    client.force_login(supervisor)
    response = client.post(
        _url(case),
        _form_data(
            case,
            contact={"consumer_phone": "410 555 0199", "best_time_to_call": "Evenings"},
            add={"id": "", "name": "Leo Lopez", "ma_number": "10000000002", "ssn": "223456780"},
        ),
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert (case.consumer_phone, case.best_time_to_call) == ("410-555-0199", "Evenings")
    assert case.participants.count() == 2
    timeline = client.get(case.get_absolute_url()).context["timeline"]
    corrected = next(e for e in timeline if e["title"] == "Case corrected")
    assert corrected["by"] == supervisor
    assert [(c.label, c.old, c.new) for c in corrected["changes"]] == [
        ("Consumer's phone", "410-555-0142", "410-555-0199"),
        ("Best time to call", "—", "Evenings"),
    ]
    assert any(e["title"] == "Participant added: Leo Lopez (SSN ***-**-6780)" for e in timeline)


def test_it_removes_a_participant_but_never_the_last_one(client, csr, log_case):
    from cases.models import Participant as P

    case = log_case(
        participants=[
            P(name="Maria Lopez", ma_number="10000000001", ssn="123456789"),
            P(name="Leo Lopez", ma_number="10000000002", ssn="223456780"),
        ]
    )
    maria, leo = case.participants.order_by("pk")
    client.force_login(csr)
    response = client.post(_url(case), _form_data(case, remove={leo.pk}))
    assert response.status_code == 302
    assert list(case.participants.all()) == [maria]
    assert "Participant removed: Leo Lopez" in _timeline_html(client, case)

    response = client.post(_url(case), _form_data(case, remove={maria.pk}))
    assert response.status_code == 200
    assert "A case needs at least one participant." in response.content.decode()
    assert list(case.participants.all()) == [maria]


def test_it_names_the_field_of_a_phone_that_is_not_a_us_number(client, csr, log_case):
    case = log_case()
    client.force_login(csr)
    response = client.post(_url(case), _form_data(case, contact={"consumer_phone": "12345"}))
    assert response.status_code == 200
    assert response.context["contact"].errors["consumer_phone"] == [
        "The consumer's phone is not a US number: give it with its area code, like 612-555-0199."
    ]
    response = client.post(_url(case), _form_data(case, contact={"consumer_phone": ""}))
    assert response.context["contact"].errors["consumer_phone"] == [
        "Give the consumer's phone: the supervisor calls it if the case needs outreach."
    ]
    assert Case.objects.get(pk=case.pk).consumer_phone == "410-555-0142"


def test_it_refuses_the_csr_after_vetting_and_lets_qc_correct(client, csr, qc_lead, log_case):
    case = services.case_vet_true(case=log_case(), by=qc_lead)
    person = case.participants.get()
    data = _form_data(case, people={person.pk: {"ma_number": CORRECTED_MA}})
    client.force_login(csr)
    assert _url(case) not in client.get(case.get_absolute_url()).content.decode()
    assert client.get(_url(case)).status_code == 403
    assert client.post(_url(case), data).status_code == 403
    assert Participant.objects.get(pk=person.pk).ma_number == "10000000001"

    client.force_login(qc_lead)
    assert client.post(_url(case), data).status_code == 302
    assert Participant.objects.get(pk=person.pk).ma_number == CORRECTED_MA
    entry = next(e for e in client.get(case.get_absolute_url()).context["timeline"]
                 if e["title"] == "Participant Maria Lopez corrected")  # fmt: skip
    assert entry["by"] == qc_lead


@pytest.mark.parametrize("outsider", ["other_csr", "other_supervisor", "monitor"])
def test_it_hides_the_corrections_page_from_who_may_not_see_the_case(
    client, request, log_case, outsider
):
    case = log_case()
    person = case.participants.get()
    client.force_login(request.getfixturevalue(outsider))
    data = _form_data(case, people={person.pk: {"ma_number": CORRECTED_MA}})
    assert client.get(_url(case)).status_code == 404
    assert client.post(_url(case), data).status_code == 404
    assert Participant.objects.get(pk=person.pk).ma_number == "10000000001"


def test_it_refuses_a_participant_of_another_case(client, csr, log_case):
    case, other = log_case(), log_case()
    intruder = other.participants.get()
    data = _form_data(case)
    data["participants-0-id"] = intruder.pk
    client.force_login(csr)
    response = client.post(_url(case), {**data, "participants-0-name": "Changed"})
    assert response.status_code == 200
    assert Participant.objects.get(pk=intruder.pk).name == "Maria Lopez"


def test_it_refuses_a_correction_decided_on_a_state_that_has_since_changed(csr, qc_lead, log_case):
    case = log_case()
    stale = Case.objects.get(pk=case.pk)
    services.case_vet_true(case=case, by=qc_lead)
    with pytest.raises(services.CaseConflict):
        services.case_correct(case=stale, by=csr, contact={"consumer_phone": "410-555-0199"})
    assert Case.objects.get(pk=case.pk).consumer_phone == "410-555-0142"


def test_the_service_refuses_who_may_not_correct(other_csr, log_case):
    case = log_case()
    with pytest.raises(PermissionDenied):
        services.case_correct(case=case, by=other_csr, contact={"consumer_phone": "410-555-0199"})


# ---- who may correct, in every state (DESIGN.md roles + issue 13) -----------------------------
BEFORE_VETTING = {"escalated", "question_answered", "mco_updated"}
NOBODY = {"new", "withdrawn"}
CORRECTORS_BEFORE = {"csr", "supervisor", "admin"}
CORRECTORS_AFTER = {"qc_lead", "admin"}


def expected_correctors(state):
    if state in NOBODY:
        return set()
    return CORRECTORS_BEFORE if state in BEFORE_VETTING else CORRECTORS_AFTER


@pytest.fixture
def people(request, csr):
    names = {"admin": "admin_user", "assister": "assister_user"}
    return {role: request.getfixturevalue(names.get(role, role)) for role in ROLES}


@pytest.mark.parametrize("state", STATES)
@pytest.mark.parametrize("role", ROLES)
def test_it_lets_exactly_the_right_roles_correct_in_each_state(client, people, mcos, state, role):
    case = case_in(state, csr=people["csr"], consumer_phone="410-555-0142")
    user = people[role]
    expected = role in expected_correctors(state)
    assert can_correct(case, user) is expected
    client.force_login(user)
    status = client.get(_url(case)).status_code
    assert status == 200 if expected else status in (403, 404)


def test_it_corrects_an_old_processed_case_that_has_no_phone(client, qc_lead, csr, mcos):
    # Cases logged before the phone existed: a closed one needs no call, so no phone is demanded.
    case = case_in("processed", csr=csr)
    person = case.participants.get()
    client.force_login(qc_lead)
    response = client.post(
        _url(case), _form_data(case, people={person.pk: {"ma_number": CORRECTED_MA}})
    )
    assert response.status_code == 302
    assert Participant.objects.get(pk=person.pk).ma_number == CORRECTED_MA
