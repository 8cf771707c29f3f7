"""The account security page and the sign-in steps after the password: verify a code, set up
an authenticator app, see new recovery codes once. Rules live in policy.py, actions in
devices.py."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST
from django_otp.plugins.otp_static.models import StaticDevice

from . import devices
from .forms import CodeForm
from .policy import mfa_required, required_roles_of, second_factor_verified
from .qr import qr_svg

NEW_CODES_KEY = "mfa_new_recovery_codes"


def _next_url(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return candidate if allowed else reverse("home")


def _with_next(name: str, next_url: str) -> str:
    return f"{reverse(name)}?{urlencode({'next': next_url})}"


def _refusal(check: devices.CodeCheck) -> str:
    if check.locked_until is not None:
        seconds = max(1, round((check.locked_until - timezone.now()).total_seconds()))
        return (
            f"Too many wrong codes in a row. Wait {seconds} second{'s' if seconds != 1 else ''}, "
            "then enter the newest code."
        )
    return (
        "That code is not right. Enter the 6-digit code your authenticator app shows now "
        "(check the phone's clock is set automatically), or an unused recovery code."
    )


def verify(request):
    """Sign-in step two for a user with a confirmed device."""
    next_url = _next_url(request)
    if not devices.can_enter_a_code(request.user):
        return redirect(_with_next("mfa:enrol", next_url))
    if second_factor_verified(request.user):
        return redirect(next_url)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        check = devices.second_factor_verify(request=request, code=form.cleaned_data["code"])
        if check.ok:
            if isinstance(check.device, StaticDevice):
                left = devices.recovery_codes_left(request.user)
                messages.warning(
                    request,
                    f"You signed in with a recovery code; {left} left. If your phone is lost, "
                    "set up a new authenticator app on your Security page.",
                )
            return redirect(next_url)
        form.add_error("code", _refusal(check))
    return render(request, "mfa/verify.html", {"form": form, "next": next_url})


def enrol(request):
    """Set up an authenticator app: scan the QR code (or type the secret), confirm a code."""
    next_url = _next_url(request)
    user = request.user
    if devices.can_enter_a_code(user) and not second_factor_verified(user):
        # Adding a device needs the existing second factor, not just the password.
        return redirect(_with_next("mfa:verify", next_url))
    device = devices.enrolment_start(user=user)
    form = CodeForm(request.POST or None)
    if form.is_valid():
        check = devices.enrolment_confirm(
            request=request, device=device, code=form.cleaned_data["code"]
        )
        if check.ok:
            request.session[NEW_CODES_KEY] = check.recovery_codes
            messages.success(request, "Two-factor sign-in is on.")
            return redirect(_with_next("mfa:recovery_codes", next_url))
        form.add_error("code", _refusal(check))
    context = {
        "form": form,
        "next": next_url,
        "qr": qr_svg(device.config_url),
        "secret": devices.secret_of(device),
        "required": mfa_required(user),
    }
    return render(request, "mfa/enrol.html", context)


def recovery_codes(request):
    """New recovery codes, shown once (GET after enrolment), or renewed on request (POST)."""
    if request.method == "POST":
        if not second_factor_verified(request.user):
            raise PermissionDenied("Confirm a code from your authenticator app first.")
        request.session[NEW_CODES_KEY] = devices.recovery_codes_renew(user=request.user)
        messages.success(request, "New recovery codes made; the old ones no longer work.")
        return redirect("mfa:recovery_codes")
    codes = request.session.pop(NEW_CODES_KEY, None)
    if not codes:
        return redirect("mfa:security")
    return render(request, "mfa/recovery_codes.html", {"codes": codes, "next": _next_url(request)})


def security(request):
    """Account security: whether two-factor sign-in is on, required, and what to do about it."""
    user = request.user
    context = {
        "authenticator": devices.authenticator_of(user),
        "codes_left": devices.recovery_codes_left(user),
        "required": mfa_required(user),
        "required_roles": required_roles_of(user),
        "marked": user.mfa_required,
        "verified": second_factor_verified(user),
    }
    return render(request, "mfa/security.html", context)


@require_POST
def remove(request):
    """Turn two-factor sign-in off: only for those not required to use it, after a code."""
    user = request.user
    if mfa_required(user) or not second_factor_verified(user):
        raise PermissionDenied("You cannot turn two-factor sign-in off.")
    devices.second_factor_remove(user=user)
    messages.success(request, "Two-factor sign-in is off.")
    return redirect("mfa:security")
