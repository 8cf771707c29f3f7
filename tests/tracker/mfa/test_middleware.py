"""Until verified, a user who must use MFA reaches only the verify/enrol/logout pages; an
unverified staff session never reaches the Django admin."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken

from tests.conftest import make_user
from tracker import roles
from tracker.mfa.devices import recovery_codes_renew

from .conftest import ENROL, VERIFY

PAGES = ["home", "cases:monitor_list", "reports:handoff", "mfa:security", "login"]


@pytest.mark.parametrize("page", PAGES)
def test_it_sends_a_required_user_without_a_device_to_enrol(password_only, monitor, page):
    url = reverse(page)
    response = password_only(monitor).get(url)
    assert response.status_code == 302
    assert response.url.startswith(f"{ENROL}?next=")


@pytest.mark.parametrize("page", PAGES)
def test_it_sends_a_required_user_with_a_device_to_the_code_page(
    password_only, enrolled_monitor, page
):
    response = password_only(enrolled_monitor).get(reverse(page))
    assert response.status_code == 302 and response.url.startswith(f"{VERIFY}?next=")


def test_it_lets_an_unverified_required_user_log_out(password_only, monitor):
    client = password_only(monitor)
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session


def test_it_forces_a_user_an_admin_marked(password_only, csr):
    csr.mfa_required = True
    csr.save()
    response = password_only(csr).get(reverse("cases:mine"))
    assert response.url.startswith(f"{ENROL}?next=")


def test_it_lets_other_users_in_with_the_password_alone(password_only, csr):
    assert password_only(csr).get(reverse("cases:mine")).status_code == 200


def test_it_forces_nobody_when_mfa_required_roles_is_empty(password_only, monitor, settings):
    settings.MFA_REQUIRED_ROLES = []
    client = password_only(monitor)
    assert client.get(reverse("home")).status_code == 200
    assert client.get(reverse("reports:handoff")).status_code == 200


@pytest.mark.parametrize("required_roles", [["State Monitor", "Admin"], []])
@pytest.mark.parametrize(
    "url", ["/admin/", "/admin/cases/case/", "/admin/tracker/user/", "/admin/login/"]
)
def test_it_keeps_an_unverified_staff_session_out_of_the_admin(
    password_only, admin_user, settings, required_roles, url
):
    settings.MFA_REQUIRED_ROLES = required_roles
    response = password_only(admin_user).get(url)
    assert response.status_code == 302
    assert response.url.startswith((f"{ENROL}?next=", f"{VERIFY}?next="))


def test_it_keeps_a_staff_user_not_required_to_use_mfa_out_of_the_admin(password_only, db):
    clerk = make_user("csr.staff", roles.CSR, is_staff=True)
    response = password_only(clerk).get("/admin/")
    assert response.url == f"{ENROL}?next=/admin/"


def test_it_lets_a_verified_admin_into_the_admin(client, admin_user):
    client.force_login(admin_user)
    assert client.get("/admin/cases/case/").status_code == 200


def test_it_sends_a_user_with_nothing_left_to_enter_to_enrol_again(password_only, monitor):
    # An Admin deleted the lost phone's authenticator; every recovery code is used up.
    recovery_codes_renew(user=monitor)
    StaticToken.objects.filter(device__user=monitor).delete()
    response = password_only(monitor).get(reverse("home"))
    assert response.url.startswith(f"{ENROL}?next=")


def test_it_asks_for_a_recovery_code_when_only_those_are_left(password_only, monitor):
    recovery_codes_renew(user=monitor)
    response = password_only(monitor).get(reverse("home"))
    assert response.url.startswith(f"{VERIFY}?next=")
