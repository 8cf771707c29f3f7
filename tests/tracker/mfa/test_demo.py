"""`manage.py demo` still ends in a working sign-in: the demo State Monitor and Admin get an
authenticator with a printed secret, and `totp_code` prints its current code."""

import time
from base64 import b32decode
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tracker.demo import DEMO_PASSWORD
from tracker.mfa.demo import DEMO_DEVICE_NAME
from tracker.mfa.devices import code_at
from tracker.models import User

pytestmark = pytest.mark.usefixtures("debug_on")


def test_it_gives_demo_users_in_required_roles_a_printed_authenticator(db):
    out = StringIO()
    call_command("demo", stdout=out)
    call_command("demo", stdout=StringIO())  # idempotent

    devices = TOTPDevice.objects.filter(name=DEMO_DEVICE_NAME, confirmed=True)
    assert sorted(devices.values_list("user__username", flat=True)) == ["admin", "monitor"]
    printed = out.getvalue()
    secret_line = printed.split("(time based):\n", 1)[1].splitlines()[0]
    assert b32decode(secret_line.replace(" ", "")) == devices[0].bin_key
    assert "totp_code monitor" in printed


def test_it_lets_the_demo_monitor_sign_in_with_the_printed_code(client, db, settings):
    call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command("totp_code", "monitor", stdout=out)

    response = client.post(reverse("login"), {"username": "monitor", "password": DEMO_PASSWORD})
    assert response.status_code == 302  # the password is right; the code comes next
    response = client.post(
        reverse("mfa:verify"), {"code": out.getvalue().strip(), "next": "/cases/monitor/"}
    )
    assert response.url == "/cases/monitor/"
    assert client.get("/cases/monitor/").status_code == 200


def test_totp_code_prints_the_devices_current_code(db, settings):
    call_command("demo", stdout=StringIO())
    out = StringIO()
    call_command("totp_code", "monitor", stdout=out)
    device = TOTPDevice.objects.get(user__username="monitor")
    # The step may have turned between the command and this line.
    assert out.getvalue().strip() in {code_at(device), code_at(device, time.time() - device.step)}


def test_totp_code_refuses_without_debug(db, settings):
    settings.DEBUG = False
    User.objects.create_user("monitor")
    with pytest.raises(CommandError, match="DEBUG=0"):
        call_command("totp_code", "monitor", stdout=StringIO())
