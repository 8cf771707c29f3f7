from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.test.utils import override_settings
from django.utils.module_loading import import_string

# Each app contributes its own demo data; each loader is idempotent.
LOADERS = [
    "tracker.demo.load",
    "cases.demo.load",
    "referrals.demo.load",
    "reports.demo.load",
    "tracker.mfa.demo.load",  # last, so how to sign in with a code ends the output
]


class Command(BaseCommand):
    help = "Load idempotent demo data: a user per role, teams, MCOs and cases in every state."

    # Demo data must not mail anyone.
    @override_settings(EMAIL_BACKEND="django.core.mail.backends.dummy.EmailBackend")
    @transaction.atomic
    def handle(self, *args, **options):
        # The demo users share the password the README publishes, and `admin` is a superuser.
        if not settings.DEBUG:
            raise CommandError(
                "Refusing to load demo data with DEBUG=0: its users (a superuser among them) share "
                "the password published in the README. Demo data is for development machines only."
            )
        users = None
        for path in LOADERS:
            loader = import_string(path)
            result = loader(self.stdout) if users is None else loader(self.stdout, users=users)
            if users is None:
                users = result
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
