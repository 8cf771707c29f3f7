from django.core.paginator import Paginator

MAX_PER_PAGE = 100


class CappedPaginator(Paginator):
    """A list's page size may come from the URL (`?per_page=`); never more than 100 rows, so a
    crafted URL cannot make one request render a whole table."""

    def __init__(self, object_list, per_page, *args, **kwargs):
        super().__init__(object_list, min(max(int(per_page), 1), MAX_PER_PAGE), *args, **kwargs)


def paginate(per_page: int) -> dict:
    """RequestConfig's `paginate=` options for a work list."""
    return {"per_page": per_page, "paginator_class": CappedPaginator}
