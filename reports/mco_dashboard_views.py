"""The MCO tracker dashboard (issue 16) for QC Leads, Admins and Supervisors, and its XLSX."""

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.utils import timezone

from . import charts
from .filters import McoDashboardQuery, named_problems
from .mco_dashboard import Scope, dashboard, with_rollup
from .mco_dashboard_export import export_dashboard
from .permissions import can_see_mco_dashboard, dashboard_teams, sees_every_team


def _scope(request) -> tuple[Scope, McoDashboardQuery, str]:
    """(scope, query form, title). An invalid query shows the default (last 4 weeks, all the
    user's teams) beside the message."""
    if not can_see_mco_dashboard(request.user):
        raise PermissionDenied("Your role does not give access to this page.")
    today = timezone.localdate()
    teams = dashboard_teams(request.user)
    every_team = sees_every_team(request.user)
    query = McoDashboardQuery(request.GET, teams=teams, today=today, every_team=every_team)
    if query.is_valid():
        cleaned = query.cleaned_data
    else:
        cleaned = McoDashboardQuery({}, teams=teams, today=today)
        cleaned.is_valid()
        cleaned = cleaned.cleaned_data
    team = cleaned["team"]
    if team is not None:
        chosen, team_title = (team.pk,), team.name
    elif every_team:
        chosen, team_title = None, "all teams"
    else:
        # A supervisor's "all my teams": their own, never every case.
        chosen = tuple(teams.values_list("pk", flat=True))
        team_title = "your teams"
    scope = with_rollup(Scope(cleaned["start"], cleaned["end"], chosen, today))
    title = f"{team_title}, {scope.start:%m/%d/%Y}–{scope.end:%m/%d/%Y}"
    return scope, query, title


def mco_dashboard(request):
    scope, query, title = _scope(request)
    board = dashboard(scope)
    problem = named_problems(query)
    one_team = len(board.verdicts_by_team) <= 1
    return render(
        request,
        "reports/mco_dashboard.html",
        {
            "board": board,
            "query": query,
            "title": title,
            "age_chart": charts.age_mix(board),
            # Per CSR within one team; per team across several (a CSR's bar among 200 would
            # make a chart nobody reads — the table below still lists every CSR).
            "verdict_chart": charts.verdict_mix(
                board.verdicts_by_csr if one_team else board.verdicts_by_team
            ),
            "verdict_chart_of": "CSR" if one_team else "team",
            "problem": problem,
            "export_query": request.GET.urlencode() if not problem else "",
        },
        status=400 if problem else 200,
    )


def mco_dashboard_export(request):
    scope, query, title = _scope(request)
    if not query.is_valid():
        return mco_dashboard(request)  # the page, with a 400 saying what is wrong
    return export_dashboard(dashboard(scope), title=title)
