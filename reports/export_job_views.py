"""The pages of a background export: its progress, its status as JSON, its file."""

from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, render

from cases.permissions import can_see_full_identifiers

from .export_jobs import KEEP, expire, expired, status_of
from .exports import XLSX_CONTENT_TYPE
from .models import ExportJob
from .permissions import can_exchange_handoff, can_export_qc_report


def _own_job(request, pk) -> ExportJob:
    """Only the person who asked may see or download it: anyone else gets a 404, not a hint
    that the export exists. An expired file is deleted here at the latest."""
    job = get_object_or_404(ExportJob, pk=pk, user=request.user)
    allowed = can_exchange_handoff if job.kind == ExportJob.Kind.HANDOFF else can_export_qc_report
    if not allowed(request.user):  # their role changed since they asked
        raise PermissionDenied("You do not have access to this report.")
    if job.status != ExportJob.Status.EXPIRED and expired(job):
        expire(job)
    return job


def export_job(request, pk):
    job = _own_job(request, pk)
    return render(
        request,
        "reports/export_job.html",
        {"job": job, "status": status_of(job), "keep_hours": int(KEEP.total_seconds() // 3600)},
    )


def export_job_status(request, pk):
    return JsonResponse(status_of(_own_job(request, pk)))


def export_job_download(request, pk):
    job = _own_job(request, pk)
    if job.status != ExportJob.Status.READY or not job.file:
        raise Http404("This export is not ready, or its file was deleted.")
    if job.full_identifiers and not can_see_full_identifiers(request.user):
        # Full SSNs need a session verified with a second factor, now as when it was asked.
        raise PermissionDenied("Confirm your second factor again to download full SSNs.")
    # The storage decrypts into memory (files are at most a few MB per 100,000 rows).
    return FileResponse(
        job.file.open("rb"),
        as_attachment=True,
        filename=job.filename or "export.xlsx",
        content_type=XLSX_CONTENT_TYPE,
    )
