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


# role -> "app_label.codename" permissions it holds. The single source for every role's model
# permissions; object rules (own team, own organization) live in each app's permissions.py.
ROLE_PERMISSIONS: dict[str, list[str]] = {
    CSR: [
        "cases.add_case",
        "cases.view_case",
        "cases.add_participant",
        "cases.view_participant",
        "cases.view_mco",
        "cases.view_providertermination",
    ],
    SUPERVISOR: [
        "cases.view_case",
        "cases.view_participant",
        "cases.view_outreachattempt",
        "cases.record_outreach",
    ],
    QC_LEAD: [
        "cases.view_case",
        "cases.view_participant",
        "cases.view_outreachattempt",
        "cases.vet_case",
        "cases.export_qc_report",
    ],
    STATE_MONITOR: [
        "cases.view_case",
        "cases.view_participant",
        "cases.process_case",
        "cases.view_full_identifiers",
        "cases.exchange_handoff",
    ],
    PAL_REPRESENTATIVE: [
        "referrals.add_referral",
        "referrals.view_referral",
        "referrals.view_county",
        "referrals.view_assisterorganization",
        "referrals.add_unmetrequest",
    ],
    PAL_COORDINATOR: [
        "referrals.view_referral",
        "referrals.view_all_referrals",
        "referrals.manage_leads",
        "referrals.report_outcome",
        "referrals.view_county",
        "referrals.view_leaddelivery",
        "referrals.view_deliveryattempt",
        "referrals.add_assisterorganization",
        "referrals.change_assisterorganization",
        "referrals.view_assisterorganization",
        "referrals.view_organizationchange",
        "referrals.add_organizationrequest",
        "referrals.change_organizationrequest",
        "referrals.view_organizationrequest",
        "referrals.view_unmetrequest",
        "referrals.add_reportingperiod",
        "referrals.view_reportingperiod",
        "referrals.view_assisterreport",
        "referrals.change_assisterreport",
    ],
    ASSISTER: [
        "referrals.view_referral",
        "referrals.report_outcome",
        "referrals.view_assisterreport",
    ],
    ADMIN: [
        *(
            f"tracker.{verb}_{model}"
            for model in ["user", "team"]
            for verb in ["add", "change", "view", "delete"]
        ),
        "tracker.view_identifieraccess",
        *(
            f"cases.{verb}_{model}"
            for model in ["mco", "providertermination"]
            for verb in ["add", "change", "view", "delete"]
        ),
        "cases.add_case",
        "cases.view_case",
        "cases.change_case",
        "cases.view_participant",
        "cases.change_participant",
        "cases.view_outreachattempt",
        "cases.vet_case",
        "cases.process_case",
        "cases.record_outreach",
        "cases.view_full_identifiers",
        "cases.export_qc_report",
        "cases.exchange_handoff",
        "referrals.view_reportingperiod",
        "referrals.view_assisterreport",
        # What send_reminders recorded and sent (read only).
        "reminders.view_reminder",
        # Reset a lost second factor (delete the devices); never add one for someone else.
        "otp_totp.view_totpdevice",
        "otp_totp.delete_totpdevice",
        "otp_static.view_staticdevice",
        "otp_static.delete_staticdevice",
    ],
}


def sync_roles(app_label: str, *, apps, using: str = "default", strict: bool = True) -> None:
    """Create the role groups and grant them `app_label`'s permissions from ROLE_PERMISSIONS.

    Idempotent. Run by data migrations (with the migration's `apps`) and again after every
    migrate or flush (post_migrate), so a database never lacks a role's permissions. A data
    migration is not `strict`: models added by later migrations have no permissions yet.
    """
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for role, names in ROLE_PERMISSIONS.items():
        group, _ = Group.objects.using(using).get_or_create(name=role)
        codenames = [name.split(".", 1)[1] for name in names if name.startswith(f"{app_label}.")]
        if not codenames:
            continue
        perms = Permission.objects.using(using).filter(
            content_type__app_label=app_label, codename__in=codenames
        )
        missing = set(codenames) - set(perms.values_list("codename", flat=True))
        if missing and strict:
            raise RuntimeError(f"Unknown {app_label} permissions for {role}: {sorted(missing)}")
        group.permissions.add(*perms)


def grant_permissions(app_label: str):
    """A RunPython function for a data migration granting `app_label`'s role permissions.

    Permissions are normally created after migrations run; create them first so a data
    migration can hand them out on a fresh database.
    """

    def forwards(apps, schema_editor):
        from django.contrib.auth.management import create_permissions

        app_config = apps.get_app_config(app_label)
        app_config.models_module = (
            True  # migration app stubs have none; create_permissions needs it
        )
        create_permissions(app_config, verbosity=0, apps=apps, using=schema_editor.connection.alias)
        sync_roles(app_label, apps=apps, using=schema_editor.connection.alias, strict=False)

    return forwards


def sync_roles_after_migrate(sender, app_config=None, using="default", apps=None, **kwargs):
    """post_migrate: re-grant the app's role permissions (after a flush, or a new permission)."""
    if sender.label not in ROLE_APP_LABELS:
        return
    if apps is None:  # `flush` sends post_migrate without the migration state
        from django.apps import apps
    sync_roles(sender.label, apps=apps, using=using)


ROLE_APP_LABELS = {name.split(".", 1)[0] for names in ROLE_PERMISSIONS.values() for name in names}
