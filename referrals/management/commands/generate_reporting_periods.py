import argparse
from datetime import date

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from referrals.reporting import create_reporting_periods


def _day(text: str) -> date:
    # ArgumentTypeError, not CommandError: argparse turns it into a one-line usage error, where
    # a CommandError raised while parsing the arguments escapes as a traceback.
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"“{text}” is not a date; use YYYY-MM-DD.") from None


class Command(BaseCommand):
    help = (
        "Create the Preferred Assister Report calendar: a first period from --start to "
        "--first-end, then --count periods in all of --length days. Each report is sent 7 days "
        "after its period ends and due 7 days later. OE5: --start 2017-11-01 --first-end "
        "2017-11-15 --length 14 --count 5."
    )

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, type=_day, help="YYYY-MM-DD")
        parser.add_argument("--first-end", required=True, type=_day, help="YYYY-MM-DD")
        parser.add_argument(
            "--length", type=int, default=14, help="days in each period after the first"
        )
        parser.add_argument("--count", type=int, required=True, help="how many periods")

    def handle(self, *args, start, first_end, length, count, **options):
        try:
            created, existing = create_reporting_periods(
                start=start, first_end=first_end, length=length, count=count
            )
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        for period in created:
            self.stdout.write(
                f"{period}  send {period.send_on:%m/%d/%Y}  due {period.due_on:%m/%d/%Y}"
            )
        self.stdout.write(f"{len(created)} periods created, {existing} already there.")
