"""Preferred Assister Report pages: the reporting calendar and each period's reports for PAL
Coordinators; each report's page (download, upload, what was recorded) for coordinators and for
the assisters of that organization — anyone else gets a 404, whatever the URL."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from referrals.models import AssisterReport, Referral, ReportingPeriod
from referrals.permissions import (
    assister_reports_visible_to,
    can_manage_assister_reports,
    can_manage_calendar,
)
from referrals.reporting import create_reporting_periods, reports_for_period
from reminders.timeline import report_reminders

from .assister_import import ACTION_LABELS, RECORD, confirm_report, receive_report
from .assister_report import download_report, report_leads
from .assister_send import ReportNotSent, send_period, send_report
from .forms import AssisterReportUploadForm, CalendarForm
from .models import Upload
from .permissions import can_delete_upload
from .uploads import AlreadyHandled, preview_page, upload_delete


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied("Your role does not give access to this page.")


def _can_see_reports(user) -> bool:
    return user.has_perm("referrals.view_assisterreport")


def _report_for(user, pk) -> AssisterReport:
    _require(_can_see_reports(user))
    reports = (
        assister_reports_visible_to(user)
        .select_related("sent_by", "last_upload")
        .defer(*(f"last_upload__{name}" for name in Upload.HEAVY_FIELDS))
    )
    if not can_manage_assister_reports(user):
        # An assister sees a report once it has been sent to them.
        reports = reports.exclude(status=AssisterReport.Status.PENDING)
    return get_object_or_404(reports, pk=pk)


def calendar(request):
    """The reporting calendar: each period with its reports' status, and a form to add periods."""
    _require(can_manage_assister_reports(request.user))
    form = CalendarForm(request.POST or None)
    if request.method == "POST":
        _require(can_manage_calendar(request.user))
        if form.is_valid():
            try:
                created, existing = create_reporting_periods(**form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(
                    request, f"{len(created)} periods added, {existing} were already there."
                )
                return redirect("reports:assister_calendar")
    today = timezone.localdate()
    periods = ReportingPeriod.objects.annotate(
        reports_count=Count("reports"),
        returned=Count("reports", filter=Q(reports__status=AssisterReport.Status.RETURNED)),
        overdue=Count(
            "reports",
            filter=Q(reports__status=AssisterReport.Status.SENT, due_on__lt=today),
        ),
    ).order_by("-start")
    return render(
        request,
        "reports/assister_calendar.html",
        {"periods": periods, "form": form, "today": today},
    )


def period_detail(request, pk):
    _require(can_manage_assister_reports(request.user))
    period = get_object_or_404(ReportingPeriod, pk=pk)
    reports = reports_for_period(period)
    figures = {
        row["organization"]: row
        for row in Referral.objects.reported_in(period)
        .values("organization")
        .annotate(leads=Count("pk"), answered=Count("pk", filter=Q(contact_made__isnull=False)))
    }
    today = timezone.localdate()
    rows = [
        {
            "report": report,
            "status": report.status_for(today),
            "leads": figures.get(report.organization_id, {}).get("leads", 0),
            "answered": figures.get(report.organization_id, {}).get("answered", 0),
        }
        for report in reports
    ]
    return render(
        request,
        "reports/assister_period.html",
        {
            "period": period,
            "rows": rows,
            "pending": sum(1 for r in reports if r.status == AssisterReport.Status.PENDING),
            "due_to_send": period.send_on <= today,
        },
    )


@require_POST
def period_send(request, pk):
    _require(can_manage_assister_reports(request.user))
    period = get_object_or_404(ReportingPeriod, pk=pk)
    sent, problems = send_period(period, by=request.user)
    messages.success(request, f"{sent} report{'s' if sent != 1 else ''} sent.")
    for problem in problems:
        messages.error(request, problem)
    return redirect("reports:assister_period", pk=period.pk)


REPORTS_PER_PAGE = 50


def report_list(request):
    """An assister's reports (their organizations'), or every report for a coordinator."""
    _require(_can_see_reports(request.user))
    reports = (
        assister_reports_visible_to(request.user)
        .exclude(status=AssisterReport.Status.PENDING)
        # Newest reporting period first: after a few seasons a coordinator has thousands of
        # reports (2,200 at 40 organizations × 55 periods took a second to render at once).
        .order_by("-period__start", "organization__name", "pk")
    )
    page = Paginator(reports, REPORTS_PER_PAGE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [{"report": report, "status": report.status_for(today)} for report in page]
    return render(request, "reports/assister_reports.html", {"rows": rows, "page": page})


def report_detail(request, pk, form=None):
    report = _report_for(request.user, pk)
    manage = can_manage_assister_reports(request.user)
    return render(
        request,
        "reports/assister_report.html",
        {
            "report": report,
            "status": report.status_for(),
            "leads": report_leads(report),
            "uploads": report.uploads.select_related("uploaded_by", "decided_by").defer(
                *Upload.HEAVY_FIELDS
            ),
            "form": form or AssisterReportUploadForm(),
            "can_manage": manage,
            "reminders": report_reminders(report, coordinators_too=manage),
        },
    )


def report_download(request, pk):
    report = _report_for(request.user, pk)
    return download_report(report)


@require_POST
def report_send(request, pk):
    report = _report_for(request.user, pk)
    _require(can_manage_assister_reports(request.user))
    try:
        send_report(report, by=request.user)
    except ReportNotSent as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"Report sent to {report.organization} ({report.organization.lead_email})."
        )
    return redirect("reports:assister_report", pk=report.pk)


@require_POST
def report_upload(request, pk):
    report = _report_for(request.user, pk)
    form = AssisterReportUploadForm(request.POST, request.FILES)
    if not form.is_valid():
        return report_detail(request, pk, form=form)
    upload = receive_report(report=report, uploaded_file=form.cleaned_data["file"], by=request.user)
    return redirect(upload)


def _upload_for(user, pk) -> Upload:
    _require(_can_see_reports(user))
    return get_object_or_404(
        Upload.objects.filter(
            assister_report__in=assister_reports_visible_to(user).values("pk")
        ).select_related("uploaded_by", "decided_by", "assister_report__organization"),
        pk=pk,
    )


# Once an upload is applied, its page says what was done, not what confirming would do.
DONE_LABELS = {**ACTION_LABELS, RECORD: "New or changed outcome — recorded"}


def upload_detail(request, pk):
    upload = _upload_for(request.user, pk)
    counts = upload.action_counts
    labels = DONE_LABELS if upload.status == Upload.Status.APPLIED else ACTION_LABELS
    rows = preview_page(upload, request.GET.get("page"))
    rows.object_list = [
        {**row, "label": labels.get(row.get("action"), row.get("label"))}
        for row in rows.object_list
    ]
    return render(
        request,
        "reports/assister_upload.html",
        {
            "upload": upload,
            "report": upload.assister_report,
            "summary": [(label, counts.get(action, 0)) for action, label in labels.items()],
            "recording": counts.get(RECORD, 0),
            "rows": rows,
            "can_delete": can_delete_upload(user=request.user, upload=upload),
        },
    )


@require_POST
def upload_confirm(request, pk):
    upload = _upload_for(request.user, pk)
    try:
        upload = confirm_report(upload=upload, by=request.user)
    except AlreadyHandled as already:
        messages.info(request, str(already))
        return redirect(already.upload)
    if upload.status == Upload.Status.APPLIED:
        recorded = upload.action_counts.get(RECORD, 0)
        messages.success(
            request,
            f"Report returned: {recorded} outcome{'s' if recorded != 1 else ''} recorded.",
        )
    else:
        messages.error(request, "The report was not applied. Nothing was changed.")
    return redirect(upload)


@require_POST
def upload_remove(request, pk):
    upload = _upload_for(request.user, pk)
    _require(can_delete_upload(request.user, upload))
    upload_delete(upload=upload, by=request.user)
    messages.success(request, "The upload's file and problems were deleted; the record stays.")
    return redirect(upload)
