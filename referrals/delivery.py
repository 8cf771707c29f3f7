"""Lead delivery that never loses a lead and never sends one twice.

Seed: "Leads are sent to the Preferred Assister as soon as they are created – no more delays!" and
"Leads sent to inaccurate or outdated contacts" (so the address is read when sending, not when
queuing). How it holds together:

- The referral and its LeadDelivery row are written in one transaction; the task is enqueued only
  after commit. If the process dies before (or the queue is down), the row is still there and
  `sweep()` (the `sweep_leads` command, run every few minutes) enqueues it again.
- A worker *claims* the delivery under `select_for_update` before it sends: a second worker (a
  duplicate task, the sweep) sees the claim or the "sent" status and does nothing. Each try is a
  DeliveryAttempt row written before the email goes out.
- A failed send is recorded and retried with backoff; after MAX_ATTEMPTS the referral becomes
  "failed" and shows in the coordinators' list, who fix the contact and resend.
- The one gap no email system can close: a worker that dies after the mail server accepted the
  message but before we recorded it. Its claim expires (CLAIM_LEASE) and the lead is sent again;
  the attempt shows as "interrupted". A duplicate lead is better than a lost one.
"""

import logging
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from tracker.metrics import count_delivery
from tracker.workflow import Conflict, run_transition

from . import emails
from .models import DeliveryAttempt, LeadDelivery, Referral
from .states import AWAITING_DELIVERY, State

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# Wait after the 1st, 2nd, 3rd, 4th failed try.
BACKOFF = [timedelta(minutes=1), timedelta(minutes=5), timedelta(minutes=15), timedelta(hours=1)]
CLAIM_LEASE = timedelta(minutes=5)
# The sweep leaves fresh deliveries to the task enqueued on commit.
SWEEP_MIN_AGE = timedelta(minutes=1)


def backoff(failed_attempts: int) -> timedelta:
    return BACKOFF[min(failed_attempts, len(BACKOFF)) - 1]


def enqueue(delivery_id: int, *, run_after=None) -> None:
    """Hand the delivery to the task backend; if that fails the sweep will find it."""
    from .tasks import deliver_lead

    try:
        if run_after is not None:
            if not deliver_lead.get_backend().supports_defer:
                return  # e.g. the immediate backend: the sweep retries when it is due
            deliver_lead.using(run_after=run_after).enqueue(delivery_id)
        else:
            deliver_lead.enqueue(delivery_id)
    except Exception:
        logger.exception("Could not enqueue lead delivery %s; the sweep will retry it", delivery_id)


def deliver(delivery_id: int) -> str:
    """Send one pending delivery if nobody else is; record the attempt and its outcome."""
    now = timezone.now()
    with transaction.atomic():
        delivery = (
            LeadDelivery.objects.select_for_update()
            .select_related("organization")
            .get(pk=delivery_id)
        )
        if delivery.status != LeadDelivery.Status.PENDING:
            return f"nothing to do: {delivery.status}"
        if delivery.claimed_until and delivery.claimed_until > now:
            return "being sent by another worker"
        if delivery.next_attempt_at and delivery.next_attempt_at > now:
            return "not due yet"
        delivery.attempts.filter(outcome=DeliveryAttempt.Outcome.IN_PROGRESS).update(
            outcome=DeliveryAttempt.Outcome.INTERRUPTED, finished_at=now
        )
        organization = delivery.organization
        if not organization.is_active:
            _give_up(
                delivery,
                f"{organization} is suspended and takes no new leads: reassign the lead.",
            )
            return "organization suspended"
        delivery.to_email = organization.lead_email
        delivery.attempt_count += 1
        delivery.claimed_until = now + CLAIM_LEASE
        delivery.save()
        attempt = DeliveryAttempt.objects.create(
            delivery=delivery, number=delivery.attempt_count, to_email=delivery.to_email
        )
    referral = Referral.objects.select_related("county", "organization", "created_by").get(
        pk=delivery.referral_id
    )
    try:
        emails.lead_email(referral=referral, to_email=delivery.to_email).send()
    except Exception as error:  # SMTP down, address refused, ...: record, retry later
        logger.warning("Lead %s to %s failed: %s", referral.number, delivery.to_email, error)
        return _record_failure(delivery.pk, attempt.pk, f"{type(error).__name__}: {error}")
    _record_success(delivery.pk, attempt.pk)
    return "sent"


@transaction.atomic
def _record_success(delivery_id: int, attempt_id: int) -> None:
    now = timezone.now()
    delivery = LeadDelivery.objects.select_for_update().get(pk=delivery_id)
    DeliveryAttempt.objects.filter(pk=attempt_id).update(
        outcome=DeliveryAttempt.Outcome.SENT, finished_at=now
    )
    delivery.status = LeadDelivery.Status.SENT
    delivery.sent_at = now
    delivery.claimed_until = None
    delivery.last_error = ""
    delivery.save()
    referral = Referral.objects.select_for_update().get(pk=delivery.referral_id)
    if referral.organization_id == delivery.organization_id and referral.state in [
        *AWAITING_DELIVERY,
        State.FAILED,
    ]:
        run_transition(
            referral,
            "mark_sent",
            by=None,
            label=f"Lead {referral.number}",
            conflict=Conflict,
            description=f"Lead emailed to {delivery.to_email} (attempt {delivery.attempt_count})",
            when=now,
        )
    count_delivery("sent")


@transaction.atomic
def _record_failure(delivery_id: int, attempt_id: int, error: str) -> str:
    now = timezone.now()
    delivery = LeadDelivery.objects.select_for_update().get(pk=delivery_id)
    DeliveryAttempt.objects.filter(pk=attempt_id).update(
        outcome=DeliveryAttempt.Outcome.FAILED, finished_at=now, error=error
    )
    delivery.claimed_until = None
    delivery.last_error = error
    if delivery.attempt_count >= MAX_ATTEMPTS:
        _give_up(delivery, f"All {delivery.attempt_count} attempts failed; last: {error}")
        return "failed for good"
    delivery.next_attempt_at = now + backoff(delivery.attempt_count)
    delivery.save()
    count_delivery("retry")
    run_after = delivery.next_attempt_at
    transaction.on_commit(lambda: enqueue(delivery_id, run_after=run_after))
    return "failed; will retry"


def _give_up(delivery: LeadDelivery, reason: str) -> None:
    """Called inside a transaction with the delivery locked."""
    delivery.status = LeadDelivery.Status.FAILED
    delivery.last_error = reason
    delivery.claimed_until = None
    delivery.next_attempt_at = None
    delivery.save()
    referral = Referral.objects.select_for_update().get(pk=delivery.referral_id)
    if referral.organization_id == delivery.organization_id and referral.state in [
        *AWAITING_DELIVERY,
        State.FAILED,
    ]:
        run_transition(
            referral,
            "mark_failed",
            by=None,
            label=f"Lead {referral.number}",
            conflict=Conflict,
            description=reason,
        )
    count_delivery("failed")


def due_deliveries(*, now=None, min_age=SWEEP_MIN_AGE):
    """Pending deliveries nobody is working on: never picked up, due for a retry, or claimed by a
    worker that died."""
    now = now or timezone.now()
    return LeadDelivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        Q(claimed_until__isnull=True) | Q(claimed_until__lte=now),
        status=LeadDelivery.Status.PENDING,
        created_at__lte=now - min_age,
    )


def sweep(*, now=None, min_age=SWEEP_MIN_AGE) -> int:
    """Enqueue every due delivery again. Safe to run any time, as often as wanted: `deliver`
    sends each lead once."""
    ids = list(due_deliveries(now=now, min_age=min_age).values_list("pk", flat=True))
    for delivery_id in ids:
        enqueue(delivery_id)
    return len(ids)
