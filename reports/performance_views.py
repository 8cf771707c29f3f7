"""PAL Coordinator pages: each organization's performance per period or season (with its XLSX
export) and county coverage."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from referrals.models import ReportingPeriod
from referrals.rules import AssisterType

from . import charts
from .coverage import coverage as county_coverage
from .filters import ALL_PERIODS, CoverageQuery, PerformanceQuery, query_problems
from .performance import REPORT_OUTCOMES, default_period, organizations_without_leads, scorecard
from .permissions import can_see_pal_performance
from .scorecard_export import export_scorecard


def _require(user) -> None:
    if not can_see_pal_performance(user):
        raise PermissionDenied("Your role does not give access to this page.")


def _chosen_periods(query: PerformanceQuery) -> tuple[list[ReportingPeriod], str, str]:
    """(periods, picker value, title) from ?period=<pk>|all; default (and when the query is
    not valid): the latest sent period."""
    choice = query.cleaned_data["period"] if query.is_valid() else ""
    if choice == ALL_PERIODS:
        periods = list(ReportingPeriod.objects.order_by("start"))
        return periods, ALL_PERIODS, "all periods"
    period = choice or default_period(timezone.localdate())
    if period is None:
        return [], "", "no periods yet"
    return [period], str(period.pk), f"referrals sent {period}"


def performance(request):
    _require(request.user)
    query = PerformanceQuery(request.GET)
    periods, chosen, title = _chosen_periods(query)
    card = scorecard(periods)
    problem = query_problems(query)
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
            "problem": problem,
        },
        status=400 if problem else 200,
    )


def performance_export(request):
    _require(request.user)
    query = PerformanceQuery(request.GET)
    if not query.is_valid():
        return performance(request)  # the page, with a 400 saying what is wrong
    periods, _, title = _chosen_periods(query)
    return export_scorecard(scorecard(periods), title=title)


def coverage(request):
    _require(request.user)
    query = CoverageQuery(request.GET)
    since = query.cleaned_data["since"] if query.is_valid() else None
    problem = query_problems(query)
    result = county_coverage(since=since)
    return render(
        request,
        "reports/coverage.html",
        {
            "coverage": result,
            "since": since,
            "types": AssisterType.choices,
            "gaps": [(kind, label, result.gaps[kind]) for kind, label in AssisterType.choices],
            "problem": problem,
        },
        status=400 if problem else 200,
    )
