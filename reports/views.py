from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from cases.decorators import full_identifiers_required
from cases.filters import QcQueueFilter
from cases.queues import qc_queue

from .forms import UploadForm
from .handoff import export_handoff, handoff_cases
from .handoff_import import confirm_handoff, receive_handoff
from .models import Upload
from .permissions import can_exchange_handoff, can_export_qc_report, uploads_visible_to
from .qc_report import export_qc_report


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("You do not have access to this report.")


def qc_report(request):
    _require(can_export_qc_report(request.user))
    filterset = QcQueueFilter(request.GET, queryset=qc_queue(request.user), request=request)
    return render(
        request,
        "reports/qc_report.html",
        {"filter": filterset, "count": filterset.qs.count(), "query": request.GET.urlencode()},
    )


def qc_report_export(request):
    _require(can_export_qc_report(request.user))
    # The QC queue with the filters the QC lead applied in the browser.
    filterset = QcQueueFilter(request.GET, queryset=qc_queue(request.user), request=request)
    return export_qc_report(request.user, filterset.qs)


def handoff(request, form=None):
    _require(can_exchange_handoff(request.user))
    context = {
        "count": handoff_cases(request.user).count(),
        "form": form or UploadForm(),
        "recent": uploads_visible_to(request.user)[:5],
    }
    return render(request, "reports/handoff.html", context)


@full_identifiers_required
def handoff_export(request):
    _require(can_exchange_handoff(request.user))
    return export_handoff(request.user, handoff_cases(request.user))


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
    return render(request, "reports/upload_detail.html", {"upload": upload})


@require_POST
def upload_confirm(request, pk):
    _require(can_exchange_handoff(request.user))
    upload = get_upload_for(request.user, pk)
    upload = confirm_handoff(upload=upload, by=request.user)
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
    uploads = uploads_visible_to(request.user)[:200]
    return render(request, "reports/upload_list.html", {"uploads": uploads})
