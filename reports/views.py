from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from cases.decorators import full_identifiers_required
from cases.filters import QcQueueFilter
from cases.permissions import can_see_full_identifiers
from cases.queues import qc_queue
from tracker.lists import filter_status

from .export_jobs import SYNC_MAX_ROWS, needs_background, recent_exports, start_export
from .forms import UploadForm
from .handoff import export_handoff, handoff_cases
from .handoff_import import confirm_handoff, receive_handoff
from .models import ExportJob, Upload
from .permissions import (
    can_delete_upload,
    can_exchange_handoff,
    can_export_qc_report,
    uploads_visible_to,
)
from .qc_report import export_qc_report
from .uploads import AlreadyHandled, preview_page, upload_delete


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("You do not have access to this report.")


def _qc_report_page(request, filterset):
    return render(
        request,
        "reports/qc_report.html",
        {
            "filter": filterset,
            "count": filterset.qs.count(),
            "query": request.GET.urlencode(),
            "sync_max_rows": SYNC_MAX_ROWS,
            "exports": recent_exports(request.user, ExportJob.Kind.QC_REPORT),
        },
        status=filter_status(filterset),
    )


def qc_report(request):
    _require(can_export_qc_report(request.user))
    filterset = QcQueueFilter(request.GET, queryset=qc_queue(request.user), request=request)
    return _qc_report_page(request, filterset)


@require_http_methods(["GET", "POST"])
def qc_report_export(request):
    """Small: the file at once. Large (past SYNC_MAX_ROWS): a POST starts a background export
    and shows its progress; a GET shows the report page, whose button posts."""
    _require(can_export_qc_report(request.user))
    # The QC queue with the filters the QC lead applied in the browser (the query string, also
    # on the POST that starts a background export).
    filterset = QcQueueFilter(request.GET, queryset=qc_queue(request.user), request=request)
    if filter_status(filterset) != 200:
        # Not a file of something other than what was asked for: the page says what is wrong.
        return _qc_report_page(request, filterset)
    count = filterset.qs.count()
    if not needs_background(count):
        return export_qc_report(request.user, filterset.qs)
    if request.method != "POST":
        return _qc_report_page(request, filterset)
    job = start_export(
        user=request.user,
        kind=ExportJob.Kind.QC_REPORT,
        row_count=count,
        full_identifiers=can_see_full_identifiers(request.user),
        filters=request.GET.urlencode(),
    )
    return redirect(job)


def handoff(request, form=None):
    _require(can_exchange_handoff(request.user))
    context = {
        "count": handoff_cases(request.user).count(),
        "sync_max_rows": SYNC_MAX_ROWS,
        "exports": recent_exports(request.user, ExportJob.Kind.HANDOFF),
        "form": form or UploadForm(),
        "recent": uploads_visible_to(request.user).defer(*Upload.HEAVY_FIELDS)[:5],
    }
    return render(request, "reports/handoff.html", context)


@full_identifiers_required
@require_http_methods(["GET", "POST"])
def handoff_export(request):
    """As qc_report_export: small at once, large in the background (POST)."""
    _require(can_exchange_handoff(request.user))
    cases = handoff_cases(request.user)
    count = cases.count()
    if not needs_background(count):
        return export_handoff(request.user, cases)
    if request.method != "POST":
        return redirect("reports:handoff")
    job = start_export(
        user=request.user, kind=ExportJob.Kind.HANDOFF, row_count=count, full_identifiers=True
    )
    return redirect(job)


@require_POST
def handoff_upload(request):
    _require(can_exchange_handoff(request.user))
    form = UploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return handoff(request, form=form)
    upload = receive_handoff(uploaded_file=form.cleaned_data["file"], by=request.user)
    return redirect(upload)


def get_upload_for(user, pk) -> Upload:
    return get_object_or_404(uploads_visible_to(user), pk=pk)


def upload_detail(request, pk):
    _require(can_exchange_handoff(request.user))
    upload = get_upload_for(request.user, pk)
    return render(
        request,
        "reports/upload_detail.html",
        {
            "upload": upload,
            "rows": preview_page(upload, request.GET.get("page")),
            "can_delete": can_delete_upload(request.user, upload),
        },
    )


@require_POST
def upload_confirm(request, pk):
    _require(can_exchange_handoff(request.user))
    upload = get_upload_for(request.user, pk)
    try:
        upload = confirm_handoff(upload=upload, by=request.user)
    except AlreadyHandled as already:
        messages.info(request, str(already))
        return redirect(already.upload)
    if upload.status == Upload.Status.APPLIED:
        messages.success(
            request,
            f"Applied: {upload.processed_count} processed in MMIS, "
            f"{upload.returned_count} returned to QC.",
        )
    else:
        messages.error(request, "The sheet was not applied. Nothing was changed.")
    return redirect(upload)


def upload_list(request):
    _require(can_exchange_handoff(request.user))
    uploads = uploads_visible_to(request.user).defer(*Upload.HEAVY_FIELDS)[:200]
    context = {"uploads": uploads, "retention_days": settings.UPLOAD_RETENTION_DAYS}
    return render(request, "reports/upload_list.html", context)


@require_POST
def upload_remove(request, pk):
    _require(can_exchange_handoff(request.user))
    upload = get_upload_for(request.user, pk)
    _require(can_delete_upload(request.user, upload))
    upload_delete(upload=upload, by=request.user)
    messages.success(request, "The upload's file and problems were deleted; the record stays.")
    return redirect(upload)
