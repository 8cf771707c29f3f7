"""Sign-in step two: a code from the authenticator app or a one-time recovery code."""

import re

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.second_factor import authenticator_for, wrong_code
from tracker.mfa.devices import code_at, recovery_codes_renew

from .conftest import VERIFY

MONITOR_LIST = reverse("cases:monitor_list")


def test_it_asks_for_a_code_after_the_password_and_then_lets_the_user_in(
    password_only, enrolled_monitor
):
    client = password_only(enrolled_monitor)
    asked = client.get(MONITOR_LIST)
    assert asked.status_code == 302 and asked.url == f"{VERIFY}?next={MONITOR_LIST}"

    device = authenticator_for(enrolled_monitor)
    response = client.post(VERIFY, {"code": code_at(device), "next": MONITOR_LIST})

    assert response.status_code == 302 and response.url == MONITOR_LIST
    assert client.get(MONITOR_LIST).status_code == 200


def test_it_refuses_a_wrong_code_counts_it_and_throttles_the_next_try(
    password_only, enrolled_monitor, settings
):
    settings.OTP_TOTP_THROTTLE_FACTOR = 60  # django-otp's default is 1 s: too short to test
    client = password_only(enrolled_monitor)
    device = authenticator_for(enrolled_monitor)

    response = client.post(VERIFY, {"code": wrong_code(device)})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert client.get(MONITOR_LIST).status_code == 302  # still not in
    # django-otp's throttle: right after a failure even the right code must wait.
    throttled = client.post(VERIFY, {"code": code_at(device)})
    assert re.search(r"Too many wrong codes in a row\. Wait (60|59) seconds", throttled.text)
    assert client.get(MONITOR_LIST).status_code == 302


def test_it_accepts_a_recovery_code_once(client, enrolled_monitor):
    codes = recovery_codes_renew(user=enrolled_monitor)

    client.force_login(enrolled_monitor, second_factor=False)
    used = client.post(VERIFY, {"code": codes[0].upper(), "next": MONITOR_LIST}, follow=True)
    assert used.redirect_chain[-1][0] == MONITOR_LIST
    assert "You signed in with a recovery code; 9 left" in used.content.decode()

    client.post(reverse("logout"))
    client.force_login(enrolled_monitor, second_factor=False)
    again = client.post(VERIFY, {"code": codes[0]})
    assert "That code is not right" in again.content.decode()
    assert client.get(MONITOR_LIST).status_code == 302


def test_it_does_not_accept_the_same_authenticator_code_twice(client, enrolled_monitor):
    device = authenticator_for(enrolled_monitor)
    code = code_at(device)
    client.force_login(enrolled_monitor, second_factor=False)
    client.post(VERIFY, {"code": code})
    client.post(reverse("logout"))

    client.force_login(enrolled_monitor, second_factor=False)
    replayed = client.post(VERIFY, {"code": code})
    assert "That code is not right" in replayed.content.decode()


def test_it_starts_a_new_session_key_once_verified(password_only, enrolled_monitor):
    client = password_only(enrolled_monitor)
    before = client.session.session_key
    client.post(VERIFY, {"code": code_at(authenticator_for(enrolled_monitor))})
    assert client.session.session_key != before


def test_it_never_follows_next_to_another_site(password_only, enrolled_monitor):
    client = password_only(enrolled_monitor)
    code = code_at(authenticator_for(enrolled_monitor))
    response = client.post(VERIFY, {"code": code, "next": "https://evil.example.org/"})
    assert response.url == reverse("home")


def test_it_sends_a_user_without_a_device_to_set_one_up(password_only, monitor):
    response = password_only(monitor).get(f"{VERIFY}?next=/cases/monitor/")
    assert response.url == f"{reverse('mfa:enrol')}?next=%2Fcases%2Fmonitor%2F"
    assert not TOTPDevice.objects.filter(user=monitor, confirmed=True).exists()
