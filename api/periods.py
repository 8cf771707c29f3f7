"""/api/v1/periods: the Preferred Assister Report calendar and each report's status, for PAL
Coordinators (every organization) and assisters (their own organizations' reports, once sent),
as the report pages show them (reports/assister_views.py, referrals.permissions)."""

from datetime import date, datetime

from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.utils import timezone
from ninja import Router, Schema

from cases.forms import MAX_ID
from referrals.models import AssisterReport, ReportingPeriod
from referrals.permissions import assister_reports_visible_to, can_manage_assister_reports

from .schemas import ERRORS

router = Router(tags=["reporting periods"])


class Report(Schema):
    id: int
    organization_id: int
    organization: str
    status: str
    status_label: str
    sent_at: datetime | None
    returned_at: datetime | None


class Period(Schema):
    id: int
    start: date
    end: date
    send_on: date
    due_on: date
    reports: list[Report]


def _reports_of(user):
    """The reports this user may see, as the report pages decide: every report for a
    coordinator, an assister's own organizations' reports once sent to them."""
    if not user.has_perm("referrals.view_assisterreport"):
        raise PermissionDenied("Your role does not give access to the assister reports.")
    reports = assister_reports_visible_to(user)
    if not can_manage_assister_reports(user):
        reports = reports.exclude(status=AssisterReport.Status.PENDING)
    return reports


def _periods(user):
    reports = _reports_of(user)
    periods = ReportingPeriod.objects.prefetch_related(
        Prefetch("reports", queryset=reports.order_by("organization__name", "pk"), to_attr="shown")
    ).order_by("-start")
    if not can_manage_assister_reports(user):
        periods = periods.filter(pk__in=reports.values("period"))
    return periods


def _period(period, today) -> dict:
    return {
        "id": period.pk,
        "start": period.start,
        "end": period.end,
        "send_on": period.send_on,
        "due_on": period.due_on,
        "reports": [
            {
                "id": report.pk,
                "organization_id": report.organization_id,
                "organization": report.organization.name,
                "status": "overdue" if report.is_overdue(today) else report.status,
                "status_label": report.status_for(today),
                "sent_at": report.sent_at,
                "returned_at": report.returned_at,
            }
            for report in period.shown
        ],
    }


@router.get("", response={200: list[Period], **ERRORS}, summary="Reporting periods")
def period_list(request):
    """Newest first, each with the reports the caller may see and their status (pending, sent,
    returned, overdue)."""
    today = timezone.localdate()
    return [_period(period, today) for period in _periods(request.auth)]


@router.get("/{int:period_id}", response={200: Period, **ERRORS}, summary="One reporting period")
def period_read(request, period_id: int):
    if period_id > MAX_ID:
        raise Http404
    period = _periods(request.auth).filter(pk=period_id).first()
    if period is None:
        raise Http404
    return _period(period, timezone.localdate())
