from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.uploads import purge_upload_files


class Command(BaseCommand):
    help = (
        "Delete kept upload files older than UPLOAD_RETENTION_DAYS (and files no upload names); "
        "each upload's record and outcome stay. Run it daily (cron); safe to run at any time."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help="Keep files this many days (default: UPLOAD_RETENTION_DAYS).",
        )

    def handle(self, *args, days=None, **options):
        days = settings.UPLOAD_RETENTION_DAYS if days is None else days
        if days < 0:
            raise CommandError("--days cannot be negative.")
        purged = purge_upload_files(days=days)
        self.stdout.write(
            f"Deleted {purged.files} kept upload file(s) older than {days} days (their records "
            f"are kept) and {purged.orphans} orphaned file(s)."
        )
