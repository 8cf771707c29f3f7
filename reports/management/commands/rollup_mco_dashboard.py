from django.core.management.base import BaseCommand

from reports.mco_dashboard import roll_up, rolled_through


class Command(BaseCommand):
    help = (
        "Roll up the MCO dashboard's closed days (stays, QC verdicts, State Monitor decisions, "
        "weekly flow) so that long periods read them instead of every transition log. Run it "
        "daily after midnight (hourly does no harm: a run with nothing to do ends at once); "
        "the first run rolls up every day since the first case. Safe to stop and run again."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild",
            action="store_true",
            help="Forget the rollup and roll every day up again (after restoring data).",
        )

    def handle(self, *args, rebuild=False, verbosity=1, **options):
        def progress(day):
            # A first run rolls up years: a line a month says it is getting on.
            if verbosity > 1 or day.day == 1:
                self.stdout.write(f"  rolled up {day:%Y-%m-%d}")

        days = roll_up(rebuild=rebuild, progress=progress)
        through = rolled_through()
        self.stdout.write(
            "Nothing to roll up: no case has been logged yet."
            if through is None
            else f"Rolled up {days} day(s); the MCO dashboard reads the days through "
            f"{through:%Y-%m-%d} from the rollup, the later ones from the logs."
        )
