"""The task worker's heartbeat (docs/decisions/0016-health-checks.md).

django-tasks-db's worker has no heartbeat of its own and sends no signal while idle, so the
worker proves it is alive the way it proves anything: by running a task. `beat` touches the
"worker" Heartbeat row, then enqueues itself again WORKER_HEARTBEAT_SECONDS later. A worker that
stops, or falls that far behind, stops touching the row, and /readyz names "worker_heartbeat".

The chain starts (and restarts, should a beat ever be lost) with `ensure()`, called after
`migrate` and by `sweep_leads` (cron, every few minutes). Only with the database task backend:
the immediate backend runs tasks in the web process and has no worker to watch.
"""

import logging
from datetime import timedelta

from django.conf import settings
from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)

WORKER = "worker"


def uses_worker() -> bool:
    """Tasks go to a database queue that a `db_worker` process runs."""
    from django_tasks_db.backend import DatabaseBackend

    return isinstance(beat.get_backend(), DatabaseBackend)


def _waiting_beats():
    from django_tasks.base import TaskResultStatus
    from django_tasks_db.models import DBTaskResult

    return DBTaskResult.objects.filter(task_path=beat.module_path, status=TaskResultStatus.READY)


def ensure() -> bool:
    """Enqueue a beat unless one is already waiting. True when it enqueued one."""
    if not uses_worker() or _waiting_beats().exists():
        return False
    beat.enqueue()
    return True


@task()
def beat() -> str:
    from .models import Heartbeat

    now = timezone.now()
    Heartbeat.objects.update_or_create(name=WORKER, defaults={"at": now})
    # The next beat, unless one is waiting already (ensure() ran meanwhile): one chain only.
    if uses_worker() and not _waiting_beats().exists():
        later = now + timedelta(seconds=settings.WORKER_HEARTBEAT_SECONDS)
        beat.using(run_after=later).enqueue()
    return "beat"


def ensure_after_migrate(sender, **kwargs) -> None:
    """post_migrate (the tracker app only): a deployment's `migrate` starts the chain."""
    try:
        ensure()
    except Exception:  # e.g. migrating only part of the way, before the task tables exist
        logger.warning("Could not enqueue the worker heartbeat; sweep_leads will retry")
