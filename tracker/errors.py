"""Error pages. Django's own handlers render 400.html, 403.html (with the reason the view gave,
as `exception`) and 404.html; the 500 page needs the request id, and must not depend on the
database or on context processors, which may be what failed."""

from django.http import HttpResponseServerError
from django.template import loader


def server_error(request):
    request_id = getattr(request, "id", "")
    try:
        body = loader.get_template("500.html").render({"request_id": request_id})
    except Exception:  # the template itself failed: still tell the user something useful
        body = f"Server error. Request id: {request_id}"
        return HttpResponseServerError(body, content_type="text/plain")
    return HttpResponseServerError(body)
