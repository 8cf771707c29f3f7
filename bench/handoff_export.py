"""Time the State Monitor hand-off export over N true tracker cases (not run by CI).

    DATABASE_URL=... .venv/bin/python bench/handoff_export.py 20000

Run `manage.py migrate` on that database first. Creates N cases directly in the database (state
set by the constructor, as STYLE.md allows for test data) inside a transaction that is rolled
back at the end, then times the rows built alone (query + values + SSN decryption, nothing
written) and the real export (query + XLSX written to a temporary file), and reports peak
process memory. Figures: docs/decisions/0008-sheet-writer.md.
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
    decryption_seconds,
    peak_mb,
    reset_peak,
    seed_cases,
    summarise,
)
from cases.states import State  # noqa: E402
from reports import handoff  # noqa: E402
from reports.handoff import export_handoff, handoff_cases  # noqa: E402
from tracker.models import User  # noqa: E402
from tracker.roles import STATE_MONITOR  # noqa: E402


def main(n: int) -> None:
    try:
        with transaction.atomic():
            monitor = User.objects.create_user("bench.monitor")
            monitor.groups.add(Group.objects.get(name=STATE_MONITOR))
            start = time.perf_counter()
            participants = seed_cases(n, state=State.TRUE_TRACKER)
            print(
                f"created {n} cases, {participants} participants "
                f"in {time.perf_counter() - start:.1f}s; memory after seeding {peak_mb():.0f} MB"
            )

            start, cpu = time.perf_counter(), time.process_time()
            built = handoff.count_built_rows(monitor, handoff_cases(monitor))
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            built_rate = built / elapsed
            print(
                f"rows built: {built} in {elapsed:.1f}s ({built / elapsed:,.0f} rows/s); "
                f"CPU {cpu:.1f}s ({built / cpu:,.0f} rows per CPU second)"
            )
            decrypting = decryption_seconds(participants)
            rest = max(cpu - decrypting, 1e-9)
            print(
                f"  of which decrypting {participants} SSNs alone: {decrypting:.1f}s "
                f"({decrypting / participants * 1e6:.0f} µs each); rows built without it: "
                f"{built / rest:,.0f} rows per CPU second"
            )

            # Before the synchronous export: closing its response ends the transaction.
            background_peak = background_export(monitor, n, "HANDOFF")
            held = reset_peak()
            start, cpu = time.perf_counter(), time.process_time()
            response = export_handoff(monitor, handoff_cases(monitor))
            size = sum(len(chunk) for chunk in response.streaming_content)
            elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
            peak_rss = max(peak_mb(), background_peak)
            print(
                f"exported {n} cases in {elapsed:.1f}s ({n / elapsed:,.0f} rows/s; "
                f"CPU {cpu:.1f}s, {n / cpu:,.0f} rows per CPU second), "
                f"{size / 1e6:.1f} MB file, peak memory {peak_mb():.0f} MB ({held:.0f} MB held "
                "before it)"
            )
            summarise(
                "State Monitor hand-off",
                n,
                rate=n / elapsed,
                built_rate=built_rate,
                peak=peak_rss,
                spec=handoff.HANDOFF_SPEC,
                build_rows=lambda: handoff.handoff_rows(handoff_cases(monitor)),
                instructions=handoff.INSTRUCTIONS,
            )
            response.close()
            raise Rollback
    except Rollback:
        pass
    finally:
        shutil.rmtree(settings.MEDIA_ROOT, ignore_errors=True)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
