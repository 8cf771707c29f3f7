from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = "MCO Manual Tracker"

    def ready(self):
        from . import history  # noqa: F401  (connects the field-history signal receivers)
        from .sort_names import connect

        connect()  # keeps the cases' sort copies of names in step with renames
