from datetime import timedelta

from django.core.management.base import BaseCommand

from referrals.delivery import SWEEP_MIN_AGE, sweep
from tracker import heartbeat


class Command(BaseCommand):
    help = (
        "Enqueue every lead that is not sent yet and nobody is working on (never picked up, due "
        "for a retry, or left by a worker that stopped), and the worker's heartbeat if it has "
        "none waiting. Run it every few minutes (cron)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--min-age-seconds",
            type=int,
            default=int(SWEEP_MIN_AGE.total_seconds()),
            help="Leave deliveries younger than this to the task enqueued when they were created.",
        )

    def handle(self, *args, min_age_seconds, **options):
        count = sweep(min_age=timedelta(seconds=min_age_seconds))
        self.stdout.write(f"{count} lead deliveries enqueued.")
        # The same "restart what was lost" for the worker's heartbeat chain (/readyz).
        if heartbeat.ensure():
            self.stdout.write("Worker heartbeat enqueued.")
