"""The seed's domain rules for a case the CSR is logging, as field-level validation errors."""

from django.core.exceptions import ValidationError
from django.utils import timezone

AUTO_ASSIGNMENT_MESSAGE = (
    "Auto-assignment changes are processed in HBX under the 90 Day Right to Change rule"
)


PHONE_REQUIRED_MESSAGE = (
    "Give the consumer's phone: the supervisor calls it if the case needs outreach."
)


def may_need_outreach(case) -> bool:
    """Whether the case can still end in supervisor outreach (DESIGN.md "The state machine").

    At intake every path but one can: an escalated case or an MCO Updated one may be vetted
    false, and a true one may come back from the State Monitor and be relabelled for outreach.
    Only an Angela Melody case closed as Question Answered never reaches QC (not a tracker case).
    Once logged, the state says: a case processed in MMIS, past its outreach or withdrawn needs
    no call, so correcting an old case without a phone does not demand one.
    """
    from .models import AngelaMelodyOutcome, Kind
    from .states import OUTREACH_AHEAD, State

    if case.state != State.NEW:
        return case.state in OUTREACH_AHEAD
    return not (
        case.kind == Kind.PROVIDER_TERMINATION
        and case.angela_melody_outcome == AngelaMelodyOutcome.QUESTION_ANSWERED
    )


def contact_errors(case) -> dict[str, str]:
    """The consumer's contact: a phone whenever the supervisor may have to call."""
    if may_need_outreach(case) and not (case.consumer_phone or "").strip():
        return {"consumer_phone": PHONE_REQUIRED_MESSAGE}
    return {}


def validate_contact(case) -> None:
    """What is checked again when a logged case is corrected: the consumer's contact. The
    seed's other rules (the window open today, no auto-assignment) are about the day it was
    logged and are not re-judged later."""
    errors = contact_errors(case)
    if errors:
        raise ValidationError(errors)


def validate_case(case, *, on=None) -> None:
    """Raise ValidationError keyed by field. `on` is the day the change is requested (today)."""
    from .models import AngelaMelodyOutcome, Kind

    on = on or timezone.localdate()
    errors: dict[str, str] = contact_errors(case)
    required = "This is required for {kind} cases."
    kind_label = Kind(case.kind).label if case.kind in Kind.values else case.kind

    if case.kind == Kind.PROVIDER_TERMINATION:
        termination = case.provider_termination
        if termination is None:
            errors["provider_termination"] = "Choose the provider termination this case is about."
        elif not termination.is_open_on(on):
            errors["provider_termination"] = (
                f"The enrollment window for {termination.provider_name} "
                f"({termination.window_start:%m/%d/%Y}–{termination.window_end:%m/%d/%Y}) "
                "is not open today. Requests outside the window are processed under the "
                "For Cause Reason guidelines: log a For Cause Reason case instead."
            )
        if case.angela_melody_outcome not in AngelaMelodyOutcome.values:
            errors["angela_melody_outcome"] = "Choose Question Answered or MCO Updated."
        elif (
            case.angela_melody_outcome == AngelaMelodyOutcome.MCO_UPDATED
            and not case.target_mco_id
            and not case.new_provider_name.strip()
        ):
            errors["target_mco"] = "Give the new MCO or the new provider name."
    elif case.kind == Kind.MCT_SPAN:
        if not case.target_mco_id:
            errors["target_mco"] = "Choose the requested MCO."
    elif case.kind == Kind.FOR_CAUSE:
        if not case.for_cause_reason:
            errors["for_cause_reason"] = required.format(kind=kind_label)
        if not case.target_mco_id:
            errors["target_mco"] = "Choose the new MCO."
    elif case.kind == Kind.INCORRECT_SELECTION:
        if case.auto_assigned:
            errors["auto_assigned"] = AUTO_ASSIGNMENT_MESSAGE
        if not case.erred_by:
            errors["erred_by"] = "Say who made the incorrect selection."
        if not case.target_mco_id:
            errors["target_mco"] = "Choose the correct MCO."
    else:
        errors["kind"] = "Choose the kind of case."

    if errors:
        raise ValidationError(errors)
