from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from reports.assister_send import send_due_reports


class Command(BaseCommand):
    help = (
        "Email each organization its Preferred Assister Report on the period's send date. Run it "
        "daily (cron); a report that could not be sent is tried again on the next run."
    )

    def handle(self, *args, **options):
        sent, problems = send_due_reports(timezone.localdate())
        self.stdout.write(f"{sent} Preferred Assister Reports sent.")
        if problems:
            raise CommandError("Not sent: " + " | ".join(problems))
