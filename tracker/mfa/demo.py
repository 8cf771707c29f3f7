"""Demo authenticators: the demo users who need a second factor share one fixed, printed secret
so the newcomer's first command still ends in a working sign-in."""

from django_otp.plugins.otp_totp.models import TOTPDevice

from .devices import code_at, secret_of
from .policy import mfa_required

# 20 bytes as hex, as TOTPDevice stores keys. Public on purpose: demo data only.
DEMO_KEY = b"ExchangeTrackerDemo!".hex()
DEMO_DEVICE_NAME = "Demo authenticator"


def needs_demo_device(user) -> bool:
    # Full SSNs need a verified session even when MFA_REQUIRED_ROLES leaves a role out.
    return mfa_required(user) or user.has_perm("cases.view_full_identifiers")


def load(stdout, users) -> None:
    """Give each demo user who needs a second factor the demo authenticator (idempotent)."""
    device = None
    names = []
    for username, user in users.items():
        if not needs_demo_device(user):
            continue
        device, _ = TOTPDevice.objects.update_or_create(
            user=user,
            name=DEMO_DEVICE_NAME,
            defaults={"key": DEMO_KEY, "confirmed": True},
        )
        names.append(username)
    if device is None:
        return
    stdout.write(
        f"Two-factor sign-in for {', '.join(names)}: after the password, enter the 6-digit code"
        " from an authenticator app set up with this secret key (time based):\n"
        f"  {secret_of(device)}\n"
        f"  Code right now: {code_at(device)} (it changes every 30 seconds;"
        " `manage.py totp_code monitor` prints the current one)."
    )
