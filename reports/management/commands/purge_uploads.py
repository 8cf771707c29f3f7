from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from reports.export_jobs import KEEP, purge_expired_exports
from reports.uploads import purge_upload_files


class Command(BaseCommand):
    help = (
        "Delete kept upload files older than UPLOAD_RETENTION_DAYS (and files no upload names); "
        "each upload's record and outcome stay; and background export files older than 24 hours. "
        "Run it at least daily (cron; hourly keeps exports closer to 24 hours); safe to run at "
        "any time."
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
        exports = purge_expired_exports()
        self.stdout.write(
            f"Deleted {purged.files} kept upload file(s) older than {days} days (their records "
            f"are kept) and {purged.orphans} orphaned file(s); {exports} export file(s) older "
            f"than {KEEP.total_seconds() / 3600:.0f} hours."
        )
