"""The seed's domain rules, as the CSR sees them: a message on the field, nothing saved."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from cases.models import Case, Kind, Participant
from cases.rules import AUTO_ASSIGNMENT_MESSAGE, PHONE_REQUIRED_MESSAGE, validate_case
from cases.states import State
from cases.validators import mask_ssn, validate_ma_number, validate_ssn


def errors_of(call):
    with pytest.raises(ValidationError) as info:
        call()
    return info.value.message_dict if hasattr(info.value, "error_dict") else info.value.messages


@pytest.mark.parametrize(
    "offset_from_start,offset_from_end,allowed",
    [(-1, None, False), (0, None, True), (5, None, True), (None, 0, True), (None, 1, False)],
)
def test_it_allows_angela_melody_only_inside_the_window(
    termination, offset_from_start, offset_from_end, allowed
):
    case = Case(
        kind=Kind.PROVIDER_TERMINATION,
        provider_termination=termination,
        angela_melody_outcome="question_answered",
    )
    if offset_from_start is not None:
        day = termination.window_start + timedelta(days=offset_from_start)
    else:
        day = termination.window_end + timedelta(days=offset_from_end)
    if allowed:
        validate_case(case, on=day)
    else:
        errors = errors_of(lambda: validate_case(case, on=day))
        assert "log a For Cause Reason case instead" in errors["provider_termination"][0]


def test_it_refuses_incorrect_selection_of_an_auto_assigned_mco(mcos):
    case = Case(
        kind=Kind.INCORRECT_SELECTION,
        auto_assigned=True,
        erred_by="csc",
        target_mco=mcos["Priority Partners"],
        consumer_phone="410-555-0142",
    )
    errors = errors_of(lambda: validate_case(case))
    assert errors == {"auto_assigned": [AUTO_ASSIGNMENT_MESSAGE]}


@pytest.mark.parametrize(
    "kind,outcome,required",
    [
        (Kind.MCT_SPAN, "", True),
        (Kind.FOR_CAUSE, "", True),
        (Kind.INCORRECT_SELECTION, "", True),
        (Kind.PROVIDER_TERMINATION, "mco_updated", True),  # QC may vet it false: outreach
        (Kind.PROVIDER_TERMINATION, "question_answered", False),  # never reaches QC
    ],
)
def test_it_requires_the_consumers_phone_where_outreach_may_follow(db, kind, outcome, required):
    case = Case(kind=kind, angela_melody_outcome=outcome)
    errors = errors_of(lambda: validate_case(case))
    assert ("consumer_phone" in errors) is required
    if required:
        assert errors["consumer_phone"] == [PHONE_REQUIRED_MESSAGE]


@pytest.mark.parametrize(
    "kind,fields,field",
    [
        (Kind.MCT_SPAN, {}, "target_mco"),
        (Kind.FOR_CAUSE, {}, "for_cause_reason"),
        (Kind.INCORRECT_SELECTION, {}, "erred_by"),
        (Kind.PROVIDER_TERMINATION, {}, "provider_termination"),
        (Kind.PROVIDER_TERMINATION, {}, "angela_melody_outcome"),
    ],
)
def test_it_names_the_missing_field_for_each_kind(db, kind, fields, field):
    errors = errors_of(lambda: validate_case(Case(kind=kind, **fields)))
    assert field in errors


def test_it_saves_nothing_when_the_window_is_closed(log_case, termination, csr):
    termination.window_end = timezone.localdate() - timedelta(days=1)
    termination.save()
    with pytest.raises(ValidationError):
        log_case(kind=Kind.PROVIDER_TERMINATION, provider_termination=termination)
    assert Case.objects.count() == 0
    assert Participant.objects.count() == 0


@pytest.mark.parametrize(
    "ssn,valid,hint",
    [
        ("123-45-6789", True, None),
        ("123456789", True, None),
        ("12345678", False, "9 digits"),
        ("12345678a", False, "9 digits"),
        ("000-12-3456", False, "000, 666 or 9"),
        ("666-12-3456", False, "000, 666 or 9"),
        ("900-12-3456", False, "000, 666 or 9"),
        ("999-12-3456", False, "000, 666 or 9"),
        ("123-00-4567", False, "middle two digits"),
        ("123-45-0000", False, "last four digits"),
    ],
)
def test_it_checks_ssn_format(ssn, valid, hint):
    if valid:
        validate_ssn(ssn)
    else:
        assert hint in errors_of(lambda: validate_ssn(ssn))[0]


@pytest.mark.parametrize(
    "ma,valid",
    [("12345678901", True), ("1234567890", False), ("123456789012", False), ("1234567890a", False)],
)
def test_it_checks_ma_number_format(ma, valid):
    if valid:
        validate_ma_number(ma)
    else:
        assert "11 digits" in errors_of(lambda: validate_ma_number(ma))[0]


def test_it_rejects_a_bad_participant_and_saves_nothing(log_case):
    with pytest.raises(ValidationError) as info:
        log_case(participants=[Participant(name="X", ma_number="123", ssn="666123456")])
    assert set(info.value.message_dict) == {"ma_number", "ssn"}
    assert Case.objects.count() == 0


def test_it_masks_ssns():
    assert mask_ssn("123456789") == "***-**-6789"


# Once logged, the phone is required only where outreach can still come (issue 13).
OUTREACH_STILL_POSSIBLE = {
    "escalated",
    "mco_updated",
    "true_tracker",
    "returned_by_monitor",
    "outreach_required",
    "outreach_first_attempt",
}


@pytest.mark.parametrize("state", [s.value for s in State if s != State.NEW])
def test_it_requires_the_phone_on_a_logged_case_only_while_outreach_may_come(csr, mcos, state):
    from cases.rules import validate_contact

    case = Case.objects.create(kind=Kind.MCT_SPAN, state=state, csr=csr, team=csr.team)
    if state in OUTREACH_STILL_POSSIBLE:
        assert errors_of(lambda: validate_contact(case)) == {
            "consumer_phone": [PHONE_REQUIRED_MESSAGE]
        }
    else:
        validate_contact(case)
