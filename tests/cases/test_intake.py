"""CSR intake: one form per kind, participants formset, errors next to fields, nothing saved on
error, the case page after saving."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases.models import Case, Participant, ProviderTermination
from cases.rules import AUTO_ASSIGNMENT_MESSAGE
from cases.states import State


def _url(kind):
    return reverse("cases:intake", args=[kind])


def _post(client, kind, fields=None, people=None):
    people = people if people is not None else [("Maria Lopez", "1000000000 1", "123-45-6789")]
    data = {
        "participants-TOTAL_FORMS": str(len(people)),
        "participants-INITIAL_FORMS": "0",
        "participants-MIN_NUM_FORMS": "1",
        "participants-MAX_NUM_FORMS": "1000",
        "issues_resolved": "no",
        "supervisor_requested": "no",
        "consumer_phone": "(410) 555-0142",
        **(fields or {}),
    }
    for i, (name, ma, ssn) in enumerate(people):
        data.update(
            {
                f"participants-{i}-name": name,
                f"participants-{i}-ma_number": ma,
                f"participants-{i}-ssn": ssn,
            }
        )
    return client.post(_url(kind), data)


@pytest.fixture
def csr_client(client, csr):
    client.force_login(csr)
    return client


def test_it_offers_one_form_per_kind(csr_client):
    html = csr_client.get(reverse("cases:new")).content.decode()
    for kind in ["provider_termination", "mct_span", "for_cause", "incorrect_selection"]:
        assert _url(kind) in html
        assert csr_client.get(_url(kind)).status_code == 200
    assert csr_client.get(_url("nonsense")).status_code == 404


def test_it_logs_a_for_cause_case_and_shows_its_page(csr_client, csr, mcos):
    response = _post(
        csr_client,
        "for_cause",
        {
            "for_cause_reason": "homeless",
            "target_mco": mcos["Priority Partners"].pk,
            "supervisor_requested": "yes",
        },  # fmt: skip
        people=[("Maria Lopez", "10000000001", "123-45-6789"), ("Leo", "10000000002", "")],
    )
    # the second participant has no SSN: nothing saved, the error is next to the field
    assert response.status_code == 200
    assert Case.objects.count() == 0
    assert response.context["participants"].forms[1].errors["ssn"] == ["This field is required."]

    response = _post(
        csr_client,
        "for_cause",
        {
            "for_cause_reason": "homeless",
            "target_mco": mcos["Priority Partners"].pk,
            "supervisor_requested": "yes",
        },  # fmt: skip
        people=[("Maria Lopez", "10000000001", "123-45-6789"), ("Leo", "10000000002", "223456780")],
    )
    case = Case.objects.get()
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    assert case.state == State.ESCALATED
    assert case.csr == csr and case.team == csr.team
    assert case.supervisor_requested is True and case.issues_resolved is False
    assert [p.ssn for p in case.participants.all()] == ["123456789", "223456780"]
    page = csr_client.get(response.url).content.decode()
    assert case.number in page and "For Cause Reason – Homeless Consumer" in page


def test_it_logs_an_angela_melody_mco_updated_case(csr_client, termination, mcos):
    response = _post(
        csr_client,
        "provider_termination",
        {
            "provider_termination": termination.pk,
            "angela_melody_outcome": "mco_updated",
            "new_provider_name": "Dr. Rivera",
        },  # fmt: skip
    )
    assert response.status_code == 302
    assert Case.objects.get().state == State.MCO_UPDATED


@pytest.mark.parametrize(
    "kind, fields, field, message",
    [
        ("mct_span", {}, "target_mco", "Choose the requested MCO."),
        ("for_cause", {}, "for_cause_reason", "This is required for For Cause Reason cases."),
        (
            "incorrect_selection",
            {"erred_by": "csc", "auto_assigned": "on"},
            "auto_assigned",
            AUTO_ASSIGNMENT_MESSAGE,
        ),  # fmt: skip
        ("incorrect_selection", {}, "erred_by", "Say who made the incorrect selection."),
        (
            "provider_termination",
            {"angela_melody_outcome": "question_answered"},
            "provider_termination",
            "Choose the provider termination this case is about.",
        ),  # fmt: skip
    ],
)
def test_it_shows_the_rule_next_to_the_field_and_saves_nothing(
    csr_client, mcos, kind, fields, field, message
):
    response = _post(csr_client, kind, fields)
    assert response.status_code == 200
    assert message in response.context["form"].errors[field]
    assert message in response.content.decode().replace("&#x27;", "'")
    assert not Case.objects.exists() and not Participant.objects.exists()


def test_it_says_to_use_for_cause_after_the_enrollment_window(csr_client, mcos):
    closed = ProviderTermination.objects.create(
        mco=mcos["Jai Medical Systems"],
        provider_name="Harbor Pediatrics",
        window_start=timezone.localdate() - timedelta(days=60),
        window_end=timezone.localdate() - timedelta(days=1),
    )
    response = _post(
        csr_client,
        "provider_termination",
        {"provider_termination": closed.pk, "angela_melody_outcome": "question_answered"},
    )
    errors = response.context["form"].errors["provider_termination"]
    assert "log a For Cause Reason case instead" in errors[0]
    assert not Case.objects.exists()


@pytest.mark.parametrize(
    "ma, ssn, field, message",
    [
        ("123", "123-45-6789", "ma_number", "MA number must be 11 digits"),
        ("10000000001", "12345", "ssn", "SSN must be 9 digits"),
        ("10000000001", "666-45-6789", "ssn", "SSN cannot start with 000, 666 or 9"),
    ],
)
def test_it_checks_participant_identifiers(csr_client, mcos, ma, ssn, field, message):
    response = _post(
        csr_client,
        "mct_span",
        {"target_mco": mcos["Priority Partners"].pk},
        people=[("Maria Lopez", ma, ssn)],
    )
    errors = response.context["participants"].forms[0].errors[field]
    assert any(error.startswith(message) for error in errors)
    assert not Case.objects.exists()


def test_it_needs_at_least_one_participant_and_no_duplicates(csr_client, mcos):
    fields = {"target_mco": mcos["Priority Partners"].pk}
    response = _post(csr_client, "mct_span", fields, people=[])
    assert "Add at least one participant." in response.context["participants"].non_form_errors()
    twice = [("A", "10000000001", "123456789"), ("B", "10000000001", "223456789")]
    response = _post(csr_client, "mct_span", fields, people=twice)
    assert response.context["participants"].forms[1].errors["ma_number"] == [
        "This MA number is already on the case."
    ]
    assert not Case.objects.exists()


def test_it_ignores_removed_participant_rows(csr_client, mcos):
    data_people = [("Maria Lopez", "10000000001", "123456789"), ("Gone", "", "")]
    response = csr_client.post(
        _url("mct_span"),
        {
            "participants-TOTAL_FORMS": "2",
            "participants-INITIAL_FORMS": "0",
            "participants-MIN_NUM_FORMS": "1",
            "participants-MAX_NUM_FORMS": "1000",
            "issues_resolved": "no",
            "supervisor_requested": "no",
            "consumer_phone": "410-555-0142",
            "target_mco": mcos["Priority Partners"].pk,
            **{
                f"participants-{i}-{key}": value
                for i, person in enumerate(data_people)
                for key, value in zip(["name", "ma_number", "ssn"], person, strict=True)
            },
            "participants-1-DELETE": "on",
        },
    )
    assert response.status_code == 302
    assert Case.objects.get().participants.count() == 1


@pytest.mark.parametrize("outsider", ["qc_lead", "supervisor", "monitor", "pal_rep"])
def test_it_refuses_users_who_are_not_csrs(client, request, mcos, outsider):
    client.force_login(request.getfixturevalue(outsider))
    assert client.get(_url("mct_span")).status_code == 403
    assert (
        _post(client, "mct_span", {"target_mco": mcos["Priority Partners"].pk}).status_code == 403
    )
    assert not Case.objects.exists()


def test_it_refuses_anonymous_users(client, db):
    assert client.get(_url("mct_span")).status_code == 302
