"""Error pages. Django's own handlers render 400.html, 403.html (with the reason the view gave,
as `exception`) and 404.html; the 500 page needs the request id, and must not depend on the
database or on context processors, which may be what failed."""

import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template import loader

# The database did not answer (restarting, unreachable, locked past the busy timeout, a
# statement timeout): the request may well work in a moment, so say so with a 503 and
# Retry-After instead of a 500 that reads like a bug (issue 16's fault run: PostgreSQL restart).
DATABASE_UNAVAILABLE = (OperationalError, InterfaceError)
RETRY_AFTER_SECONDS = 30


def database_unavailable(exc: BaseException | None) -> bool:
    return isinstance(exc, DATABASE_UNAVAILABLE)


def server_error(request):
    # Django calls the handler inside its `except` block: the exception is the one in flight.
    if database_unavailable(sys.exc_info()[1]):
        return _page(request, "503.html", 503, "Service briefly unavailable")
    return _page(request, "500.html", 500, "Server error")


def _page(request, template: str, status: int, plain: str):
    request_id = getattr(request, "id", "")
    try:
        body = loader.get_template(template).render({"request_id": request_id})
        response = HttpResponse(body, status=status)
    except Exception:  # the template itself failed: still tell the user something useful
        response = HttpResponse(
            f"{plain}. Request id: {request_id}", status=status, content_type="text/plain"
        )
    if status == 503:
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
