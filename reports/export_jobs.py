"""Large exports in the background (issue 12): past SYNC_MAX_ROWS rows an export is written by a
task (django-tasks: the database worker in production) while the browser shows its progress,
then downloaded by the person who asked, and only by them, within KEEP.

Why a limit at all: a request must end within gunicorn's timeout (README, "Production": 60 s).
5,000 rows take about a second to write here; 100,000 rows take 12–30 s on a busy machine.

The file is saved through the default storage, which encrypts it at rest (tracker/storage.py):
it holds SSNs. It is deleted KEEP after it was asked for, by `manage.py purge_uploads` and, at
the latest, by the first download attempt after that.
"""

import logging
import tempfile
from datetime import timedelta

from django.db import transaction
from django.http import QueryDict
from django.utils import timezone

from tracker.audit import record_identifier_access
from tracker.models import IdentifierAccess
from tracker.storage import StreamedFile

from .exports import export_filename
from .models import ExportJob
from .sheets import write_sheet

logger = logging.getLogger(__name__)

SYNC_MAX_ROWS = 5_000
KEEP = timedelta(hours=24)
PROGRESS_EVERY = 2_000  # rows between progress updates: one UPDATE per chunk of rows


def needs_background(row_count: int) -> bool:
    return row_count > SYNC_MAX_ROWS


def start_export(*, user, kind: str, row_count: int, full_identifiers: bool, filters: str = ""):
    """Record the job and hand it to the task queue once the record is committed."""
    from .tasks import build_export

    job = ExportJob.objects.create(
        user=user,
        kind=kind,
        filters=filters,
        row_count=row_count,
        full_identifiers=full_identifiers,
    )
    transaction.on_commit(lambda: build_export.enqueue(job.pk))
    return job


def _export_of(job: ExportJob):
    """(spec, rows, instructions, audit name) for the job, rebuilt from what was asked."""
    from cases.filters import QcQueueFilter
    from cases.queues import qc_queue

    from . import handoff, qc_report

    written: list[int] = []
    if job.kind == ExportJob.Kind.HANDOFF:
        rows = handoff.handoff_rows(handoff.handoff_cases(job.user), written=written)
        return handoff.HANDOFF_SPEC, rows, handoff.INSTRUCTIONS, handoff.EXPORT_NAME, written
    filterset = QcQueueFilter(QueryDict(job.filters), queryset=qc_queue(job.user))
    rows = qc_report.qc_rows(filterset.qs, full_ssn=job.full_identifiers, written=written)
    return qc_report.QC_REPORT_SPEC, rows, (), qc_report.EXPORT_NAME, written


def _counting(job: ExportJob, rows):
    """The rows, with the job's progress saved every PROGRESS_EVERY rows."""
    count = 0
    for count, row in enumerate(rows, start=1):
        yield row
        if count % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job.pk).update(progress=count)


def run_export(job_id: int) -> str:
    """The task's work: write the sheet, save it encrypted, record the export of full SSNs."""
    # Claimed in one UPDATE: a task run twice (a worker restarted) finds it taken.
    queued = ExportJob.objects.filter(pk=job_id, status=ExportJob.Status.QUEUED)
    if not queued.update(status=ExportJob.Status.RUNNING):
        return ExportJob.objects.get(pk=job_id).status
    job = ExportJob.objects.select_related("user").get(pk=job_id)
    try:
        spec, rows, instructions, name, written = _export_of(job)
        with tempfile.TemporaryFile(suffix=".xlsx") as out:
            count = write_sheet(spec, _counting(job, rows), out, instructions=instructions)
            out.seek(0)
            job.filename = export_filename(spec)
            # Saved through the default storage: encrypted at rest (as a stream), mode 0600.
            job.file.save("export.xlsx", StreamedFile(out), save=False)
        if job.kind == ExportJob.Kind.HANDOFF or job.full_identifiers:
            record_identifier_access(
                user=job.user, action=IdentifierAccess.EXPORT, what=name, object_ids=written
            )
    except Exception:
        logger.exception("Export job %s failed", job.pk)
        if job.file:  # written but not recorded: no file without its record
            job.file.delete(save=False)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED,
            finished_at=timezone.now(),
            error="The export could not be written. Try again; if it fails again, tell the "
            "administrator (the error is in the server log).",
        )
        return ExportJob.Status.FAILED
    job.status, job.progress, job.finished_at = ExportJob.Status.READY, count, timezone.now()
    job.save(update_fields=["status", "progress", "finished_at", "file", "filename"])
    return job.status


def expired(job: ExportJob, now=None) -> bool:
    return (now or timezone.now()) - job.created_at > KEEP


def expire(job: ExportJob) -> None:
    """Delete the job's file and say so; the record stays."""
    if job.file:
        job.file.delete(save=False)
    job.file = ""
    job.status = ExportJob.Status.EXPIRED
    job.save(update_fields=["file", "status"])


def purge_expired_exports(now=None) -> int:
    """Delete every export file older than KEEP (run daily or more often: purge_uploads)."""
    now = now or timezone.now()
    count = 0
    for job in ExportJob.objects.filter(created_at__lt=now - KEEP).exclude(
        status=ExportJob.Status.EXPIRED
    ):
        expire(job)
        count += 1
    return count


def recent_exports(user, kind: str):
    """The user's own background exports of this kind still kept, for the report's page (so a
    file is found again after leaving its progress page)."""
    since = timezone.now() - KEEP
    return ExportJob.objects.filter(user=user, kind=kind, created_at__gte=since)[:5]


def status_of(job: ExportJob) -> dict:
    """What the progress page shows, as JSON for static/js/export-progress.js."""
    return {
        "status": job.status,
        "label": job.get_status_display(),
        "progress": job.progress,
        "total": job.row_count,
        "done": job.done,
        "download": job.status == ExportJob.Status.READY,
        "error": job.error,
    }
