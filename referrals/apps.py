from django.apps import AppConfig
from django.db.models.signals import post_migrate


class ReferralsConfig(AppConfig):
    name = "referrals"
    verbose_name = "PAL referrals"

    def ready(self):
        from .counties import ensure_counties_after_migrate
        from .languages import ensure_languages_after_migrate

        post_migrate.connect(
            ensure_counties_after_migrate, sender=self, dispatch_uid="referrals.counties"
        )
        post_migrate.connect(
            ensure_languages_after_migrate, sender=self, dispatch_uid="referrals.languages"
        )
