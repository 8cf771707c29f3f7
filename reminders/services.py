"""Reminders and escalations (issue 14, item 5): record what is due, queue its email, send it.

Seed (PAL policy): assisters contact the consumer "no later than within one to two business
days" and return each Preferred Assister Report by its due date; the exchange resolves assister
concerns fast and fixes "leads sent to inaccurate or outdated contacts". `send_reminders` (cron)
calls `reminders_send_due`; the task worker calls `reminder_deliver`.

Exactly once: each event is a Reminder row with a unique key (kind, subject, day), inserted with
ON CONFLICT DO NOTHING, so a repeated or concurrent run records nothing twice (on PostgreSQL the
second run waits for the first's rows and skips them). With the database task backend the email
task is written in the same transaction as the rows: both or neither. With the immediate backend
the task runs after commit (running it inside would email before the rows are safely kept). The
worker locks the rows and sends only those still queued, so a duplicate task sends nothing.
"""

import logging
import uuid
from collections import defaultdict
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from .emails import reminder_email
from .kinds import enabled_kinds
from .models import Reminder
from .plan import PLANNERS

logger = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
# A queued row older than this whose task never ran (the worker was down, the web process died
# after commit on the immediate backend) is queued again by the next run.
REQUEUE_AFTER = timedelta(hours=1)


def _stores_tasks_in_database(backend) -> bool:
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(backend, DatabaseBackend)


def _enqueue(reminder_ids: list[int]) -> None:
    from .tasks import send_reminder

    if _stores_tasks_in_database(send_reminder.get_backend()):
        send_reminder.enqueue(reminder_ids)  # in this transaction, with the rows
        return

    def after_commit():
        try:
            send_reminder.enqueue(reminder_ids)
        except Exception:  # the rows stay queued; the next run queues them again
            logger.exception("Reminder email %s not sent; the next run retries", reminder_ids)

    transaction.on_commit(after_commit)


def _grouped(rows) -> list[list[int]]:
    """Row ids per email: one email per (batch, kind, reader)."""
    groups = defaultdict(list)
    for pk, batch, kind, email_key in rows:
        groups[(batch, kind, email_key)].append(pk)
    return list(groups.values())


@transaction.atomic
def reminders_send_due(*, today: date, kinds: list[str] | None = None) -> dict[str, int]:
    """Record every reminder `today` calls for that is not recorded yet and queue its emails;
    queue again the emails of earlier runs that failed or never ran. Kinds named in
    REMINDERS_OFF are neither recorded nor sent. Returns the new events per kind.

    Seed: contact "no later than within one to two business days"; reports back by their due
    date; leads sent to outdated contacts fixed by the exchange."""
    enabled = enabled_kinds()
    kinds = [kind for kind in (kinds or enabled) if kind in enabled]
    batch = uuid.uuid4()
    rows = []
    for kind in kinds:
        for row in PLANNERS[kind](today):
            row.batch = batch
            rows.append(row)
    Reminder.objects.bulk_create(rows, ignore_conflicts=True, batch_size=500)

    new = Reminder.objects.filter(batch=batch).values_list("pk", "batch", "kind", "email_key")
    retry = Reminder.objects.filter(
        Q(attempts__gt=0) | Q(created_at__lt=timezone.now() - REQUEUE_AFTER),
        status=Reminder.Status.PENDING,
        kind__in=kinds,
    ).values_list("pk", "batch", "kind", "email_key")
    new = list(new.order_by("pk"))
    for ids in _grouped(new) + _grouped(retry.order_by("pk")):
        _enqueue(ids)
    counts = dict.fromkeys(kinds, 0)
    for _pk, _batch, kind, _key in new:
        counts[kind] += 1
    return counts


def reminder_deliver(*, reminder_ids: list[int]) -> str:
    """The worker: send one reminder email for these rows if they are still queued and record
    the outcome (seed: the exchange answers assister concerns fast — a reminder that could not
    be sent says so on the lead's timeline)."""
    with transaction.atomic():
        # Locked while the email goes out: a duplicate task waits, then finds them sent.
        rows = list(
            Reminder.objects.select_for_update()
            .filter(pk__in=reminder_ids, status=Reminder.Status.PENDING)
            .order_by("pk")
        )
        if not rows:
            return "nothing to do"
        now = timezone.now()
        try:
            message = reminder_email(rows)
            if not message.to:
                raise ValueError("nobody to send it to")
            message.send()
        except Exception as error:  # mail server down, no address: record, retry next run
            logger.warning("Reminder email %s failed: %s", reminder_ids, error)
            attempts = rows[0].attempts + 1
            status = Reminder.Status.FAILED if attempts >= MAX_ATTEMPTS else Reminder.Status.PENDING
            Reminder.objects.filter(pk__in=[row.pk for row in rows]).update(
                attempts=attempts, status=status, error=f"{type(error).__name__}: {error}"[:300]
            )
            return "failed" if status == Reminder.Status.FAILED else "failed; will retry"
        Reminder.objects.filter(pk__in=[row.pk for row in rows]).update(
            status=Reminder.Status.SENT,
            sent_at=now,
            attempts=rows[0].attempts + 1,
            to=", ".join(message.to),
            error="",
        )
        return "sent"
