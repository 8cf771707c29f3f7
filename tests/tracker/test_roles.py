import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from tracker import roles


def perms_of(role):
    group = Group.objects.get(name=role)
    return {f"{p.content_type.app_label}.{p.codename}" for p in group.permissions.all()}


@pytest.mark.parametrize("role", roles.ALL_ROLES)
def test_it_creates_every_role_with_its_permissions(db, role):
    assert perms_of(role) == set(roles.ROLE_PERMISSIONS[role])


def test_it_keeps_state_monitor_identifiers_away_from_qc(db):
    assert "cases.view_full_identifiers" in perms_of(roles.STATE_MONITOR)
    assert "cases.view_full_identifiers" not in perms_of(roles.QC_LEAD)
    assert "cases.view_full_identifiers" not in perms_of(roles.CSR)


@pytest.mark.django_db(transaction=True)
def test_it_restores_roles_after_a_flush():
    call_command("flush", interactive=False, verbosity=0)
    assert perms_of(roles.QC_LEAD) == set(roles.ROLE_PERMISSIONS[roles.QC_LEAD])
