"""The rules for a referral's outcome (seed, "Required fields on the report"), in one place:
the Preferred Assister Report import and the assister portal both check answers here, and the
messages name the report's own columns."""

from datetime import date, timedelta

from django.utils import timezone

from tracker import limits

from .states import DeclineReason, Resolution

CONTACT_MADE = "Contact Made"
CONTACT_DATE = "Contact Date"
RESOLUTION = "Resolution"
COMMENTS = "Comments"
COMMENTS_MAX = limits.NOTE  # the same number as Referral.comments

# Looked up per row of a 10,000-row report: Resolution.values builds a new list on each call.
RESOLUTIONS = frozenset(Resolution.values)

# field name -> the report column a person sees.
COLUMNS = {
    "contact_made": CONTACT_MADE,
    "contact_date": CONTACT_DATE,
    "resolution": RESOLUTION,
    "comments": COMMENTS,
}


def outcome_errors(
    referral,
    *,
    contact_made: bool | None,
    contact_date: date | None,
    resolution: str,
    comments: str = "",
    today: date | None = None,
) -> dict[str, str]:
    """Field -> plain-words problem with these answers for this referral; empty when valid."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    if contact_made is None:
        errors["contact_made"] = f"{CONTACT_MADE} must be Y or N."
    if contact_made and contact_date is None:
        errors["contact_date"] = f"{CONTACT_DATE} is required when {CONTACT_MADE} is Y."
    if contact_made is False and contact_date is not None:
        errors["contact_date"] = f"Leave {CONTACT_DATE} empty when {CONTACT_MADE} is N."
    if contact_date is not None and "contact_date" not in errors:
        sent_on = timezone.localtime(referral.sent_at).date() if referral.sent_at else None
        if contact_date > today:
            errors["contact_date"] = f"{CONTACT_DATE} {contact_date:%m/%d/%Y} is in the future."
        elif sent_on and contact_date < sent_on:
            errors["contact_date"] = (
                f"{CONTACT_DATE} {contact_date:%m/%d/%Y} is before the lead was sent "
                f"({sent_on:%m/%d/%Y})."
            )
    if not resolution:
        errors["resolution"] = f"Choose a {RESOLUTION} from the list."
    elif resolution not in RESOLUTIONS:
        errors["resolution"] = f"“{resolution}” is not one of the {RESOLUTION} choices."
    elif contact_made and resolution == Resolution.UNABLE_TO_CONTACT:
        errors["resolution"] = (
            f"“{Resolution.UNABLE_TO_CONTACT.label}” contradicts {CONTACT_MADE} = Y."
        )
    elif contact_made is False and resolution != Resolution.UNABLE_TO_CONTACT:
        errors["resolution"] = (
            f"With {CONTACT_MADE} = N the {RESOLUTION} must be "
            f"“{Resolution.UNABLE_TO_CONTACT.label}”."
        )
    if len(comments or "") > COMMENTS_MAX:
        errors["comments"] = f"{COMMENTS} must be at most {COMMENTS_MAX} characters."
    return errors


# The portal's step-by-step forms (issue 14): contact, then the resolution.
APPOINTMENT_DATE = "Appointment date"


def contact_errors(
    referral, *, contact_date: date | None, appointment_on: date | None, today: date | None = None
) -> dict[str, str]:
    """Field -> problem with a recorded contact: the Contact Date under the report's rules, and
    an appointment on or after the contact, not further ahead than limits.APPOINTMENT_DAYS_AHEAD."""
    today = today or timezone.localdate()
    if contact_date is None:
        errors = {"contact_date": f"{CONTACT_DATE} is required: the day you reached the consumer."}
    else:
        errors = outcome_errors(
            referral,
            contact_made=True,
            contact_date=contact_date,
            resolution=Resolution.APPOINTMENT_SCHEDULED,
            today=today,
        )
    if appointment_on is not None:
        latest = today + timedelta(days=limits.APPOINTMENT_DAYS_AHEAD)
        if contact_date is not None and appointment_on < contact_date:
            errors["appointment_on"] = (
                f"{APPOINTMENT_DATE} {appointment_on:%m/%d/%Y} is before the {CONTACT_DATE} "
                f"({contact_date:%m/%d/%Y})."
            )
        elif appointment_on > latest:
            errors["appointment_on"] = (
                f"{APPOINTMENT_DATE} must be within {limits.APPOINTMENT_DAYS_AHEAD} days from "
                f"today (by {latest:%m/%d/%Y})."
            )
    return errors


def resolution_errors(referral, *, resolution: str, comments: str = "") -> dict[str, str]:
    """Field -> problem with the resolution of a lead whose contact is recorded: one of the
    Resolutions that close it (not "Unable to contact": the consumer was reached; not "Contact
    made appointment scheduled": that is recorded with the contact)."""
    errors = outcome_errors(
        referral,
        contact_made=True,
        contact_date=referral.contact_date,
        resolution=resolution,
        comments=comments,
    )
    if "resolution" not in errors and resolution == Resolution.APPOINTMENT_SCHEDULED:
        errors["resolution"] = (
            f"“{Resolution.APPOINTMENT_SCHEDULED.label}” is recorded with the contact: choose how "
            "the consumer's request was resolved."
        )
    errors.pop("contact_date", None)  # the recorded contact, checked when it was recorded
    return errors


def decline_errors(*, reason: str, note: str) -> dict[str, str]:
    errors = {}
    if reason not in DeclineReason.values:
        errors["reason"] = "Choose a reason for declining from the list."
    elif reason == DeclineReason.OTHER and not (note or "").strip():
        errors["note"] = "Say why you decline the lead (you chose “Other”)."
    if len(note or "") > limits.REASON:
        errors["note"] = f"The explanation must be at most {limits.REASON} characters."
    return errors
