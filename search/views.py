from django.shortcuts import redirect, render

from .finders import organization_url_name
from .service import search


def search_page(request):
    """`/search/?q=`: grouped results, or straight to the record an exact number names. The
    query is never logged; the page shows an SSN back only masked."""
    q = request.GET.get("q", "")
    results = search(user=request.user, q=q) if q.strip() else None
    if results is not None:
        record = results.only_record()
        if record is not None:
            return redirect(record)
    return render(
        request,
        "search/results.html",
        {"results": results, "organization_url": organization_url_name(request.user)},
    )
