"""One access-log line per request, and the request metrics (tracker/metrics.py), from one
small middleware placed right after WhiteNoise (static files are not counted), so it times the
rest of the request.

The line has the path without its query string (a search query may be a name or an SSN), the
status, the duration and the user's id (never a name), and the request id on every line.
"""

import logging
import time

from . import metrics
from .request_id import user_id_of

logger = logging.getLogger("tracker.access")


class AccessLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        started = time.perf_counter()
        response = self.get_response(request)
        seconds = time.perf_counter() - started
        match = getattr(request, "resolver_match", None)
        # The URL's name is a short, fixed list (a label per page, not per case number).
        view = (match.view_name if match else "") or "unmatched"
        metrics.observe_request(
            view=view, method=request.method, status=response.status_code, seconds=seconds
        )
        logger.info(
            "%s %s %s %.1f ms",
            request.method,
            request.path,
            response.status_code,
            seconds * 1000,
            extra={
                "method": request.method,
                "path": request.path,
                "status": response.status_code,
                "duration_ms": round(seconds * 1000, 1),
                "view": view,
                "user_id": user_id_of(request),
            },
        )
        return response
