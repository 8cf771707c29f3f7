"""A lost phone: an Admin resets the person's second factor in the Django admin, without ever
seeing or setting a secret."""

from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.second_factor import authenticator_for


def test_it_lets_an_admin_delete_a_lost_authenticator_but_not_add_one(
    client, admin_user, enrolled_monitor
):
    assert not admin_user.is_superuser  # the Admin role's own permissions
    device = authenticator_for(enrolled_monitor)
    client.force_login(admin_user)

    change = client.get(reverse("admin:otp_totp_totpdevice_change", args=[device.pk]))
    assert change.status_code == 200 and device.key not in change.content.decode()
    assert client.get(reverse("admin:otp_totp_totpdevice_add")).status_code == 403

    client.post(reverse("admin:otp_totp_totpdevice_delete", args=[device.pk]), {"post": "yes"})
    assert not TOTPDevice.objects.filter(pk=device.pk).exists()


def test_it_lets_an_admin_mark_a_user_as_requiring_mfa(client, admin_user, csr):
    client.force_login(admin_user)
    url = reverse("admin:tracker_user_change", args=[csr.pk])
    assert 'name="mfa_required"' in client.get(url).content.decode()
