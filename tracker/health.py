"""/healthz and /readyz (docs/decisions/0016-health-checks.md).

/healthz: the process answers (no database, nothing else): restart it when this fails.
/readyz: the app can do its work: the database answers, every migration is applied, no lead
email has waited too long to go out, and the task worker ran its heartbeat recently. 200 when
every check passes, 503 naming the checks that failed. Both are public (a probe has no
session) and say nothing beyond those checks: no versions, hosts, counts of people or errors.
"""

from datetime import timedelta

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import Min
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET


def unsent_leads() -> int:
    from referrals.models import LeadDelivery

    return LeadDelivery.objects.filter(status=LeadDelivery.Status.PENDING).count()


def oldest_unsent_lead_age() -> timedelta | None:
    """How long the oldest lead email still pending (queued, or waiting for a retry) has
    waited since its delivery was created; None when every lead is sent."""
    from referrals.models import LeadDelivery

    oldest = LeadDelivery.objects.filter(status=LeadDelivery.Status.PENDING).aggregate(
        oldest=Min("created_at")
    )["oldest"]
    return timezone.now() - oldest if oldest else None


def pending_tasks() -> dict[str, int]:
    """Tasks due now and not started, by queue (the database task backend's table)."""
    from django.db.models import Count
    from django_tasks_db.models import DBTaskResult

    rows = DBTaskResult.objects.ready().values("queue_name").annotate(count=Count("pk"))
    return {row["queue_name"]: row["count"] for row in rows.order_by("queue_name")}


def worker_heartbeat_age() -> timedelta | None:
    from .models import Heartbeat

    at = Heartbeat.objects.filter(name="worker").values_list("at", flat=True).first()
    return timezone.now() - at if at else None


_migrations_applied = False


def migrations_applied() -> bool:
    """No migration of this code is left unapplied. Loading the migration graph takes a while,
    so once everything is applied this process does not ask again: this code's migrations stay
    applied until a newer release (a new process) brings more."""
    global _migrations_applied
    if not _migrations_applied:
        from django.db.migrations.executor import MigrationExecutor

        executor = MigrationExecutor(connection)
        plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
        _migrations_applied = not plan
    return _migrations_applied


def _seconds(age: timedelta | None) -> int | None:
    return None if age is None else int(age.total_seconds())


def readiness() -> dict[str, dict]:
    """Each check: {"ok": bool, ...its figure}. Later checks need the database: when it does
    not answer they are not run, and only "database" is reported."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except DatabaseError:
        return {"database": {"ok": False}}
    checks = {"database": {"ok": True}, "migrations": {"ok": migrations_applied()}}
    lead_age = oldest_unsent_lead_age()
    checks["oldest_unsent_lead"] = {
        "ok": lead_age is None
        or lead_age <= timedelta(minutes=settings.READY_UNSENT_LEAD_MAX_MINUTES),
        "age_seconds": _seconds(lead_age),
    }
    from .heartbeat import uses_worker

    if uses_worker():
        beat_age = worker_heartbeat_age()
        checks["worker_heartbeat"] = {
            "ok": beat_age is not None
            and beat_age <= timedelta(minutes=settings.READY_WORKER_HEARTBEAT_MAX_MINUTES),
            "age_seconds": _seconds(beat_age),
        }
    return checks


@login_not_required  # probes (load balancer, orchestrator, monitoring) have no session
@never_cache
@require_GET
def healthz(request):
    return JsonResponse({"status": "ok"})


@login_not_required  # as healthz: a probe has no session, and nothing here is personal
@never_cache
@require_GET
def readyz(request):
    checks = readiness()
    failing = [name for name, check in checks.items() if not check["ok"]]
    body = {"status": "failing" if failing else "ok", "failing": failing, "checks": checks}
    return JsonResponse(body, status=503 if failing else 200)
