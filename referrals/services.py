"""One function per user action on referrals and assister organizations: the only place where a
transition runs, its history row is written (django-fsm-log) and the lead email is queued (after
commit)."""

from dataclasses import dataclass
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tracker.history import attribute_to, forget_attribution
from tracker.workflow import Conflict, StepFailed, run_transition, run_transitions_as_values

from . import delivery as lead_delivery
from . import tasks
from .models import (
    AssisterOrganization,
    ContactChange,
    LeadDelivery,
    Message,
    OrganizationChange,
    OrganizationRequest,
    Referral,
    Thread,
    UnmetRequest,
)
from .outcomes import contact_errors, decline_errors, outcome_errors, resolution_errors
from .routing import eligible_organizations
from .states import DeclineReason

UNMET_REPEAT_WINDOW = timedelta(minutes=15)


class ReferralConflict(Conflict):
    noun = "referral"


def _run(referral: Referral, name: str, *, by, description: str = "", **kwargs) -> Referral:
    return run_transition(
        referral,
        name,
        by=by,
        label=referral.number,
        conflict=ReferralConflict,
        description=description,
        **kwargs,
    )


def _lock(referral: Referral) -> None:
    """Lock the referral's row and reload it in place, so the caller's object is current."""
    list(Referral.objects.select_for_update().filter(pk=referral.pk).values_list("pk"))
    referral.refresh_from_db()


def _queue_delivery(referral: Referral, *, by) -> LeadDelivery:
    delivery = LeadDelivery.objects.create(
        referral=referral, organization=referral.organization, created_by=by
    )
    transaction.on_commit(lambda: lead_delivery.enqueue(delivery.pk))
    return delivery


def _cancel_pending(referral: Referral) -> None:
    referral.deliveries.filter(status=LeadDelivery.Status.PENDING).update(
        status=LeadDelivery.Status.CANCELLED, claimed_until=None
    )


def _check_eligible(referral: Referral, organization: AssisterOrganization) -> None:
    eligible = eligible_organizations(assister_type=referral.assister_type, county=referral.county)
    if not eligible.filter(pk=organization.pk).exists():
        raise ValidationError(
            {
                "organization": f"{organization} cannot take this lead: it must be an active "
                f"{referral.get_assister_type_display().lower()} serving {referral.county} County "
                "and taking new leads today."
            }
        )


# ---- referrals ------------------------------------------------------------------------------
@transaction.atomic
def referral_create(
    *, referral: Referral, organization: AssisterOrganization, by, duplicate_reason: str = ""
) -> Referral:
    """The rep refers a consumer (seed, "Referral emails"): the type follows the seed's rule, the
    organization must be eligible, and the lead email goes out as soon as this commits.

    `duplicate_reason`: why the rep refers again a phone or email referred in the last 30 days
    (the form's duplicate warning, referrals.duplicates); kept on the referral and its timeline.
    """
    if not referral.consent:
        raise ValidationError(
            {"consent": "The consumer did not consent: no referral can be sent to an assister."}
        )
    referral.created_by = by
    referral.duplicate_reason = duplicate_reason.strip()
    referral.derive_type()
    # Lock the organization so a suspension committed meanwhile is seen.
    organization = AssisterOrganization.objects.select_for_update().get(pk=organization.pk)
    _check_eligible(referral, organization)
    referral.organization = organization
    referral.full_clean(exclude=["state"])
    attribute_to(referral, by)
    referral.save()
    forget_attribution(referral)
    description = f"Lead for {organization}: {referral.type_reason}"
    if referral.duplicate_reason:
        description += f" Referred again within 30 days: {referral.duplicate_reason}"
    _run(referral, "submit", by=by, description=description)
    _queue_delivery(referral, by=by)
    return referral


def record_unmet_request(*, county, assister_type: str, language: str, by) -> UnmetRequest:
    """No eligible organization: keep the need for the coverage-gap report (seed: "Fill
    geographic gaps"). The same rep asking again for the same need within UNMET_REPEAT_WINDOW is
    the same consumer pressing the button twice, not a second consumer."""
    recent = UnmetRequest.objects.filter(
        county=county,
        assister_type=assister_type,
        recorded_by=by,
        recorded_at__gte=timezone.now() - UNMET_REPEAT_WINDOW,
    ).first()
    return recent or UnmetRequest.objects.create(
        county=county, assister_type=assister_type, language=language, recorded_by=by
    )


@transaction.atomic
def referral_resend(*, referral: Referral, by, note: str = "") -> Referral:
    """Coordinator: after fixing the contact, send a failed lead again (to the current address)."""
    _lock(referral)
    if not referral.organization.is_active:
        raise ValueError(f"{referral.organization} is suspended: reassign the lead instead.")
    _cancel_pending(referral)
    _run(
        referral,
        "resend",
        by=by,
        description=note or f"Resent to {referral.organization.lead_email}",
    )
    _queue_delivery(referral, by=by)
    return referral


@transaction.atomic
def referral_reassign(
    *, referral: Referral, organization: AssisterOrganization, by, reason: str
) -> Referral:
    """Coordinator: move the lead to another eligible organization; it is emailed to them."""
    _lock(referral)
    if organization.pk == referral.organization_id:
        raise ValidationError({"organization": "The lead is already with this organization."})
    _check_eligible(referral, organization)
    _require(reason, "reason")
    old = referral.organization
    _cancel_pending(referral)
    _run(
        referral,
        "reassign",
        by=by,
        organization=organization,
        description=f"From {old} to {organization}: {reason}",
    )
    _queue_delivery(referral, by=by)
    return referral


@transaction.atomic
def referral_withdraw(*, referral: Referral, by, reason: str) -> Referral:
    _require(reason, "reason")
    _lock(referral)
    _cancel_pending(referral)
    return _run(referral, "withdraw", by=by, description=reason)


@transaction.atomic
def referral_report_outcome(
    *,
    referral: Referral,
    by,
    contact_made: bool,
    contact_date,
    resolution: str,
    comments="",
    source: str = "",
) -> Referral:
    """Seed, "Required fields on the report": Contact Made, Contact Date, Resolution.

    A later report replaces earlier answers (the transition may run again from Outcome reported).
    """
    errors = outcome_errors(
        referral,
        contact_made=contact_made,
        contact_date=contact_date,
        resolution=resolution,
        comments=comments,
    )
    if errors:
        raise ValidationError(errors)
    return _run(
        referral,
        "report_outcome",
        by=by,
        description=source,
        contact_made=contact_made,
        contact_date=contact_date,
        resolution=resolution,
        comments=comments,
    )


@transaction.atomic
def referral_accept(*, referral: Referral, by) -> Referral:
    """The organization takes the lead (issue 14; seed: assisters "contact the consumer within
    one to two business days" of the lead — accepting says they will)."""
    _lock(referral)
    return _run(referral, "accept", by=by, description="Accepted in the assister portal")


@transaction.atomic
def referral_decline(*, referral: Referral, by, reason: str, note: str = "") -> Referral:
    """The organization cannot take the lead (issue 14; seed: tell the exchange when "unable to
    accept any new leads"): it goes straight back to the coordinators to reassign, the reason
    on its timeline and in their list."""
    note = (note or "").strip()
    errors = decline_errors(reason=reason, note=note)
    if errors:
        raise ValidationError(errors)
    _lock(referral)
    label = DeclineReason(reason).label
    return _run(
        referral,
        "decline",
        by=by,
        description=f"Declined by {referral.organization}: {label}"
        + (f" — {note}" if note else ""),
        reason=reason,
        note=note,
    )


@transaction.atomic
def referral_record_contact(
    *, referral: Referral, by, contact_date: date, appointment_on: date | None = None
) -> Referral:
    """The assister reached the consumer (seed: "Contact Made", "Contact Date"), with the
    appointment's date when one is scheduled (seed: "capacity for an appointment within two
    weeks"). Recording again corrects the contact and the appointment."""
    _lock(referral)
    errors = contact_errors(referral, contact_date=contact_date, appointment_on=appointment_on)
    if errors:
        raise ValidationError(errors)
    description = f"Contact made {contact_date:%m/%d/%Y}"
    if appointment_on:
        description += f", appointment on {appointment_on:%m/%d/%Y}"
    return _run(
        referral,
        "record_contact",
        by=by,
        description=description,
        contact_date=contact_date,
        appointment_on=appointment_on,
    )


@transaction.atomic
def referral_record_resolution(
    *, referral: Referral, by, resolution: str, comments: str = ""
) -> Referral:
    """The assister says how a lead in progress ended (seed: "Resolution", "Comments"): the
    report's outcome with the contact already recorded; the lead is completed."""
    _lock(referral)
    errors = resolution_errors(referral, resolution=resolution, comments=comments)
    if errors:
        raise ValidationError(errors)
    if referral.contact_date is None:
        raise ValidationError({"resolution": "Record the contact first."})
    return _run(
        referral,
        "report_outcome",
        by=by,
        description="Resolution recorded in the assister portal",
        contact_made=True,
        contact_date=referral.contact_date,
        resolution=resolution,
        comments=comments,
    )


@dataclass(frozen=True)
class Outcome:
    """One referral of a bulk outcome report: referral_report_outcome's arguments. `referral`
    may be a Referral or a row of its values (reports.assister_import.Lead): what the rules,
    the permission and the transition read — pk, state, organization_id, sent_at, accepted_at,
    number."""

    referral: Referral
    contact_made: bool
    contact_date: date | None
    resolution: str
    comments: str = ""


@transaction.atomic
def referrals_report_outcome(*, outcomes: list[Outcome], by, source: str = "") -> list[Referral]:
    """referral_report_outcome for many referrals at once (the Preferred Assister Report
    import): the same rules (referrals/outcomes.py), the same transition and history rows, saved
    a batch at a time. The first referral that fails raises StepFailed (its index and the error
    referral_report_outcome would raise); nothing is saved. Whether `by` may report on a lead
    depends on the lead's organization only, so it is asked once per organization."""
    steps = []
    today = timezone.localdate()
    for index, item in enumerate(outcomes):
        answers = {
            "contact_made": item.contact_made,
            "contact_date": item.contact_date,
            "resolution": item.resolution,
            "comments": item.comments,
        }
        errors = outcome_errors(item.referral, **answers, today=today)
        if errors:
            raise StepFailed(index, ValidationError(errors))
        steps.append((item.referral, item.referral.number, source, answers))
    return run_transitions_as_values(
        Referral,
        steps,
        "report_outcome",
        by=by,
        conflict=ReferralConflict,
        permission_key=lambda referral: referral.organization_id,
    )


# ---- organizations --------------------------------------------------------------------------
@transaction.atomic
def organization_create(*, organization: AssisterOrganization, counties, by, languages=()):
    organization.full_clean()
    attribute_to(organization, by)
    organization.save()
    organization.counties.set(counties)
    organization.languages.set(languages)
    forget_attribution(organization)
    OrganizationChange.objects.create(
        organization=organization,
        field=OrganizationChange.Field.CREATED,
        new_value=organization.lead_email,
        changed_by=by,
    )
    return organization


@transaction.atomic
def organization_update(
    *,
    organization: AssisterOrganization,
    by,
    note: str = "",
    counties=None,
    languages=None,
):
    """Save edits; a changed designated lead email, and a pause set or lifted, are recorded with
    who and when (seed: "notify MNsure if there is a change to the contact information")."""
    previous = AssisterOrganization.objects.select_for_update().get(pk=organization.pk)
    organization.full_clean()
    attribute_to(organization, by, reason=note)
    organization.save()
    if counties is not None:
        organization.counties.set(counties)
    if languages is not None:
        organization.languages.set(languages)
    forget_attribution(organization)
    if previous.lead_email != organization.lead_email:
        OrganizationChange.objects.create(
            organization=organization,
            field=OrganizationChange.Field.LEAD_EMAIL,
            old_value=previous.lead_email,
            new_value=organization.lead_email,
            note=note,
            changed_by=by,
        )
    if _pause_text(previous) != _pause_text(organization):
        OrganizationChange.objects.create(
            organization=organization,
            field=OrganizationChange.Field.TAKING_LEADS,
            old_value=_pause_text(previous),
            new_value=_pause_text(organization),
            note=organization.pause_reason or note,
            changed_by=by,
        )
    return organization


def _pause_text(organization: AssisterOrganization) -> str:
    """A pause as the change history shows it."""
    if organization.paused_from is None:
        return "Yes"
    until = f"{organization.paused_until:%m/%d/%Y}" if organization.paused_until else "resumed"
    return f"No, {organization.paused_from:%m/%d/%Y} until {until}"[:254]


def _tell_coordinators(kind: str, pk: int) -> None:
    """Email the coordinators through the task worker once the change is committed."""
    transaction.on_commit(lambda: tasks.enqueue_notice(kind, pk))


@transaction.atomic
def organization_pause(
    *,
    organization: AssisterOrganization,
    by,
    reason: str,
    paused_from: date | None = None,
    paused_until: date | None = None,
) -> AssisterOrganization:
    """Seed, "Who to contact": "If you are unable to accept any new leads or can no longer complete
    appointments within two weeks" — the organization takes no new leads from `paused_from`
    (today by default) through `paused_until` (or until resumed). Routing obeys at once; the
    coordinators are emailed."""
    _require(reason, "reason")
    today = timezone.localdate()
    paused_from = paused_from or today
    if paused_until is not None and paused_until < paused_from:
        raise ValidationError({"paused_until": "Must be on or after the first day of the pause."})
    if paused_until is not None and paused_until < today:
        raise ValidationError({"paused_until": "Must be today or later."})
    organization = AssisterOrganization.objects.select_for_update().get(pk=organization.pk)
    previous = _pause_text(organization)
    organization.paused_from = paused_from
    organization.paused_until = paused_until
    organization.pause_reason = reason.strip()
    organization.full_clean()
    attribute_to(organization, by, reason=reason)
    organization.save()
    forget_attribution(organization)
    change = OrganizationChange.objects.create(
        organization=organization,
        field=OrganizationChange.Field.TAKING_LEADS,
        old_value=previous,
        new_value=_pause_text(organization),
        note=organization.pause_reason,
        changed_by=by,
    )
    _tell_coordinators("taking_leads", change.pk)
    return organization


@transaction.atomic
def organization_resume_leads(
    *, organization: AssisterOrganization, by, note: str = ""
) -> AssisterOrganization:
    """The organization takes new leads again before its pause was due to end (a pause also ends
    by itself after its last day). Routing obeys at once; the coordinators are emailed."""
    organization = AssisterOrganization.objects.select_for_update().get(pk=organization.pk)
    if not organization.has_pause:
        raise ValueError(f"{organization} is already taking new leads.")
    previous = _pause_text(organization)
    organization.paused_from = organization.paused_until = None
    organization.pause_reason = ""
    attribute_to(organization, by, reason=note or "Taking new leads again")
    organization.save()
    forget_attribution(organization)
    change = OrganizationChange.objects.create(
        organization=organization,
        field=OrganizationChange.Field.TAKING_LEADS,
        old_value=previous,
        new_value=_pause_text(organization),
        note=note.strip(),
        changed_by=by,
    )
    _tell_coordinators("taking_leads", change.pk)
    return organization


@transaction.atomic
def contact_change_request(
    *,
    organization: AssisterOrganization,
    by,
    contact_name: str,
    lead_email: str,
    phone: str = "",
    note: str = "",
) -> ContactChange:
    """Seed: "immediately notify MNsure if there is a change to the contact information" — asked
    in the portal; leads keep going to the current contact until a coordinator approves. A newer
    request replaces one still waiting."""
    organization = AssisterOrganization.objects.select_for_update().get(pk=organization.pk)
    organization.contact_changes.filter(status=ContactChange.Status.PENDING).update(
        status=ContactChange.Status.SUPERSEDED, decided_at=timezone.now()
    )
    change = ContactChange(
        organization=organization,
        contact_name=contact_name.strip(),
        lead_email=lead_email.strip(),
        phone=phone,
        note=note.strip(),
        requested_by=by,
    )
    change.full_clean()
    change.save()
    _tell_coordinators("contact_change", change.pk)
    return change


def _lock_pending(change: ContactChange) -> ContactChange:
    change = (
        ContactChange.objects.select_for_update().select_related("organization").get(pk=change.pk)
    )
    if not change.is_pending:
        raise ValueError(f"This contact change was already {change.get_status_display().lower()}.")
    return change


@transaction.atomic
def contact_change_approve(*, change: ContactChange, by, note: str = "") -> ContactChange:
    """Seed: MNsure gives "a timely response to requests to update contact information". The
    new contact takes effect for every lead sent from now on; the old one stays in the history."""
    change = _lock_pending(change)
    organization = AssisterOrganization.objects.select_for_update().get(pk=change.organization_id)
    old = f"{organization.contact_name} <{organization.lead_email}> {organization.phone}".strip()
    previous_email = organization.lead_email
    organization.contact_name = change.contact_name
    organization.lead_email = change.lead_email
    organization.phone = change.phone
    reason = f"Contact change asked by {change.requested_by} approved"
    organization.full_clean()
    attribute_to(organization, by, reason=reason)
    organization.save()
    forget_attribution(organization)
    new = f"{change.contact_name} <{change.lead_email}> {change.phone}".strip()
    OrganizationChange.objects.create(
        organization=organization,
        field=OrganizationChange.Field.CONTACT,
        old_value=old[:254],
        new_value=new[:254],
        note=note.strip() or reason,
        changed_by=by,
    )
    if previous_email != change.lead_email:
        OrganizationChange.objects.create(
            organization=organization,
            field=OrganizationChange.Field.LEAD_EMAIL,
            old_value=previous_email,
            new_value=change.lead_email,
            note=note.strip() or reason,
            changed_by=by,
        )
    change.status = ContactChange.Status.APPROVED
    change.decided_by, change.decided_at = by, timezone.now()
    change.decision_note = note.strip()
    change.save()
    return change


@transaction.atomic
def contact_change_reject(*, change: ContactChange, by, note: str) -> ContactChange:
    """The coordinator refuses the change (e.g. the address is not the organization's); the
    current contact stays and the organization sees why in the portal."""
    _require(note, "reason")
    change = _lock_pending(change)
    change.status = ContactChange.Status.REJECTED
    change.decided_by, change.decided_at = by, timezone.now()
    change.decision_note = note.strip()
    change.save()
    return change


# ---- messages with the single point of contact -------------------------------------------
@transaction.atomic
def thread_start(
    *, organization: AssisterOrganization, by, subject: str, body: str, referral=None
) -> Thread:
    """Seed: "a single point of contact at MNsure so that preferred assister issues can be
    resolved quickly" — the organization writes in the app instead of emailing assisterleads@."""
    _require(subject, "subject")
    _require(body, "message")
    if referral is not None and referral.organization_id != organization.pk:
        raise ValidationError({"referral": "That lead is not your organization's."})
    now = timezone.now()
    thread = Thread(
        organization=organization,
        referral=referral,
        subject=subject.strip(),
        opened_by=by,
        opened_at=now,
        last_message_at=now,
        awaiting_exchange=True,
    )
    thread.full_clean()
    thread.save()
    message = Message(thread=thread, author=by, body=body.strip(), sent_at=now)
    message.full_clean()
    message.save()
    return thread


@transaction.atomic
def thread_reply(*, thread: Thread, by, body: str, from_exchange: bool) -> Message:
    """A message in the thread. MNsure's answer (`from_exchange`) takes the thread off the
    coordinators' unanswered count; the organization writing again puts it back (and reopens a
    closed thread)."""
    _require(body, "message")
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    now = timezone.now()
    message = Message(
        thread=thread, author=by, body=body.strip(), sent_at=now, from_exchange=from_exchange
    )
    message.full_clean()
    message.save()
    thread.last_message_at = now
    thread.awaiting_exchange = not from_exchange
    if not from_exchange:
        thread.status = Thread.Status.OPEN
    thread.save(update_fields=["last_message_at", "awaiting_exchange", "status"])
    if from_exchange:
        # The organization hears of the answer without watching the portal.
        transaction.on_commit(lambda: tasks.enqueue_notice("thread_answer", message.pk))
    return message


@transaction.atomic
def thread_close(*, thread: Thread, by) -> Thread:
    """The coordinator closes a resolved thread; the organization writing again reopens it."""
    thread = Thread.objects.select_for_update().get(pk=thread.pk)
    thread.status = Thread.Status.CLOSED
    thread.awaiting_exchange = False
    thread.save(update_fields=["status", "awaiting_exchange"])
    return thread


@transaction.atomic
def organization_suspend(
    *, organization: AssisterOrganization, by, reason: str, suspended_on=None, suspended_until=None
):
    """Seed: "unable to accept any new leads" — no new leads from now on."""
    _require(reason, "reason")
    organization = AssisterOrganization.objects.select_for_update().get(pk=organization.pk)
    if not organization.is_active:
        raise ValueError(f"{organization} is already suspended.")
    organization.status = AssisterOrganization.Status.SUSPENDED
    organization.suspension_reason = reason
    organization.suspended_on = suspended_on or timezone.localdate()
    organization.suspended_until = suspended_until
    organization.resumed_on = None
    attribute_to(organization, by, reason=reason)
    organization.save()
    forget_attribution(organization)
    OrganizationChange.objects.create(
        organization=organization,
        field=OrganizationChange.Field.STATUS,
        old_value="active",
        new_value="suspended",
        note=reason,
        changed_by=by,
    )
    return organization


@transaction.atomic
def organization_resume(*, organization: AssisterOrganization, by, note: str = ""):
    organization = AssisterOrganization.objects.select_for_update().get(pk=organization.pk)
    if organization.is_active:
        raise ValueError(f"{organization} is already active.")
    organization.status = AssisterOrganization.Status.ACTIVE
    organization.resumed_on = timezone.localdate()
    attribute_to(organization, by, reason=note)
    organization.save()
    forget_attribution(organization)
    OrganizationChange.objects.create(
        organization=organization,
        field=OrganizationChange.Field.STATUS,
        old_value="suspended",
        new_value="active",
        note=note,
        changed_by=by,
    )
    return organization


def organization_resend_failed(*, organization: AssisterOrganization, by) -> int:
    """Resend every failed lead of the organization, e.g. after its contact was fixed."""
    failed = list(organization.referrals.filter(state="failed"))
    for referral in failed:
        referral_resend(referral=referral, by=by)
    return len(failed)


def organization_request_log(*, request: OrganizationRequest, by) -> OrganizationRequest:
    request.logged_by = by
    request.full_clean()
    request.save()
    return request


def organization_request_handle(*, request: OrganizationRequest, by, response: str):
    if request.handled_at:
        raise ValueError("This request was already handled.")
    _require(response, "response")
    request.handled_by = by
    request.handled_at = timezone.now()
    request.response = response
    request.save()
    return request


def _require(value: str, label: str) -> None:
    if not (value or "").strip():
        raise ValueError(f"A {label} is required.")
