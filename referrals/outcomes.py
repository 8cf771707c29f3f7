"""The rules for a referral's outcome (seed, "Required fields on the report"), in one place:
the Preferred Assister Report import and the assister portal both check answers here, and the
messages name the report's own columns."""

from datetime import date

from django.utils import timezone

from tracker import limits

from .states import Resolution

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
