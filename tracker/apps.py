from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TrackerConfig(AppConfig):
    name = "tracker"
    verbose_name = "Exchange Tracker"

    def ready(self):
        from .mfa import checks  # noqa: F401  (registers the MFA_REQUIRED_ROLES check)
        from .roles import sync_roles_after_migrate

        post_migrate.connect(sync_roles_after_migrate, dispatch_uid="tracker.sync_roles")
