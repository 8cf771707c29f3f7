from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from tracker.mfa.devices import authenticator_of, code_at
from tracker.models import User


class Command(BaseCommand):
    help = (
        "Print the current 6-digit code of a user's authenticator (for the demo: sign in as "
        "`monitor` without a phone). Refused unless DEBUG is on."
    )

    def add_arguments(self, parser):
        parser.add_argument("username")

    def handle(self, *args, username, **options):
        if not settings.DEBUG:
            # A code printer is a second factor for anyone with a shell: never in production.
            raise CommandError("totp_code is for the demo only; it refuses to run with DEBUG=0.")
        user = User.objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"No user {username!r}.")
        device = authenticator_of(user)
        if device is None:
            raise CommandError(f"{username} has no authenticator set up.")
        self.stdout.write(code_at(device))
