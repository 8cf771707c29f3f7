from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from . import session_limits
from .middleware import wants_json
from .models import Lockout
from .permissions import can_manage_lockouts
from .services import lockout_clear

RECENT_LOCKOUTS = 50
LIMIT_SETTINGS = [
    "LOGIN_FAILURE_LIMIT",
    "LOGIN_FAILURE_WINDOW_MINUTES",
    "LOCKOUT_MINUTES",
    "LOGIN_ADDRESS_FAILURE_LIMIT",
    "LOGIN_ADDRESS_WINDOW_MINUTES",
    "LOGIN_ADDRESS_LOCKOUT_MINUTES",
]


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: the page a refused login gets, for our login and the admin's alike.

    Says which lockout applies, until when, and whom to contact; never whether the user exists.
    """
    from axes.helpers import get_client_username

    username = (get_client_username(request, credentials) or "")[:255]
    lockouts = list(
        Lockout.objects.active().matching(username=username, ip_address=request.axes_ip_address)
    )
    if not lockouts:  # cleared or ended a moment ago: show the login form's own answer
        return original_response
    context = {
        "account": next((lock for lock in lockouts if lock.kind == Lockout.ACCOUNT), None),
        "address": next((lock for lock in lockouts if lock.kind == Lockout.ADDRESS), None),
        "contact": settings.LOCKOUT_CONTACT,
        "failure_limit": settings.LOGIN_FAILURE_LIMIT,
        "failure_window": settings.LOGIN_FAILURE_WINDOW_MINUTES,
    }
    return render(request, "signin/locked.html", context, status=429)


def lockout_list(request):
    """Admins: who is locked out now (with a button to clear each) and recent lockouts."""
    if not can_manage_lockouts(request.user):
        raise PermissionDenied("Only an Admin may see sign-in lockouts.")
    now = timezone.now()
    active = list(Lockout.objects.active(now).order_by("locked_until"))
    ended = Lockout.objects.exclude(cleared_at__isnull=True, locked_until__gt=now).select_related(
        "cleared_by"
    )[:RECENT_LOCKOUTS]
    return render(
        request,
        "signin/lockout_list.html",
        {
            "active": active,
            "ended": ended,
            "recent_count": RECENT_LOCKOUTS,
            "limits": {name: getattr(settings, name) for name in LIMIT_SETTINGS},
        },
    )


@require_POST
def lockout_clear_view(request, pk):
    if not can_manage_lockouts(request.user):
        raise PermissionDenied("Only an Admin may clear sign-in lockouts.")
    lockout = get_object_or_404(Lockout, pk=pk)
    if lockout_clear(lockout=lockout, by=request.user):
        messages.success(request, f"Cleared the lockout of {lockout.subject}.")
    else:
        messages.info(request, f"The lockout of {lockout.subject} had already ended.")
    return redirect("signin:lockouts")


@require_POST
def stay_signed_in(request):
    """The warning's "Stay signed in": counts as activity (the middleware checked the limits)."""
    session_limits.touch(request)
    if wants_json(request):
        left = session_limits.remaining(request.session, session_limits.now())
        return JsonResponse(
            {"idle_seconds_left": left.idle_seconds, "absolute_seconds_left": left.absolute_seconds}
        )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "home"
    return redirect(target)
