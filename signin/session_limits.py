"""Idle timeout and absolute session limit (AC-11/12), kept as two timestamps in the session.

The server enforces both on every request (middleware.py). The page only counts down from the
seconds left that it was rendered with (static/js/session-timeout.js), so nothing polls and a
page's own script never counts as activity; the one exception is "Stay signed in" (views.py).
"""

import time
from dataclasses import dataclass

from django.conf import settings

SIGNED_IN_AT = "signin_at"
LAST_SEEN_AT = "signin_last_seen_at"
# Record activity at most this often: a session write per request is not worth it. The page is
# told the seconds left from the recorded time, so its countdown never outlasts the server's.
TOUCH_EVERY_SECONDS = 30


def now() -> float:
    return time.time()


def stamp_sign_in(sender, request, user, **kwargs):
    """user_logged_in: start both clocks (also for force_login in tests)."""
    if request is None or not hasattr(request, "session"):
        return
    moment = now()
    request.session[SIGNED_IN_AT] = moment
    request.session[LAST_SEEN_AT] = moment


def touch(request) -> None:
    request.session[LAST_SEEN_AT] = now()


@dataclass(frozen=True)
class Remaining:
    idle_seconds: int
    absolute_seconds: int

    @property
    def warning_seconds(self) -> int:
        """How long before the end the page warns (and offers "Stay signed in")."""
        return settings.SESSION_IDLE_WARNING_SECONDS


def idle_limit_seconds() -> int:
    return settings.SESSION_IDLE_TIMEOUT_MINUTES * 60


def absolute_limit_seconds() -> int:
    return settings.SESSION_ABSOLUTE_HOURS * 3600


def remaining(session, at: float) -> Remaining | None:
    """Seconds left before each limit, or None if the session has no sign-in time."""
    signed_in_at = session.get(SIGNED_IN_AT)
    last_seen_at = session.get(LAST_SEEN_AT)
    if signed_in_at is None or last_seen_at is None:
        return None
    return Remaining(
        idle_seconds=int(idle_limit_seconds() - (at - last_seen_at)),
        absolute_seconds=int(absolute_limit_seconds() - (at - signed_in_at)),
    )
