"""The work lists: QC queue (with bulk vetting), State Monitor list, Supervisor outreach list and
the CSR's own cases. Each one is a queryset from queues.py, a FilterSet and a Table."""

from django.conf import settings
from django.contrib import messages
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_tables2 import RequestConfig

from tracker import limits
from tracker.audit import record_identifier_access
from tracker.decorators import role_required
from tracker.lists import filter_status
from tracker.models import IdentifierAccess
from tracker.pagination import paginate
from tracker.roles import CSR, QC_LEAD, STATE_MONITOR, SUPERVISOR

from . import filters, forms, queues, services, tables
from .decorators import full_identifiers_required

PER_PAGE = 25


# The last filters used on each queue are kept in the session (issue 13): coming back to the
# queue, from the menu or the home page, shows it as it was left. Bounded: a query string is
# kept only if it is short (a crafted one is simply not remembered).
REMEMBERED = "list_filters:{}"
REMEMBER_MAX_CHARS = 1_000


def _remembered(request):
    """A redirect to the filters this user last used on this list, or None. Stores the current
    ones; `?clear=1` forgets them."""
    key = REMEMBERED.format(request.resolver_match.url_name)
    if "clear" in request.GET:
        request.session.pop(key, None)
        return None
    query = request.GET.copy()
    for how_shown in ("page", "per_page"):  # where the user was, not what they filtered by
        query.pop(how_shown, None)
    if query:
        text = query.urlencode()
        # Written only when it changes: a session write costs queries on every request.
        if len(text) <= REMEMBER_MAX_CHARS and request.session.get(key) != text:
            request.session[key] = text
        return None
    saved = request.session.get(key)
    if saved and not request.GET:
        return redirect(f"{request.path}?{saved}")
    return None


def _work_list(
    request,
    *,
    queryset,
    table_class,
    filter_class,
    table_kwargs=None,
    oldest_first=True,
    **context,
):
    filterset = filter_class(request.GET, queryset=queryset)
    if not filterset.is_valid():  # never bring the user back to filters that were refused
        request.session.pop(REMEMBERED.format(request.resolver_match.url_name), None)
    table_kwargs = dict(table_kwargs or {})
    if oldest_first:  # a queue: the case waiting longest comes first (issue 13)
        table_kwargs.setdefault("order_by", "created_at")
    table = table_class(filterset.qs, **table_kwargs)
    RequestConfig(request, paginate=paginate(PER_PAGE)).configure(table)
    return {
        "status": filter_status(filterset),
        "filter": filterset,
        "table": table,
        "age_alert": settings.CASE_AGE_ALERT_BUSINESS_DAYS,
        "remembered": bool(request.session.get(REMEMBERED.format(request.resolver_match.url_name))),
        **context,
    }


# After a bulk vetting fails, the queue shows the same cases ticked and the reason typed, so
# the QC lead fixes the selection instead of starting over (kept in the session for one view).
KEPT_SELECTION = "qc_bulk_selection"


@role_required(QC_LEAD)
def qc_queue(request):
    if back := _remembered(request):
        return back
    kept = request.session.pop(KEPT_SELECTION, None) or {}
    context = _work_list(
        request,
        queryset=queues.qc_queue(request.user),
        table_class=tables.QcQueueTable,
        filter_class=filters.QcQueueFilter,
        table_kwargs={"selected": kept.get("ids", ())},
        title="QC queue",
        lead="Plan Selected in Error and MCO Updated cases waiting for vetting, and cases the "
        "State Monitors returned. Select cases to vet them together.",
        bulk_reason=kept.get("reason", ""),
        reason_limit=limits.REASON,
        bulk_max=services.BULK_VET_MAX,
    )
    # "Vet all N matching": offered when the filters match more than a page and no more than
    # one bulk vetting may hold; N is counted exactly and confirmed again when vetting.
    if context["table"].paginator.num_pages > 1:
        matching = context["filter"].qs.order_by().values_list("pk", flat=True)
        context["matching_count"] = len(matching[: services.BULK_VET_MAX + 1])
    return render(request, "cases/qc_queue.html", context, status=context["status"])


def _sentences(errors: list[str]) -> str:
    """Join messages that each end with a full stop into one sentence."""
    return "; ".join(error.rstrip(". ") for error in errors)


@require_POST
@role_required(QC_LEAD)
def qc_bulk_vet(request):
    back = reverse("cases:qc_queue")
    query = QueryDict(request.POST.get("query", "")).urlencode()
    if query:
        back = f"{back}?{query}"
    form = forms.BulkVetForm(request.POST)
    if not form.is_valid():
        errors = [str(error) for errors in form.errors.values() for error in errors]
        messages.error(request, _sentences(errors) + ".")
        return redirect(back)
    ids, verdict = form.cleaned_data["selection"], form.cleaned_data["verdict"]
    reason = form.cleaned_data["reason"].strip()
    expected = form.cleaned_data["all_matching"]
    if expected is not None:
        # Every case the queue's filters match, on every page: counted again now and vetted
        # only if it is the number the QC lead confirmed (the queue may have moved since).
        filterset = filters.QcQueueFilter(
            QueryDict(request.POST.get("query", "")), queryset=queues.qc_queue(request.user)
        )
        if not filterset.is_valid():
            messages.error(request, "Nothing was vetted: the queue's filters are not valid.")
            return redirect(back)
        ids = list(
            filterset.qs.order_by().values_list("pk", flat=True)[: services.BULK_VET_MAX + 1]
        )
        if len(ids) != expected:
            now = (
                f"more than {services.BULK_VET_MAX}"
                if len(ids) > services.BULK_VET_MAX
                else len(ids)
            )
            messages.error(
                request,
                f"Nothing was vetted: {now} cases match these filters now, not {expected}. "
                "Check the queue and confirm again.",
            )
            return redirect(back)
    elif not ids:
        messages.error(request, "Select at least one case to vet.")
        return redirect(back)
    cases = list(queues.qc_queue(request.user).filter(pk__in=ids).order_by("pk"))
    missing = len(ids) - len(cases)
    try:
        if missing:
            raise services.BulkVetError(
                [f"{missing} of the selected cases are no longer in your queue"]
            )
        services.cases_bulk_vet(cases=cases, by=request.user, verdict=verdict, reason=reason)
    except services.BulkVetError as error:
        messages.error(
            request, f"Nothing was vetted: {_sentences(error.errors)}. Fix the selection."
        )
        request.session[KEPT_SELECTION] = {"ids": [case.pk for case in cases], "reason": reason}
    except ValueError as error:  # e.g. vet false without a reason
        messages.error(request, f"Nothing was vetted: {error}")
        request.session[KEPT_SELECTION] = {"ids": [case.pk for case in cases], "reason": reason}
    else:
        numbers = ", ".join(case.number for case in cases)
        word = "true" if verdict else "false"
        where = "to the State Monitors" if verdict else "for supervisor outreach"
        messages.success(
            request, f"Vetted {len(cases)} case(s) {word} and sent them {where}: {numbers}."
        )
    return redirect(back)


@role_required(STATE_MONITOR)
@full_identifiers_required
def monitor_list(request):
    if back := _remembered(request):
        return back
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
    return render(request, "cases/work_list.html", context, status=context["status"])


@role_required(SUPERVISOR)
def outreach_list(request):
    if back := _remembered(request):
        return back
    context = _work_list(
        request,
        queryset=queues.supervisor_list(request.user),
        table_class=tables.SupervisorTable,
        filter_class=filters.CaseListFilter,
        title="Outreach",
        lead="Your team's cases that need consumer outreach: two attempts, then the case closes.",
    )
    return render(request, "cases/work_list.html", context, status=context["status"])


@role_required(CSR)
def my_cases(request):
    context = _work_list(
        request,
        queryset=queues.csr_list(request.user),
        table_class=tables.CsrTable,
        filter_class=filters.CsrCaseFilter,
        oldest_first=False,  # not a queue: the CSR looks for what they logged last
        title="My cases",
        lead="Every case you logged and where it stands.",
    )
    return render(request, "cases/work_list.html", context, status=context["status"])
