from django.apps import AppConfig


class RemindersConfig(AppConfig):
    name = "reminders"
    verbose_name = "PAL reminders and escalations"

    def ready(self):
        from . import checks  # noqa: F401 — registers the REMINDERS_OFF check
