"""Signing test users in with their second factor, as the real sign-in does (shared by
tests/conftest.py's client and tests/e2e/conftest.py's login)."""

import django.test
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.mfa.devices import code_at
from tracker.mfa.policy import mfa_required
from tracker.models import User


def asked_for_second_factor(user) -> bool:
    """Users some page asks for a second factor: MFA roles or marked, full SSNs, the admin."""
    fresh = User.objects.get(pk=user.pk)  # no role or permission caches left on `user`
    return mfa_required(fresh) or fresh.is_staff or fresh.has_perm("cases.view_full_identifiers")


def must_use_second_factor(user) -> bool:
    """Asked for a code right after the password (MFA_REQUIRED_ROLES or marked)."""
    return mfa_required(User.objects.get(pk=user.pk))


def authenticator_for(user) -> TOTPDevice:
    device, _ = TOTPDevice.objects.get_or_create(
        user=user, name="Test authenticator", defaults={"confirmed": True}
    )
    return device


def usable_code(device: TOTPDevice) -> str:
    """The device's current code, usable even if this test already signed in with it (in real
    life the person waits for the next code: the same code is never accepted twice)."""
    TOTPDevice.objects.filter(pk=device.pk).update(
        last_t=-1, throttling_failure_count=0, throttling_failure_timestamp=None
    )
    return code_at(device)


def verify_session(client, user) -> None:
    """Mark the client's signed-in session verified with the user's authenticator."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = authenticator_for(user).persistent_id
    session.save()


def wrong_code(device: TOTPDevice) -> str:
    """A 6-digit code the device does not accept now (nor one step either side)."""
    import time

    now = time.time()
    accepted = {code_at(device, now + steps * device.step) for steps in (-2, -1, 0, 1, 2)}
    return next(code for code in ("000000", "111111", "222222", "333333") if code not in accepted)


class Client(django.test.Client):
    """force_login(user) ends where the real sign-in ends: after the password and, for users a
    page asks for a second factor (MFA roles, full SSNs, the admin), a verified authenticator.
    force_login(user, second_factor=False) stops after the password."""

    def force_login(self, user, backend=None, *, second_factor=True):
        super().force_login(user, backend)
        if second_factor and asked_for_second_factor(user):
            verify_session(self, user)
