"""The account security page: optional enrolment for everyone, new recovery codes, turning
two-factor sign-in off only when it is not required."""

from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.second_factor import authenticator_for, verify_session
from tracker.mfa.devices import recovery_codes_renew

SECURITY = reverse("mfa:security")


def test_it_offers_an_optional_user_to_set_up_an_authenticator(password_only, csr):
    html = password_only(csr).get(SECURITY).content.decode()
    assert "You sign in with your password only" in html
    assert reverse("mfa:enrol") in html
    assert "Required for you" not in html


def test_it_says_why_it_is_required(client, monitor):
    client.force_login(monitor)
    html = client.get(SECURITY).content.decode()
    assert "Required for you as State Monitor." in html
    assert "Turn two-factor sign-in off" not in html


def test_it_makes_new_recovery_codes_and_retires_the_old_ones(client, monitor):
    old = recovery_codes_renew(user=monitor)
    client.force_login(monitor)
    response = client.post(reverse("mfa:recovery_codes"), follow=True)
    new = set(StaticToken.objects.filter(device__user=monitor).values_list("token", flat=True))
    assert len(new) == 10 and not new & {code.replace("-", "") for code in old}
    assert all(f"{code[:4]}-{code[4:]}" in response.content.decode() for code in new)


def test_it_refuses_new_recovery_codes_to_a_password_only_session(password_only, csr):
    authenticator_for(csr)
    response = password_only(csr).post(reverse("mfa:recovery_codes"))
    assert response.status_code == 403
    assert not StaticToken.objects.exists()


def test_it_lets_an_optional_user_turn_it_off(client, csr):
    authenticator_for(csr)
    recovery_codes_renew(user=csr)
    client.force_login(csr)
    verify_session(client, csr)  # turning it off needs a code, not just the password
    client.post(reverse("mfa:remove"))
    assert not TOTPDevice.objects.filter(user=csr).exists()
    assert not StaticToken.objects.exists()


def test_it_refuses_to_turn_it_off_for_a_required_user(client, monitor):
    client.force_login(monitor)
    assert client.post(reverse("mfa:remove")).status_code == 403
    assert TOTPDevice.objects.filter(user=monitor).exists()


def test_it_refuses_to_turn_it_off_on_the_password_alone(password_only, csr):
    authenticator_for(csr)
    assert password_only(csr).post(reverse("mfa:remove")).status_code == 403
    assert TOTPDevice.objects.filter(user=csr).exists()
