from django.core.management.base import BaseCommand, CommandError

from tracker.rotation import Progress, rotate_everything


class Command(BaseCommand):
    help = (
        "Re-encrypt every SSN and kept upload file under the first key of FIELD_ENCRYPTION_KEYS "
        "and recompute the blind indexes (BLIND_INDEX_KEY), in batches. Safe to stop and run "
        "again: what is already done is skipped. When it finishes, older keys can be removed."
    )

    def add_arguments(self, parser):
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args, batch_size, **options):
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")

        def report(progress: Progress) -> None:
            self.stdout.write(
                f"{progress.label}: {progress.checked}/{progress.total} checked, "
                f"{progress.changed} re-encrypted or re-indexed"
            )

        results = rotate_everything(batch=batch_size, report=report)
        missing = sum(result.missing for result in results)
        for result in results:
            self.stdout.write(
                f"Done — {result.label}: {result.checked} checked, {result.changed} changed"
                + (f", {result.missing} file(s) missing" if result.missing else "")
            )
        if missing:
            self.stderr.write(
                f"{missing} kept file(s) named by an upload were not found on disk (see above)."
            )
        self.stdout.write(
            self.style.SUCCESS(
                "Everything is under the first key of FIELD_ENCRYPTION_KEYS: the other keys can "
                "be removed."
            )
        )
