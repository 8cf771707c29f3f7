"""Time the QC report export over N cases waiting for QC (not run by CI).

    DATABASE_URL=... .venv/bin/python bench/qc_report_export.py 20000

Run `manage.py migrate` on that database first. Creates N escalated cases (1–3 participants
each, bulk_create) inside a transaction that is rolled back at the end, then times
  1. the rows built alone (query + values, masked SSNs from their last four: nothing decrypted),
  2. the real export (query + rows + XLSX written to a temporary file),
  3. the background export as the worker runs it (+ progress updates, the file encrypted),
and reports each export's peak process memory (the high-water mark from just before it, the
seeding's freed memory handed back first: bench/seed_rows.reset_peak).
"""

import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

# DEBUG keeps the last 9,000 queries' SQL (bulk inserts included): not the export's memory.
settings.DEBUG = False
# The background export saves its (encrypted) file here; removed at the end.
settings.MEDIA_ROOT = Path(tempfile.mkdtemp(prefix="bench-exports-"))

from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402

from bench.seed_rows import (  # noqa: E402
    Rollback,
    background_export,
    peak_mb,
    reset_peak,
    seed_cases,
    summarise,
)
from cases.queues import qc_queue  # noqa: E402
from cases.states import State  # noqa: E402
from reports import qc_report  # noqa: E402
from tracker.models import User  # noqa: E402
from tracker.roles import QC_LEAD  # noqa: E402


def main(n: int) -> None:
    try:
        with transaction.atomic():
            lead = User.objects.create_user("bench.qclead")
            lead.groups.add(Group.objects.get(name=QC_LEAD))
            start = time.perf_counter()
            participants = seed_cases(n, state=State.ESCALATED)
            print(
                f"created {n} cases, {participants} participants "
                f"in {time.perf_counter() - start:.1f}s; memory after seeding {peak_mb():.0f} MB"
            )

            start, cpu = time.perf_counter(), time.process_time()
            built = qc_report.count_built_rows(lead, qc_queue(lead))
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            built_rate = built / elapsed
            print(
                f"rows built: {built} in {elapsed:.1f}s ({built / elapsed:,.0f} rows/s); "
                f"CPU {cpu:.1f}s ({built / cpu:,.0f} rows per CPU second)"
            )
            # Masked SSNs come from the clear last four digits: nothing is decrypted.
            # Before the synchronous export: closing its response ends the transaction.
            background_peak = background_export(lead, n, "QC_REPORT")
            held = reset_peak()
            start, cpu = time.perf_counter(), time.process_time()
            response = qc_report.export_qc_report(lead, qc_queue(lead))
            size = sum(len(chunk) for chunk in response.streaming_content)
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            print(
                f"exported {n} cases in {elapsed:.1f}s ({n / elapsed:,.0f} rows/s; "
                f"CPU {cpu:.1f}s, {n / cpu:,.0f} rows per CPU second), "
                f"{size / 1e6:.1f} MB file, peak memory {peak_mb():.0f} MB ({held:.0f} MB held "
                "before it)"
            )
            peak_rss = max(peak_mb(), background_peak)
            summarise(
                "QC report",
                n,
                rate=n / elapsed,
                built_rate=built_rate,
                peak=peak_rss,
                spec=qc_report.QC_REPORT_SPEC,
                build_rows=lambda: qc_report.qc_rows(qc_queue(lead), full_ssn=False),
            )
            response.close()
            raise Rollback
    except Rollback:
        pass
    finally:
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
