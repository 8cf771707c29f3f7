"""The identifier access log page and its exports (Admins only)."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import render

from .access_log import AccessLogFilter, case_number, export_csv, export_xlsx
from .permissions import can_review_access_log

PER_PAGE = 50
# Case numbers listed per row on the page; the exports list them all.
CASES_SHOWN = 10


def _filter(request) -> AccessLogFilter:
    if not can_review_access_log(request.user):
        raise PermissionDenied("Only Admins may read the identifier access log.")
    return AccessLogFilter(request.GET)


def access_log(request):
    form = _filter(request)
    page = None
    if form.is_valid():
        page = Paginator(form.filter(), PER_PAGE).get_page(request.GET.get("page"))
        for access in page.object_list:
            access.cases_shown = [(pk, case_number(pk)) for pk in access.object_ids[:CASES_SHOWN]]
            access.cases_more = max(len(access.object_ids) - CASES_SHOWN, 0)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "reports/access_log.html",
        {"form": form, "page": page, "query": query.urlencode()},
    )


def access_log_export(request, fmt):
    form = _filter(request)
    if not form.is_valid():
        # Bad filters: the page with its errors, never a 500 nor an unfiltered file.
        return render(request, "reports/access_log.html", {"form": form, "page": None})
    queryset = form.filter()
    return export_csv(queryset) if fmt == "csv" else export_xlsx(queryset)
