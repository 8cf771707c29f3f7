"""REMINDERS_OFF must name real kinds: a typo would otherwise leave a reminder on that someone
meant to turn off (or hide that one was never off). Fails `manage.py check` and every command,
`send_reminders` included."""

from django.conf import settings
from django.core import checks

from .kinds import Kind


@checks.register()
def check_reminders_off(app_configs, **kwargs):
    unknown = [name for name in settings.REMINDERS_OFF if name not in Kind.values]
    if not unknown:
        return []
    return [
        checks.Error(
            f"REMINDERS_OFF names unknown reminder kinds: {', '.join(unknown)}.",
            hint=f"Known kinds: {', '.join(Kind.values)}.",
            id="reminders.E001",
        )
    ]
