"""PAL Coordinator pages: each organization's performance per period or season (with its XLSX
export) and county coverage."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.dateparse import parse_date

from referrals.models import ReportingPeriod
from referrals.rules import AssisterType

from . import charts
from .coverage import coverage as county_coverage
from .performance import REPORT_OUTCOMES, default_period, organizations_without_leads, scorecard
from .permissions import can_see_pal_performance
from .scorecard_export import export_scorecard

ALL_PERIODS = "all"


def _require(user) -> None:
    if not can_see_pal_performance(user):
        raise PermissionDenied("Your role does not give access to this page.")


def _chosen_periods(request) -> tuple[list[ReportingPeriod], str, str]:
    """(periods, picker value, title) from ?period=<pk>|all; default: the latest sent period."""
    choice = request.GET.get("period", "")
    if choice == ALL_PERIODS:
        periods = list(ReportingPeriod.objects.order_by("start"))
        return periods, ALL_PERIODS, "all periods"
    if choice:
        period = get_object_or_404(ReportingPeriod, pk=choice if choice.isdigit() else 0)
    else:
        period = default_period(timezone.localdate())
    if period is None:
        return [], "", "no periods yet"
    return [period], str(period.pk), f"referrals sent {period}"


def performance(request):
    _require(request.user)
    periods, chosen, title = _chosen_periods(request)
    card = scorecard(periods)
    return render(
        request,
        "reports/performance.html",
        {
            "card": card,
            "title": title,
            "chosen": chosen,
            "all_periods": ALL_PERIODS,
            "periods": ReportingPeriod.objects.order_by("-start"),
            "report_outcomes": REPORT_OUTCOMES,
            "contact_chart": charts.contact_bars(card.rows),
            "mix_chart": charts.resolution_mix(card.rows),
            "idle": organizations_without_leads(card) if periods else [],
        },
    )


def performance_export(request):
    _require(request.user)
    periods, _, title = _chosen_periods(request)
    return export_scorecard(scorecard(periods), title=title)


def coverage(request):
    _require(request.user)
    since = parse_date(request.GET.get("since") or "")
    result = county_coverage(since=since)
    return render(
        request,
        "reports/coverage.html",
        {
            "coverage": result,
            "since": since,
            "types": AssisterType.choices,
            "gaps": [(kind, label, result.gaps[kind]) for kind, label in AssisterType.choices],
        },
    )
