"""The production path: django-tasks-db stores the task, `db_worker` runs it."""

from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from referrals import delivery
from referrals.models import LeadDelivery

# The worker closes old connections: it needs real commits (STACK.md).

pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0)


@pytest.fixture
def broker(settings, make_org):
    settings.TASKS = DB_TASKS
    return make_org("Metro Insurance Enrollment Center", kind="broker")


def test_it_delivers_through_the_database_worker_exactly_once(broker, make_referral, mailoutbox):
    referral = make_referral(organization=broker)
    assert mailoutbox == []  # stored, not yet run
    assert DBTaskResult.objects.count() == 1

    # A duplicate task (a sweep racing the first one) is enqueued before the worker runs.
    LeadDelivery.objects.update(created_at=timezone.now() - timedelta(minutes=5))
    assert delivery.sweep() == 1
    run_worker()

    referral.refresh_from_db()
    assert referral.state == "sent"
    assert len(mailoutbox) == 1
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 2
    assert delivery.sweep(min_age=timedelta(0)) == 0


def test_it_schedules_retries_with_backoff_on_the_database_backend(
    broker, make_referral, mailoutbox
):
    referral = make_referral(organization=broker)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=OSError("mail server down"),
    ):
        run_worker()
    lead = referral.deliveries.get()
    assert lead.status == "pending" and lead.attempt_count == 1
    retry = DBTaskResult.objects.filter(status="READY").get()
    assert retry.run_after == lead.next_attempt_at
    assert mailoutbox == []


def test_two_workers_racing_for_one_lead_send_it_once(broker, make_referral, mailoutbox, settings):
    """Real row locks: only PostgreSQL has select_for_update (SQLite serialises writers anyway)."""
    import threading
    import time

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("select_for_update is a no-op on SQLite")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    referral = make_referral(organization=broker)
    lead = referral.deliveries.get()
    results = []
    slow_send = mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=lambda messages: time.sleep(0.5) or mailoutbox.extend(messages) or 1,
    )

    def worker():
        try:
            results.append(delivery.deliver(lead.pk))
        finally:
            connections.close_all()

    with slow_send:
        threads = [threading.Thread(target=worker) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()

    assert sorted(results).count("sent") == 1, results
    assert len(mailoutbox) == 1
    lead.refresh_from_db()
    assert lead.status == "sent" and lead.attempts.count() == 1
