"""The roles of DESIGN.md, as Django groups, and the permissions each one holds.

Groups and their permissions are created by data migrations (see `grant_permissions`), so a fresh
database has them before anyone logs in. Views and templates ask `has_role` / `user.has_perm`;
object-level rules live in each app's `permissions.py`.
"""

CSR = "CSR"
SUPERVISOR = "Supervisor"
QC_LEAD = "QC Lead"
STATE_MONITOR = "State Monitor"
PAL_REPRESENTATIVE = "PAL Representative"
PAL_COORDINATOR = "PAL Coordinator"
ASSISTER = "Assister"
ADMIN = "Admin"

ALL_ROLES = [
    CSR,
    SUPERVISOR,
    QC_LEAD,
    STATE_MONITOR,
    PAL_REPRESENTATIVE,
    PAL_COORDINATOR,
    ASSISTER,
    ADMIN,
]


def role_names(user) -> frozenset[str]:
    """The user's role names, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        if user.is_superuser:
            cached = cached | {ADMIN}
        user._role_names = cached
    return cached


def has_role(user, *roles: str) -> bool:
    return bool(role_names(user) & set(roles))


def is_admin(user) -> bool:
    return has_role(user, ADMIN)


def grant_permissions(app_label: str, role_permissions: dict[str, list[str]]):
    """Build a RunPython function granting `app_label`'s permissions (codenames) to roles.

    Permissions are normally created after migrations run; creating them here first lets a
    data migration hand them out on a fresh database.
    """

    def forwards(apps, schema_editor):
        from django.contrib.auth.management import create_permissions

        app_config = apps.get_app_config(app_label)
        app_config.models_module = (
            True  # migration app stubs have none; create_permissions needs it
        )
        create_permissions(app_config, verbosity=0, apps=apps)
        Group = apps.get_model("auth", "Group")
        Permission = apps.get_model("auth", "Permission")
        for role, codenames in role_permissions.items():
            group, _ = Group.objects.get_or_create(name=role)
            perms = Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
            missing = set(codenames) - set(perms.values_list("codename", flat=True))
            if missing:
                raise RuntimeError(f"Unknown {app_label} permissions for {role}: {missing}")
            group.permissions.add(*perms)

    return forwards
