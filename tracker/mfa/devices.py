"""One service function per MFA action: start and confirm enrolment, verify a sign-in code,
renew recovery codes, turn the second factor off. Devices and throttling are django-otp's."""

import logging
import time
from base64 import b32encode
from dataclasses import dataclass, field
from datetime import datetime

import django_otp
from django.db import transaction
from django_otp.models import Device
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

logger = logging.getLogger(__name__)

AUTHENTICATOR_NAME = "Authenticator app"
RECOVERY_NAME = "Recovery codes"
RECOVERY_CODE_COUNT = 10


@dataclass(frozen=True)
class CodeCheck:
    """The outcome of one code: the device that accepted it, or why not."""

    device: Device | None = None
    locked_until: datetime | None = None  # django-otp's throttle: too many wrong codes in a row
    failures: int = 0
    recovery_codes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.device is not None


def normalise(code: str) -> str:
    """Codes as people type them: spaces, dashes and capitals do not matter."""
    return "".join(code.split()).replace("-", "").lower()


def looks_like_totp(code: str) -> bool:
    return len(code) == 6 and code.isdigit()


def authenticator_of(user, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def can_enter_a_code(user) -> bool:
    """Has something to sign in with: a confirmed authenticator or an unused recovery code.
    (Recovery codes alone, all used up, do not count: that person must enrol again.)"""
    return (
        TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        or recovery_codes_left(user) > 0
    )


def recovery_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def secret_of(device: TOTPDevice) -> str:
    """The key as authenticator apps want it typed: base32, in groups of four."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def code_at(device: TOTPDevice, when: float | None = None) -> str:
    """The 6-digit code `device` shows at `when` (now by default): for the demo and tests."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() if when is None else when
    return f"{totp.token():0{device.digits}d}"


def _check(device: Device, code: str) -> CodeCheck:
    """Try `code` on `device` under a row lock, so two tabs cannot use one code twice."""
    with transaction.atomic():
        device = type(device).objects.select_for_update().get(pk=device.pk)
        allowed, info = device.verify_is_allowed()
        if not allowed:
            return CodeCheck(locked_until=info.get("locked_until"))
        if device.verify_token(code):  # counts the failure on the device when wrong
            return CodeCheck(device=device)
        return CodeCheck(failures=device.throttling_failure_count)


def _sign_in(request, device: Device) -> None:
    # A new session key for the now stronger session (no fixation across the second factor).
    request.session.cycle_key()
    django_otp.login(request, device)


def _refused(user, check: CodeCheck, what: str) -> CodeCheck:
    if check.locked_until is None:
        logger.warning(
            "Wrong %s for %s (%d failures in a row)", what, user.get_username(), check.failures
        )
    return check


def enrolment_start(*, user) -> TOTPDevice:
    """A new, unconfirmed authenticator for `user` to scan; the same one until confirmed."""
    device = authenticator_of(user, confirmed=False)
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=AUTHENTICATOR_NAME, confirmed=False)
    return device


def enrolment_confirm(*, request, device: TOTPDevice, code: str) -> CodeCheck:
    """Confirm the scanned authenticator with a code it shows; on success it replaces any
    earlier one, the user gets 10 new recovery codes, and this session counts as verified."""
    user = request.user
    check = _check(device, normalise(code))
    if not check.ok:
        return _refused(user, check, "enrolment code")
    with transaction.atomic():
        TOTPDevice.objects.filter(pk=device.pk).update(confirmed=True)
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        codes = recovery_codes_renew(user=user)
    device.refresh_from_db()
    _sign_in(request, device)
    logger.info("%s set up an authenticator app", user.get_username())
    return CodeCheck(device=device, recovery_codes=codes)


def second_factor_verify(*, request, code: str) -> CodeCheck:
    """Sign-in step two: a 6-digit code from the authenticator app or an unused recovery code
    (used up by this). Wrong codes are counted and throttled per device by django-otp."""
    user = request.user
    code = normalise(code)
    model = TOTPDevice if looks_like_totp(code) else StaticDevice
    checks = []
    for device in model.objects.devices_for_user(user, confirmed=True):
        check = _check(device, code)
        if check.ok:
            _sign_in(request, check.device)
            return check
        checks.append(check)
    locked = [check.locked_until for check in checks if check.locked_until]
    if locked and len(locked) == len(checks):
        return CodeCheck(locked_until=min(locked))
    failures = max((check.failures for check in checks), default=0)
    return _refused(user, CodeCheck(failures=failures), "second-factor code")


@transaction.atomic
def recovery_codes_renew(*, user) -> list[str]:
    """10 new one-time recovery codes; the old ones stop working. Shown to the user once."""
    device, _ = StaticDevice.objects.get_or_create(
        user=user, name=RECOVERY_NAME, defaults={"confirmed": True}
    )
    device.token_set.all().delete()
    codes = [StaticToken.random_token() for _ in range(RECOVERY_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=code) for code in codes)
    return [f"{code[:4]}-{code[4:]}" for code in codes]


@transaction.atomic
def second_factor_remove(*, user) -> None:
    """Turn two-factor sign-in off for a user who is not required to use it."""
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    logger.info("%s turned two-factor sign-in off", user.get_username())
