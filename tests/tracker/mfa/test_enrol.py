"""Setting up an authenticator app: QR code, confirming with a code, recovery codes shown once."""

import re
from urllib.parse import quote

from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.second_factor import wrong_code
from tracker.mfa.devices import code_at, secret_of

from .conftest import ENROL


def test_it_shows_a_qr_code_and_the_secret_to_type(password_only, csr):
    html = password_only(csr).get(ENROL).content.decode()
    device = TOTPDevice.objects.get(user=csr, confirmed=False)
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert 'class="qr"' in svg and "<path" in svg
    # Content-Security-Policy default-src 'self': no inline style, script or data: image.
    inline_script = re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "style=" not in svg and not inline_script and "data:" not in html
    assert secret_of(device) in html


def test_it_shows_the_same_secret_until_it_is_confirmed(password_only, csr):
    client = password_only(csr)
    client.get(ENROL)
    client.get(ENROL)
    assert TOTPDevice.objects.filter(user=csr).count() == 1


def test_it_turns_on_with_a_right_code_and_shows_ten_recovery_codes_once(password_only, csr):
    client = password_only(csr)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=csr)

    response = client.post(ENROL, {"code": code_at(device), "next": "/cases/mine/"})

    codes_url = reverse("mfa:recovery_codes") + "?next=" + quote("/cases/mine/", safe="")
    assert response.status_code == 302 and response.url == codes_url
    device.refresh_from_db()
    assert device.confirmed
    page = client.get(codes_url).content.decode()
    shown = [code for code in StaticToken.objects.filter(device__user=csr)]
    assert len(shown) == 10
    for token in shown:
        assert f"{token.token[:4]}-{token.token[4:]}" in page
    assert 'href="/cases/mine/"' in page
    # Shown once: a second visit goes to the security page, which shows only how many are left.
    again = client.get(codes_url)
    assert again.status_code == 302 and again.url == reverse("mfa:security")
    assert 'data-count="recovery-codes">10<' in client.get(again.url).content.decode()


def test_it_refuses_a_wrong_code_and_stays_off(password_only, csr):
    client = password_only(csr)
    client.get(ENROL)
    device = TOTPDevice.objects.get(user=csr)

    response = client.post(ENROL, {"code": wrong_code(device)})

    assert response.status_code == 200
    assert "That code is not right" in response.content.decode()
    device.refresh_from_db()
    assert not device.confirmed and device.throttling_failure_count == 1
    assert not StaticToken.objects.exists()


def test_it_does_not_let_a_password_alone_add_a_device(password_only, enrolled_monitor):
    # Someone who knows only the password must not be able to enrol their own phone.
    response = password_only(enrolled_monitor).get(ENROL)
    assert response.status_code == 302 and response.url.startswith(reverse("mfa:verify"))
    assert TOTPDevice.objects.filter(user=enrolled_monitor).count() == 1


def test_it_replaces_the_old_phone_when_a_verified_user_sets_up_a_new_one(client, enrolled_monitor):
    client.force_login(enrolled_monitor)
    old = TOTPDevice.objects.get(user=enrolled_monitor)
    client.get(ENROL)
    new = TOTPDevice.objects.get(user=enrolled_monitor, confirmed=False)
    client.post(ENROL, {"code": code_at(new)})
    assert list(TOTPDevice.objects.filter(user=enrolled_monitor)) == [new]
    assert not TOTPDevice.objects.filter(pk=old.pk).exists()
