"""A request id for every request: shown on the 500 page, sent as X-Request-ID and written on
every log line of that request, so a user's "it broke, id 3f2a…" leads straight to the traceback.
Each line also names the signed-in user by id (never by name: no personal data in the logs).
"""

import logging
import uuid
from contextvars import ContextVar

from django.utils.functional import empty

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")
current_request: ContextVar = ContextVar("current_request", default=None)


class RequestIdMiddleware:
    header = "X-Request-ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4().hex
        token = current_request_id.set(request.id)
        request_token = current_request.set(request)
        try:
            response = self.get_response(request)
        finally:
            current_request.reset(request_token)
            current_request_id.reset(token)
        response[self.header] = request.id
        return response


def user_id_of(request) -> int | None:
    """The signed-in user's id, if the request has already loaded its user: a log line never
    costs a query (request.user is lazy until a view or middleware asks for it)."""
    user = getattr(request, "__dict__", {}).get("user")
    if user is None:
        return None
    if getattr(user, "_wrapped", None) is empty:  # a SimpleLazyObject nobody has opened yet
        return None
    return user.pk if getattr(user, "is_authenticated", False) else None


class RequestIdFilter(logging.Filter):
    """Adds `request_id` and `user_id` to a log record: from the record's own request
    (django.request passes it) or the request being served on this thread."""

    def filter(self, record):
        request = getattr(record, "request", None) or current_request.get()
        record.request_id = getattr(request, "id", None) or current_request_id.get()
        record.user_id = user_id_of(request) if request is not None else None
        return True
