"""Who must use a second factor: MFA_REQUIRED_ROLES and the Admin's mark."""

import pytest
from django.core.checks import run_checks

from tests.conftest import make_user
from tracker import roles
from tracker.mfa.policy import mfa_required

DEFAULT = ["State Monitor", "Admin"]


@pytest.mark.parametrize(
    "role, marked, required_roles, required",
    [
        (roles.CSR, False, DEFAULT, False),
        (roles.QC_LEAD, False, DEFAULT, False),
        (roles.PAL_COORDINATOR, False, DEFAULT, False),
        (roles.ASSISTER, False, DEFAULT, False),
        (roles.STATE_MONITOR, False, DEFAULT, True),
        (roles.ADMIN, False, DEFAULT, True),
        (roles.QC_LEAD, True, DEFAULT, True),
        (roles.STATE_MONITOR, False, [], False),
        (roles.ADMIN, False, [], False),
        (roles.CSR, True, [], True),
        (roles.CSR, False, ["CSR"], True),
        (roles.STATE_MONITOR, False, ["CSR"], False),
    ],
)
def test_it_requires_a_second_factor_by_role_or_mark(
    db, settings, role, marked, required_roles, required
):
    settings.MFA_REQUIRED_ROLES = required_roles
    user = make_user("someone", role, mfa_required=marked)
    assert mfa_required(user) is required


def test_it_counts_a_superuser_as_admin(db, settings):
    settings.MFA_REQUIRED_ROLES = ["Admin"]
    assert mfa_required(make_user("root", is_superuser=True))


def test_it_reports_a_misspelt_role_at_start_up(settings):
    settings.MFA_REQUIRED_ROLES = ["State Monitor", "Monitor"]
    errors = [error for error in run_checks() if error.id == "mfa.E001"]
    assert len(errors) == 1 and "Monitor" in errors[0].msg
    settings.MFA_REQUIRED_ROLES = []
    assert not [error for error in run_checks() if error.id == "mfa.E001"]
