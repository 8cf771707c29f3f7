"""The header search box on every page: its length limit, and the query it shows back."""

from tracker import limits

from .query import masked, parse


def search_box(request):
    match = request.resolver_match
    q = request.GET.get("q", "") if match and match.view_name == "search:search" else ""
    # Never an SSN back into the page (the URL already holds it; the page need not).
    shown = "" if parse(q).ssn else masked(q)
    return {
        "search_max_length": limits.SEARCH_QUERY,
        "search_value": shown,
        "name_min": limits.SEARCH_NAME_MIN,
    }
