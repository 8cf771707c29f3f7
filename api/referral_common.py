"""What the referral, lead and FHIR endpoints share: who may read referrals at all, the error
schema they declare, how a refused step is answered, and one referral as JSON."""

from django.core.exceptions import PermissionDenied
from ninja import Schema

from referrals.permissions import can_use_portal
from referrals.views.access import can_list_referrals

from . import errors


class ErrorItem(Schema):
    field: str | None
    rule: str
    message: str


class Errors(Schema):
    errors: list[ErrorItem]


# The answers every endpoint may give besides its own (api/errors.py writes them).
ERRORS = {401: Errors, 403: Errors, 404: Errors, 422: Errors}


def may_read_referrals(user) -> bool:
    """The referral pages' own door rules: the list's (reps, coordinators) or the portal's
    (assisters). What each one then sees is referrals_visible_to / portal_leads."""
    return can_list_referrals(user) or can_use_portal(user)


def require(check, user) -> None:
    if not check(user):
        raise PermissionDenied("Your role does not give access to this endpoint.")


def check_step_possible(referral, transition: str, step: str):
    """None when `transition` may run from the lead's current state, else the 409 the portal's
    "that step is not possible" message becomes."""
    if any(t.name == transition for t in referral.get_available_state_transitions()):
        return None
    return errors.refused(
        409,
        "state",
        f"{referral.number} is {referral.get_state_display()}: “{step}” is not possible from "
        "there. Nothing was changed.",
    )


class OrganizationRef(Schema):
    id: int
    name: str


class ReferralOut(Schema):
    id: int
    number: str
    state: str
    state_label: str
    fhir_status: str
    business_status: str
    consumer_name: str
    phone: str
    email: str
    county: str
    language: str
    has_active_account: bool
    has_active_application: bool
    determinations: list[str]
    reason_for_help: str
    guidance_given: str
    assister_type: str
    type_reason: str
    organization: OrganizationRef
    duplicate_reason: str
    created_at: str
    sent_at: str | None
    contact_due_on: str | None
    accepted_at: str | None
    declined_at: str | None
    decline_reason: str
    decline_note: str
    contact_made: bool | None
    contact_date: str | None
    appointment_on: str | None
    resolution: str
    comments: str
    outcome_reported_at: str | None


def _iso(value):
    return value.isoformat() if value is not None else None


def referral_out(referral) -> dict:
    """One referral as the API shows it (the referral page's facts). Needs county and
    organization loaded (select_related) to stay one query per list."""
    return {
        "id": referral.pk,
        "number": referral.number,
        "state": referral.state,
        "state_label": referral.get_state_display(),
        "fhir_status": referral.fhir_status,
        "business_status": referral.business_status,
        "consumer_name": referral.consumer_name,
        "phone": referral.phone or "",
        "email": referral.email,
        "county": referral.county.name,
        "language": referral.language,
        "has_active_account": referral.has_active_account,
        "has_active_application": referral.has_active_application,
        "determinations": [str(code) for code in referral.determinations],
        "reason_for_help": referral.reason_for_help,
        "guidance_given": referral.guidance_given,
        "assister_type": referral.assister_type,
        "type_reason": referral.type_reason,
        "organization": {"id": referral.organization_id, "name": referral.organization.name},
        "duplicate_reason": referral.duplicate_reason,
        "created_at": referral.created_at.isoformat(),
        "sent_at": _iso(referral.sent_at),
        "contact_due_on": _iso(referral.contact_due_on),
        "accepted_at": _iso(referral.accepted_at),
        "declined_at": _iso(referral.declined_at),
        "decline_reason": referral.decline_reason,
        "decline_note": referral.decline_note,
        "contact_made": referral.contact_made,
        "contact_date": _iso(referral.contact_date),
        "appointment_on": _iso(referral.appointment_on),
        "resolution": referral.resolution,
        "comments": referral.comments,
        "outcome_reported_at": _iso(referral.outcome_reported_at),
    }


ID_MAX = 2**31 - 1  # the largest id a database integer column holds
