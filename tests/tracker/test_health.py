"""/healthz and /readyz (issue 16): public, JSON, 503 naming the check that fails."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import OperationalError, connection
from django.db.migrations.recorder import MigrationRecorder
from django.test import Client
from django.utils import timezone

from referrals.models import LeadDelivery
from tracker import health, heartbeat
from tracker.models import Heartbeat

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": ["default"]}}


@pytest.fixture
def anonymous():
    return Client()


@pytest.fixture
def worker_backend(settings):
    settings.TASKS = DATABASE_TASKS


def _ready(client):
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    return response.status_code, response.json()


def test_it_answers_healthz_without_a_session_or_the_database(anonymous, monkeypatch):
    monkeypatch.setattr(connection, "cursor", _database_down)
    response = anonymous.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_it_is_ready_when_every_check_passes(anonymous):
    status, body = _ready(anonymous)
    assert status == 200
    assert body["status"] == "ok" and body["failing"] == []
    # The immediate task backend has no worker to watch: only the checks that apply.
    assert set(body["checks"]) == {"database", "migrations", "oldest_unsent_lead"}
    assert body["checks"]["oldest_unsent_lead"] == {"ok": True, "age_seconds": None}


def _database_down(*args, **kwargs):
    raise OperationalError("connection refused")


def test_it_names_the_database_when_it_does_not_answer(anonymous, monkeypatch):
    monkeypatch.setattr(connection, "cursor", _database_down)
    status, body = _ready(anonymous)
    assert status == 503
    assert body == {
        "status": "failing",
        "failing": ["database"],
        "checks": {"database": {"ok": False}},
    }


def test_it_names_migrations_when_one_is_not_applied(anonymous, monkeypatch):
    monkeypatch.setattr(health, "_migrations_applied", False)
    MigrationRecorder(connection).record_unapplied("tracker", "0007_heartbeat")
    status, body = _ready(anonymous)
    assert status == 503 and body["failing"] == ["migrations"]
    MigrationRecorder(connection).record_applied("tracker", "0007_heartbeat")
    assert _ready(anonymous)[0] == 200


@pytest.mark.parametrize(
    ("waited", "ready"),
    [(timedelta(minutes=29), True), (timedelta(minutes=31), False)],
)
def test_it_fails_when_a_lead_waits_past_the_threshold(
    anonymous, make_org, make_referral, settings, waited, ready
):
    settings.READY_UNSENT_LEAD_MAX_MINUTES = 30
    make_referral(organization=make_org("Lakes Navigators"))  # on_commit not run: not sent
    LeadDelivery.objects.update(created_at=timezone.now() - waited)
    status, body = _ready(anonymous)
    assert (status, body["checks"]["oldest_unsent_lead"]["ok"]) == (
        (200, True) if ready else (503, False)
    )
    assert body["checks"]["oldest_unsent_lead"]["age_seconds"] >= waited.total_seconds()
    assert body["failing"] == ([] if ready else ["oldest_unsent_lead"])


def test_it_ignores_leads_already_sent(anonymous, make_org, make_sent_referral):
    make_sent_referral(organization=make_org("Lakes Navigators"))
    LeadDelivery.objects.update(created_at=timezone.now() - timedelta(days=3))
    assert _ready(anonymous)[1]["checks"]["oldest_unsent_lead"]["age_seconds"] is None


def test_it_fails_without_a_worker_heartbeat_then_passes_once_the_worker_beats(
    anonymous, worker_backend
):
    status, body = _ready(anonymous)
    assert status == 503 and body["failing"] == ["worker_heartbeat"]
    assert body["checks"]["worker_heartbeat"] == {"ok": False, "age_seconds": None}

    heartbeat.beat.call()
    status, body = _ready(anonymous)
    assert status == 200 and body["checks"]["worker_heartbeat"]["ok"] is True


def test_it_fails_when_the_heartbeat_is_older_than_the_threshold(
    anonymous, worker_backend, settings
):
    settings.READY_WORKER_HEARTBEAT_MAX_MINUTES = 5
    Heartbeat.objects.create(name="worker", at=timezone.now() - timedelta(minutes=6))
    status, body = _ready(anonymous)
    assert status == 503 and body["failing"] == ["worker_heartbeat"]
    assert body["checks"]["worker_heartbeat"]["age_seconds"] >= 360


def test_a_beat_enqueues_exactly_one_next_beat(worker_backend, settings):
    from django_tasks_db.models import DBTaskResult

    settings.WORKER_HEARTBEAT_SECONDS = 60
    assert heartbeat.ensure() is True
    assert heartbeat.ensure() is False  # one is waiting: no second chain
    waiting = DBTaskResult.objects.filter(task_path=heartbeat.beat.module_path)
    assert waiting.count() == 1
    waiting.delete()

    before = timezone.now()
    heartbeat.beat.call()
    heartbeat.beat.call()  # a duplicate run still leaves one beat waiting
    (next_beat,) = DBTaskResult.objects.filter(task_path=heartbeat.beat.module_path)
    assert (
        before + timedelta(seconds=59)
        < next_beat.run_after
        < timezone.now() + timedelta(seconds=61)
    )


def test_it_needs_no_heartbeat_chain_on_the_immediate_backend():
    assert heartbeat.ensure() is False
    assert not Heartbeat.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_real_worker_runs_the_heartbeat_that_readyz_reads(worker_backend):
    """End to end: `sweep_leads` starts the chain, `db_worker` runs the beat, /readyz passes."""
    call_command("sweep_leads")
    assert _ready(Client())[1]["failing"] == ["worker_heartbeat"]
    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)
    status, body = _ready(Client())
    assert status == 200, body


@pytest.mark.parametrize("path", ["/healthz", "/readyz"])
def test_it_refuses_anything_but_get(anonymous, path):
    assert anonymous.post(path).status_code == 405


def test_it_says_nothing_but_the_checks(anonymous, make_org, make_referral):
    make_referral(organization=make_org("Lakes Navigators"))
    text = anonymous.get("/readyz").content.decode()
    for personal in ["Maria", "Lopez", "612-555-0142", "example.org", "Lakes"]:
        assert personal not in text
