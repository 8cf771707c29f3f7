from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import ngettext

from . import session_limits


class SessionLimitsMiddleware:
    """Sign out a session that was idle too long or is older than the absolute limit (AC-11/12).

    The next request after a limit goes to the login page with a message saying why, and back to
    the page asked for after signing in again.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            ended = self.check(request)
            if ended:
                return ended
        return self.get_response(request)

    def check(self, request):
        at = session_limits.now()
        left = session_limits.remaining(request.session, at)
        if left is None:
            # Signed in before these limits existed (or by a path that skipped login()).
            return self.sign_out(request, "Your session has ended. Please sign in again.")
        if left.absolute_seconds <= 0:
            hours = session_limits.absolute_limit_seconds() // 3600
            return self.sign_out(
                request,
                ngettext(
                    "You were signed out because %(hours)d hour has passed since you signed in.",
                    "You were signed out because %(hours)d hours have passed since you signed in.",
                    hours,
                )
                % {"hours": hours},
            )
        if left.idle_seconds <= 0:
            minutes = session_limits.idle_limit_seconds() // 60
            return self.sign_out(
                request,
                ngettext(
                    "You were signed out after %(minutes)d minute without activity.",
                    "You were signed out after %(minutes)d minutes without activity.",
                    minutes,
                )
                % {"minutes": minutes},
            )
        if session_limits.idle_limit_seconds() - left.idle_seconds >= (
            session_limits.TOUCH_EVERY_SECONDS
        ):
            session_limits.touch(request)
            left = session_limits.remaining(request.session, at)
        request.session_left = left  # the warning in base.html counts down from these
        return None

    def sign_out(self, request, message):
        path = request.get_full_path()
        if request.path == reverse("signin:stay"):
            # Back to the page the warning was on, not to a POST-only endpoint.
            path = request.POST.get("next", "")
            if not url_has_allowed_host_and_scheme(path, allowed_hosts={request.get_host()}):
                path = reverse("home")
        logout(request)
        messages.info(request, message)
        if wants_json(request):
            # A script's fetch: it reloads the page, which then shows the login page and message.
            return JsonResponse({"signed_out": True}, status=401)
        return redirect_to_login(path)


def wants_json(request) -> bool:
    return "application/json" in request.headers.get("Accept", "")
