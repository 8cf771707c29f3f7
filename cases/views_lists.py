"""The work lists: QC queue (with bulk vetting), State Monitor list, Supervisor outreach list and
the CSR's own cases. Each one is a queryset from queues.py, a FilterSet and a Table."""

from django.conf import settings
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from tracker.audit import record_identifier_access
from tracker.decorators import role_required
from tracker.models import IdentifierAccess
from tracker.pagination import paginate
from tracker.roles import CSR, QC_LEAD, STATE_MONITOR, SUPERVISOR

from . import filters, queues, services, tables
from .decorators import full_identifiers_required

PER_PAGE = 25


def _work_list(request, *, queryset, table_class, filter_class, **context):
    filterset = filter_class(request.GET, queryset=queryset)
    table = table_class(filterset.qs)
    RequestConfig(request, paginate=paginate(PER_PAGE)).configure(table)
    return {
        "filter": filterset,
        "table": table,
        "age_alert": settings.CASE_AGE_ALERT_BUSINESS_DAYS,
        **context,
    }


@role_required(QC_LEAD)
def qc_queue(request):
    context = _work_list(
        request,
        queryset=queues.qc_queue(request.user),
        table_class=tables.QcQueueTable,
        filter_class=filters.QcQueueFilter,
        title="QC queue",
        lead="Plan Selected in Error and MCO Updated cases waiting for vetting, and cases the "
        "State Monitors returned. Select cases to vet them together.",
    )
    return render(request, "cases/qc_queue.html", context)


@require_POST
@role_required(QC_LEAD)
def qc_bulk_vet(request):
    back = reverse("cases:qc_queue")
    query = QueryDict(request.POST.get("query", "")).urlencode()
    if query:
        back = f"{back}?{query}"
    verdict = request.POST.get("verdict")
    if verdict not in {"true", "false"}:
        messages.error(request, "Choose Vet true or Vet false.")
        return redirect(back)
    try:
        ids = sorted({int(pk) for pk in request.POST.getlist("selection")})
    except ValueError:
        ids = []
    if not ids:
        messages.error(request, "Select at least one case to vet.")
        return redirect(back)
    cases = list(queues.qc_queue(request.user).filter(pk__in=ids).order_by("pk"))
    missing = len(ids) - len(cases)
    try:
        if missing:
            raise services.BulkVetError(
                [f"{missing} of the selected cases are no longer in your queue"]
            )
        services.cases_bulk_vet(
            cases=cases,
            by=request.user,
            verdict=verdict == "true",
            reason=request.POST.get("reason", "").strip(),
        )
    except services.BulkVetError as error:
        messages.error(
            request, "Nothing was vetted: " + "; ".join(error.errors) + ". Fix the selection."
        )
    except ValueError as error:
        messages.error(request, f"Nothing was vetted: {error}")
    else:
        numbers = ", ".join(case.number for case in cases)
        where = "to the State Monitors" if verdict == "true" else "for supervisor outreach"
        messages.success(
            request, f"Vetted {len(cases)} case(s) {verdict} and sent them {where}: {numbers}."
        )
    return redirect(back)


@role_required(STATE_MONITOR)
@full_identifiers_required
def monitor_list(request):
    context = _work_list(
        request,
        queryset=queues.monitor_list(request.user),
        table_class=tables.MonitorTable,
        filter_class=filters.CaseListFilter,
        title="True tracker cases",
        lead="Vetted true by QC: process them in MMIS, then mark each processed or not "
        "processed on its case page.",
    )
    shown = [row.record.pk for row in context["table"].paginated_rows]
    if shown:
        record_identifier_access(
            user=request.user,
            action=IdentifierAccess.VIEW,
            what="State Monitor list",
            object_ids=shown,
        )
    return render(request, "cases/work_list.html", context)


@role_required(SUPERVISOR)
def outreach_list(request):
    context = _work_list(
        request,
        queryset=queues.supervisor_list(request.user),
        table_class=tables.SupervisorTable,
        filter_class=filters.CaseListFilter,
        title="Outreach",
        lead="Your team's cases that need consumer outreach: two attempts, then the case closes.",
    )
    return render(request, "cases/work_list.html", context)


@role_required(CSR)
def my_cases(request):
    context = _work_list(
        request,
        queryset=queues.csr_list(request.user),
        table_class=tables.CsrTable,
        filter_class=filters.CsrCaseFilter,
        title="My cases",
        lead="Every case you logged and where it stands.",
    )
    return render(request, "cases/work_list.html", context)
