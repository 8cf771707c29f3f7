"""System checks run by every management command (runserver, migrate, check) at start-up."""

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security)
def encryption_keys_check(app_configs, **kwargs):
    """Say loudly when SSNs are being encrypted with the public development keys (DEBUG only:
    without keys and DEBUG off, settings refuse to load)."""
    if settings.ENCRYPTION_KEYS_FROM_ENVIRONMENT:
        return []
    return [
        checks.Warning(
            "SSNs and kept uploads are encrypted with the fixed DEVELOPMENT keys, which are "
            "public: do not put real consumers' data in this database.",
            hint=(
                "Set FIELD_ENCRYPTION_KEYS and BLIND_INDEX_KEY (generate each with: "
                f"{settings.GENERATE_KEY})."
            ),
            id="tracker.W001",
        )
    ]
