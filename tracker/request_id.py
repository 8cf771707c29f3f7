"""A request id for every request: shown on the 500 page, sent as X-Request-ID and written on
every log line of that request, so a user's "it broke, id 3f2a…" leads straight to the traceback.
"""

import logging
import uuid
from contextvars import ContextVar

current_request_id: ContextVar[str] = ContextVar("current_request_id", default="-")


class RequestIdMiddleware:
    header = "X-Request-ID"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.id = uuid.uuid4().hex
        token = current_request_id.set(request.id)
        try:
            response = self.get_response(request)
        finally:
            current_request_id.reset(token)
        response[self.header] = request.id
        return response


class RequestIdFilter(logging.Filter):
    """Adds `request_id` to a log record: the record's own request (django.request passes it)
    or the request being served on this thread."""

    def filter(self, record):
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "id", None) or current_request_id.get()
        return True
