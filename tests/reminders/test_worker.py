"""The production path: `send_reminders` stores the rows and their tasks together,
django-tasks-db's `db_worker` sends them; each email once, however often either runs."""

import io
import threading
from unittest import mock

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection, connections
from django_tasks_db.models import DBTaskResult

from reminders.models import Reminder
from reminders.services import reminders_send_due
from reminders.tasks import send_reminder

from .conftest import MON, THU, TUE, at

# The worker closes old connections: it needs real commits (STACK.md).
pytestmark = pytest.mark.django_db(transaction=True)

DB_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


def run_worker():
    call_command("db_worker", batch=True, startup_delay=False, reload=False, interval=0)


def send_reminders(day):
    with time_machine.travel(at(day), tick=False):
        call_command("send_reminders", stdout=io.StringIO())


@pytest.fixture
def monday_leads(lakes, metro, lead, coordinators, settings):
    """Two organizations with contacts due Monday, one lead overdue; then the database backend."""
    leads = [lead(lakes, THU), lead(lakes, THU), lead(metro, THU)]
    settings.TASKS = DB_TASKS
    return leads


def test_it_sends_each_reminder_once_through_the_database_worker(monday_leads, mailoutbox):
    send_reminders(MON)
    send_reminders(MON)

    assert mailoutbox == []  # stored, not yet run
    assert DBTaskResult.objects.count() == 2  # one per organization: the second run added none
    run_worker()
    assert sorted(email.to[0] for email in mailoutbox) == [
        "leads@lakesareanavigators.example.org",
        "leads@metronavigatornetwork.example.org",
    ]
    assert set(Reminder.objects.values_list("status", flat=True)) == {"sent"}

    send_reminders(MON)
    run_worker()
    assert len(mailoutbox) == 2
    send_reminders(TUE)  # Monday's leads are overdue now: one digest
    run_worker()
    assert [email.extra_headers["X-PAL-Reminder"] for email in mailoutbox[2:]] == ["overdue_digest"]


def test_a_duplicate_task_sends_nothing_more(monday_leads, mailoutbox):
    send_reminders(MON)
    task = DBTaskResult.objects.first()
    # The same task twice in the queue (a re-run racing a slow worker).
    send_reminder.enqueue(*task.args_kwargs["args"])
    run_worker()

    assert len(mailoutbox) == 2
    assert DBTaskResult.objects.filter(status="SUCCESSFUL").count() == 3


def test_it_retries_a_failed_email_on_the_next_run(monday_leads, mailoutbox):
    send_reminders(MON)
    with mock.patch(
        "django.core.mail.backends.locmem.EmailBackend.send_messages",
        side_effect=OSError("mail server down"),
    ):
        run_worker()
    assert mailoutbox == []
    assert set(Reminder.objects.values_list("status", "attempts")) == {("pending", 1)}

    send_reminders(MON)
    run_worker()
    assert len(mailoutbox) == 2
    assert set(Reminder.objects.values_list("status", "attempts")) == {("sent", 2)}


def test_two_runs_racing_record_each_reminder_once(monday_leads, mailoutbox, settings):
    """Real concurrent inserts: only PostgreSQL runs these transactions side by side."""
    if connection.vendor != "postgresql":
        pytest.skip("SQLite serialises writers")
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    results, start = [], threading.Barrier(4)

    def run():
        try:
            start.wait()
            results.append(reminders_send_due(today=MON))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sum(result["contact_due"] for result in results) == 3, results
    assert Reminder.objects.filter(kind="contact_due").count() == 3
