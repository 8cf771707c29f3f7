"""Who is locked out after failed logins (AC-7), as a django-axes handler.

django-axes supplies the plumbing: its authentication backend asks `is_locked` before any password
is checked, Django's `user_login_failed` signal reaches `user_login_failed` here, its middleware
turns a refused login into our lockout page, and it keeps a row per failure (AccessFailureLog) and
per sign-in (AccessLog). We decide the rules, because axes has one limit and one cool-off for
every lockout parameter while AC-7 needs two limits and a window longer than the lockout:

- account: LOGIN_FAILURE_LIMIT consecutive failures for a username (since its last sign-in or
  lockout) within LOGIN_FAILURE_WINDOW_MINUTES lock it for LOCKOUT_MINUTES;
- address: LOGIN_ADDRESS_FAILURE_LIMIT failures from one client address within
  LOGIN_ADDRESS_WINDOW_MINUTES pause it for LOGIN_ADDRESS_LOCKOUT_MINUTES.

Failures made while locked out are logged (locked_out=True) but count toward neither rule.
"""

import logging
from datetime import timedelta

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessFailureLog, AccessLog
from axes.signals import user_locked_out
from django.conf import settings
from django.db.models import Subquery, Value
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone

from .models import Lockout

log = logging.getLogger("signin")


def _clean(text: str | None, length: int) -> str:
    # Bytes PostgreSQL refuses in text, and lengths the log columns cannot hold.
    return (text or "").replace("\0", "")[:length]


def account_failures(username: str, now) -> int:
    """Failures for this username that count toward locking it (AC-7's consecutive failures)."""
    window_start = now - timedelta(minutes=settings.LOGIN_FAILURE_WINDOW_MINUTES)
    since = Greatest(
        Value(window_start),
        Coalesce(
            Subquery(
                AccessLog.objects.filter(username=username)
                .order_by("-attempt_time")
                .values("attempt_time")[:1]
            ),
            Value(window_start),
        ),
        Coalesce(
            Subquery(
                Lockout.objects.filter(kind=Lockout.ACCOUNT, username=username)
                .order_by("-locked_at")
                .values("locked_at")[:1]
            ),
            Value(window_start),
        ),
    )
    return (
        AccessFailureLog.objects.filter(username=username, locked_out=False)
        .filter(attempt_time__gt=since)
        .count()
    )


def address_failures(ip_address: str, now) -> int:
    """Failures from this address, any username, that count toward pausing it."""
    window_start = now - timedelta(minutes=settings.LOGIN_ADDRESS_WINDOW_MINUTES)
    since = Greatest(
        Value(window_start),
        Coalesce(
            Subquery(
                Lockout.objects.filter(kind=Lockout.ADDRESS, ip_address=ip_address)
                .order_by("-locked_at")
                .values("locked_at")[:1]
            ),
            Value(window_start),
        ),
    )
    return (
        AccessFailureLog.objects.filter(ip_address=ip_address, locked_out=False)
        .filter(attempt_time__gt=since)
        .count()
    )


def _lock(*, kind, username, ip_address, failures, now, minutes) -> Lockout:
    lockout = Lockout.objects.create(
        kind=kind,
        username=username,
        ip_address=ip_address,
        failures=failures,
        locked_at=now,
        locked_until=now + timedelta(minutes=minutes),
    )
    log.warning(
        "Sign-in lockout: %s %s locked until %s after %d failed logins (username %r, address %s)",
        kind,
        lockout.subject,
        lockout.locked_until.isoformat(),
        failures,
        username,
        ip_address,
    )
    return lockout


class LockoutHandler(AxesDatabaseHandler):
    """AXES_HANDLER: the two AC-7 rules above on axes' failure log, our Lockout rows as state."""

    def is_locked(self, request, credentials=None) -> bool:
        username = _clean(get_client_username(request, credentials), 255)
        return (
            Lockout.objects.active()
            .matching(username=username, ip_address=request.axes_ip_address)
            .exists()
        )

    def get_failures(self, request, credentials=None) -> int:
        username = _clean(get_client_username(request, credentials), 255)
        return account_failures(username, timezone.now())

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        if request is None:
            # Only a login without a request (e.g. a script calling authenticate()) gets here.
            log.error("Failed login without a request: not counted toward a lockout")
            return
        username = _clean(get_client_username(request, credentials), 255)
        ip_address = request.axes_ip_address
        already_locked = bool(request.axes_locked_out)
        failure = AccessFailureLog.objects.create(
            username=username,
            ip_address=ip_address,
            user_agent=_clean(request.axes_user_agent, 255),
            http_accept=_clean(request.axes_http_accept, 1025),
            path_info=_clean(request.axes_path_info, 255),
            locked_out=already_locked,
        )
        # The row's own time (auto_now_add), so a lockout never starts before its last failure.
        now = failure.attempt_time
        request.axes_credentials = credentials
        if already_locked:
            log.info("Login refused while locked (username %r, address %s)", username, ip_address)
            return

        locks = []
        failures = account_failures(username, now)
        if failures >= settings.LOGIN_FAILURE_LIMIT:
            locks.append(
                _lock(
                    kind=Lockout.ACCOUNT,
                    username=username,
                    ip_address=ip_address,
                    failures=failures,
                    now=now,
                    minutes=settings.LOCKOUT_MINUTES,
                )
            )
        if ip_address:
            failures = address_failures(ip_address, now)
            if failures >= settings.LOGIN_ADDRESS_FAILURE_LIMIT:
                locks.append(
                    _lock(
                        kind=Lockout.ADDRESS,
                        username=username,
                        ip_address=ip_address,
                        failures=failures,
                        now=now,
                        minutes=settings.LOGIN_ADDRESS_LOCKOUT_MINUTES,
                    )
                )
        if locks:
            AccessFailureLog.objects.filter(pk=failure.pk).update(locked_out=True)
            request.axes_locked_out = True
            user_locked_out.send("axes", request=request, username=username, ip_address=ip_address)

    def reset_attempts(self, *, ip_address=None, username=None, ip_or_username=False) -> int:
        """axes_reset* management commands: clear matching active lockouts (no Admin named)."""
        from .services import lockout_clear

        lockouts = Lockout.objects.active()
        if ip_or_username:
            lockouts = lockouts.matching(username=username, ip_address=ip_address)
        else:
            if username:
                lockouts = lockouts.filter(kind=Lockout.ACCOUNT, username=username)
            if ip_address:
                lockouts = lockouts.filter(kind=Lockout.ADDRESS, ip_address=ip_address)
        count = 0
        for lockout in lockouts:
            lockout_clear(lockout=lockout, by=None)
            count += 1
        return count
