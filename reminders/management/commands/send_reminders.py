from django.core.management.base import BaseCommand
from django.utils import timezone

from reminders.kinds import Kind, enabled_kinds
from reminders.services import reminders_send_due


class Command(BaseCommand):
    help = (
        "Queue today's PAL reminders and escalations for the task worker: contacts due today "
        "(to each organization), the overdue-contact digest (to PAL Coordinators), reports due "
        "in two business days and overdue, failed lead deliveries. Each is sent once however "
        "often this runs; kinds named in REMINDERS_OFF are skipped. Run it from cron."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--kind",
            action="append",
            choices=Kind.values,
            dest="kinds",
            help="Only this kind (repeatable), e.g. --kind delivery_failed every 15 minutes.",
        )

    def handle(self, *args, kinds=None, **options):
        off = sorted(set(kinds or Kind.values) - set(enabled_kinds()))
        counts = reminders_send_due(today=timezone.localdate(), kinds=kinds)
        for kind, count in counts.items():
            self.stdout.write(f"{kind}: {count} new")
        for kind in off:
            self.stdout.write(f"{kind}: off (REMINDERS_OFF)")
