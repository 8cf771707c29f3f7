from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Exchange Tracker"

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
        from .heartbeat import ensure_after_migrate
        from .mfa import checks as mfa_checks  # noqa: F401  (the MFA_REQUIRED_ROLES check)
        from .roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="tracker.sync_roles")
        post_migrate.connect(
            ensure_after_migrate, sender=self, dispatch_uid="tracker.worker_heartbeat"
        )
