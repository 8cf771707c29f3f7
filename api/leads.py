"""/api/v1/leads: an assister organization's leads, for its own script or system (issue 15).

Everything here is the assister portal's (referrals/views/portal.py) through the same functions:
the leads are portal_leads(user) (another organization's lead is a 404, as in the portal), each
step runs the portal's service (referrals/services.py) whose rules live in referrals/outcomes.py,
and a step the lead's state does not allow is a 409 naming the state, where the portal says
"that step is not possible"."""

from datetime import date
from typing import Literal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.shortcuts import get_object_or_404
from django_fsm import TransitionNotAllowed
from ninja import Field, Path, Query, Router, Schema

from referrals import services
from referrals.forms import (
    CLOSING_RESOLUTIONS,
    ContactForm,
    DeclineForm,
    OutcomeForm,
    ResolutionForm,
)
from referrals.models import Referral
from referrals.permissions import can_use_portal, portal_leads
from referrals.services import ReferralConflict
from referrals.states import REPORTABLE, DeclineReason, Resolution
from tracker import limits

from .cursors import CURSOR_MAX, decode_instant_cursor, encode_cursor, encode_instant_cursor
from .errors import step_refusal
from .referral_common import (
    ERRORS,
    ID_MAX,
    Errors,
    ReferralOut,
    check_step_possible,
    referral_out,
    require,
)

router = Router(tags=["leads"])

LIST_MAX = 200
STEP_ERRORS = {**ERRORS, 409: Errors}


class LeadOut(ReferralOut):
    steps: list[str] = Field(
        description="The steps the caller may take on the lead now: accept, decline, contact, "
        "resolution, outcome."
    )


class LeadPage(Schema):
    items: list[ReferralOut]
    next_cursor: str = Field(
        description="Pass as cursor next time: the leads sent after the last one here."
    )
    more: bool = Field(description="More leads are waiting: ask again at once with next_cursor.")


class LeadQuery(Schema):
    cursor: str | None = Field(
        None, max_length=CURSOR_MAX, description="next_cursor of the previous answer."
    )
    limit: int = Field(50, ge=1, le=LIST_MAX)
    state: Literal[tuple(REPORTABLE)] | None = Field(None, description="Only leads in this state.")


def _sent_cursor(referral) -> str:
    return encode_instant_cursor(referral.sent_at, referral.pk)


def _after_cursor(cursor: str) -> Q:
    """The leads sent after the cursor's lead: by sent time, then id. A lead resent or
    reassigned to the caller gets a new sent time, so it comes again as new."""
    sent_at, pk = decode_instant_cursor(cursor)
    return Q(sent_at__gt=sent_at) | Q(sent_at=sent_at, pk__gt=pk)


@router.get(
    "",
    response={200: LeadPage, **ERRORS},
    summary="New leads since a cursor, in the order they were sent",
)
def lead_list(request, query: Query[LeadQuery]):
    user = request.auth
    require(can_use_portal, user)
    queryset = portal_leads(user).select_related("county", "organization")
    if query.state:
        queryset = queryset.filter(state=query.state)
    if query.cursor:
        queryset = queryset.filter(_after_cursor(query.cursor))
    rows = list(queryset.order_by("sent_at", "pk")[: query.limit + 1])
    page = rows[: query.limit]
    if page:
        next_cursor = _sent_cursor(page[-1])
    else:
        # Nothing new: the same cursor again, so a script polls without keeping state of its own.
        next_cursor = query.cursor or encode_cursor(0, 0)
    return {
        "items": [referral_out(referral) for referral in page],
        "next_cursor": next_cursor,
        "more": len(rows) > query.limit,
    }


# step -> the transition behind it (the portal's STEPS, plus the report's one-form outcome).
STEPS = {
    "accept": "accept",
    "decline": "decline",
    "contact": "record_contact",
    "resolution": "report_outcome",
    "outcome": "report_outcome",
}


def _lead(user, lead_id):
    require(can_use_portal, user)
    queryset = portal_leads(user).select_related("county", "organization")
    return get_object_or_404(queryset, pk=lead_id)


def _lead_out(referral, user) -> dict:
    allowed = {t.name for t in referral.get_available_user_state_transitions(user)}
    steps = [step for step, transition in STEPS.items() if transition in allowed]
    if not referral.contact_made and "resolution" in steps:
        steps.remove("resolution")  # the portal asks for the contact first
    return {**referral_out(referral), "steps": steps}


def _done(referral) -> dict:
    return referral_out(
        Referral.objects.select_related("county", "organization").get(pk=referral.pk)
    )


LeadId = Path(..., ge=1, le=ID_MAX)


@router.get("/{lead_id}", response={200: LeadOut, **ERRORS}, summary="One lead")
def lead_read(request, lead_id: int = LeadId):
    return _lead_out(_lead(request.auth, lead_id), request.auth)


def _answers(form_class, data: dict) -> dict:
    """The step's answers cleaned by the portal's own form (its bounds, stripping and refusals),
    or a ValidationError naming the field."""
    form = form_class(data)
    if not form.is_valid():
        raise ValidationError(form.errors.as_data())
    return form.cleaned_data


def _take(request, lead_id, step, action, form_class=None, data=None):
    """Run one step on one lead the portal's way: 404 outside the caller's leads, 409 when the
    lead's state does not allow it, the portal form's and the service's own errors otherwise."""
    referral = _lead(request.auth, lead_id)
    refusal = check_step_possible(referral, STEPS[step], step)
    if refusal:
        return refusal
    answers = _answers(form_class, data) if form_class else {}
    try:
        action(referral, answers)
    except (TransitionNotAllowed, ReferralConflict, PermissionDenied) as error:
        return step_refusal(error)
    return _done(referral)


@router.post(
    "/{lead_id}/accept",
    response={200: ReferralOut, **STEP_ERRORS},
    summary="Accept the lead (FHIR Task accepted)",
)
def lead_accept(request, lead_id: int = LeadId):
    return _take(
        request,
        lead_id,
        "accept",
        lambda referral, _: services.referral_accept(referral=referral, by=request.auth),
    )


class DeclineIn(Schema):
    reason: Literal[tuple(DeclineReason.values)]
    note: str = Field("", max_length=limits.REASON, description="Required with reason other.")


@router.post(
    "/{lead_id}/decline",
    response={200: ReferralOut, **STEP_ERRORS},
    summary="Decline the lead with a reason: it goes back to the PAL coordinators",
)
def lead_decline(request, payload: DeclineIn, lead_id: int = LeadId):
    return _take(
        request,
        lead_id,
        "decline",
        lambda referral, answers: services.referral_decline(
            referral=referral, by=request.auth, reason=answers["reason"], note=answers["note"]
        ),
        DeclineForm,
        payload.model_dump(),
    )


class ContactIn(Schema):
    contact_date: date = Field(description="The day the consumer was reached: not in the future.")
    appointment_on: date | None = Field(
        None, description=f"On or after the contact, within {limits.APPOINTMENT_DAYS_AHEAD} days."
    )


@router.post(
    "/{lead_id}/contact",
    response={200: ReferralOut, **STEP_ERRORS},
    summary="Record the contact, and the appointment if one was scheduled",
)
def lead_contact(request, payload: ContactIn, lead_id: int = LeadId):
    return _take(
        request,
        lead_id,
        "contact",
        lambda referral, answers: services.referral_record_contact(
            referral=referral,
            by=request.auth,
            contact_date=answers["contact_date"],
            appointment_on=answers["appointment_on"],
        ),
        ContactForm,
        payload.model_dump(),
    )


class ResolutionIn(Schema):
    resolution: Literal[tuple(code for code, _ in CLOSING_RESOLUTIONS)]
    comments: str = Field("", max_length=limits.NOTE)


@router.post(
    "/{lead_id}/resolution",
    response={200: ReferralOut, **STEP_ERRORS},
    summary="How a lead whose contact is recorded ended: completes it",
)
def lead_resolution(request, payload: ResolutionIn, lead_id: int = LeadId):
    return _take(
        request,
        lead_id,
        "resolution",
        lambda referral, answers: services.referral_record_resolution(
            referral=referral,
            by=request.auth,
            resolution=answers["resolution"],
            comments=answers["comments"],
        ),
        ResolutionForm,
        payload.model_dump(),
    )


class OutcomeIn(Schema):
    """The Preferred Assister Report's four columns (referrals/outcomes.py's rules)."""

    contact_made: bool
    contact_date: date | None = None
    resolution: Literal[tuple(Resolution.values)]
    comments: str = Field("", max_length=limits.NOTE)


@router.post(
    "/{lead_id}/outcome",
    response={200: ReferralOut, **STEP_ERRORS},
    summary="Report the outcome in one go, as on the Preferred Assister Report",
)
def lead_outcome(request, payload: OutcomeIn, lead_id: int = LeadId):
    return _take(
        request,
        lead_id,
        "outcome",
        lambda referral, answers: services.referral_report_outcome(
            referral=referral, by=request.auth, source="Reported through the API", **answers
        ),
        OutcomeForm,
        {**payload.model_dump(), "contact_made": "Y" if payload.contact_made else "N"},
    )
