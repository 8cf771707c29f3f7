"""Full SSNs need the permission AND a session verified with a second factor (IA-2), on every
page that shows them: the State Monitor list, the case page, the hand-off export, the admin."""

import pytest
from django.urls import reverse

from cases import services
from cases.permissions import can_see_full_identifiers
from tests.conftest import make_user
from tracker import roles
from tracker.models import IdentifierAccess

FULL_SSN = "123-45-6789"  # tests/conftest.py log_case's participant
MFA_PAGE = "/account/security/"


@pytest.fixture
def true_tracker_case(log_case, qc_lead):
    return services.case_vet_true(case=log_case(), by=qc_lead)


def ssn_pages(case):
    return {
        "monitor list": reverse("cases:monitor_list"),
        "case page": case.get_absolute_url(),
        "hand-off export": reverse("reports:handoff_export"),
        "admin change page": reverse("admin:cases_case_change", args=[case.pk]),
        "admin change list": reverse("admin:cases_case_changelist"),
    }


@pytest.mark.parametrize("who", ["monitor", "admin_user"])
@pytest.mark.parametrize("required_roles", [["State Monitor", "Admin"], []])
@pytest.mark.parametrize(
    "page",
    ["monitor list", "case page", "hand-off export", "admin change page", "admin change list"],
)
def test_it_shows_no_full_ssn_to_a_session_without_a_second_factor(
    client, request, settings, true_tracker_case, who, required_roles, page
):
    settings.MFA_REQUIRED_ROLES = required_roles
    user = request.getfixturevalue(who)
    user.is_staff = True
    user.save()
    client.force_login(user, second_factor=False)

    response = client.get(ssn_pages(true_tracker_case)[page])

    if response.status_code == 302:
        assert response.url.startswith(MFA_PAGE)
    else:  # the case page stays open for its other details, with SSNs masked
        assert response.status_code == 200 and page == "case page"
        html = response.content.decode()
        assert "***-**-6789" in html and "SSNs are masked until you" in html
    body = response.content.decode()
    assert FULL_SSN not in body and "123456789" not in body
    assert not IdentifierAccess.objects.exists()


@pytest.mark.parametrize("page", ["monitor list", "case page", "admin change page"])
def test_it_shows_full_ssns_once_the_second_factor_is_verified(
    client, monitor, true_tracker_case, page
):
    monitor.is_staff = True
    monitor.save()
    client.force_login(monitor)  # password and second factor (tests/conftest.py)
    html = client.get(ssn_pages(true_tracker_case)[page]).content.decode()
    assert FULL_SSN in html or "123456789" in html  # the admin shows the raw field
    assert "SSNs are masked until you" not in html


def test_it_exports_the_handoff_once_the_second_factor_is_verified(
    client, monitor, true_tracker_case
):
    client.force_login(monitor)
    response = client.get(reverse("reports:handoff_export"))
    assert response.status_code == 200
    assert IdentifierAccess.objects.get().what == "State Monitor hand-off"


@pytest.mark.parametrize(
    "role, verified, allowed",
    [
        (roles.STATE_MONITOR, True, True),
        (roles.STATE_MONITOR, False, False),
        (roles.ADMIN, True, True),
        (roles.ADMIN, False, False),
        (roles.QC_LEAD, True, False),
        (roles.CSR, True, False),
    ],
)
def test_can_see_full_identifiers_needs_the_permission_and_a_second_factor(
    db, role, verified, allowed
):
    user = make_user("someone", role)
    user.is_verified = lambda: verified  # what django-otp's middleware installs
    assert can_see_full_identifiers(user) is allowed


def test_a_user_object_outside_a_request_never_sees_full_identifiers(monitor):
    assert not can_see_full_identifiers(monitor)
