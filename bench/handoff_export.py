"""Time the State Monitor hand-off export over N true tracker cases (not run by CI).

    DATABASE_URL=... .venv/bin/python bench/handoff_export.py 20000

Run `manage.py migrate` on that database first. Creates N cases directly in the database (state
set by the constructor, as STYLE.md allows for test data) inside a transaction that is rolled
back at the end, then times the real export (query + XLSX written to a temporary file) and
reports peak process memory.

Measured here (SQLite, shared CPU): 30,000 cases in ~25 s, peak process memory ~130 MB. Most of
the time is openpyxl serialising XML in pure Python (et_xmlfile); installing lxml would speed
it up if that ever matters.
"""

import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import transaction  # noqa: E402

from cases.models import Case, Mco, Participant  # noqa: E402
from cases.states import State  # noqa: E402
from reports.handoff import export_handoff, handoff_cases  # noqa: E402
from tracker.models import User  # noqa: E402
from tracker.roles import STATE_MONITOR  # noqa: E402


class Rollback(Exception):
    pass


def main(n: int) -> None:
    try:
        with transaction.atomic():
            monitor = User.objects.create_user("bench.monitor")
            monitor.groups.add(Group.objects.get(name=STATE_MONITOR))
            csr = User.objects.create_user("bench.csr")
            mco, _ = Mco.objects.get_or_create(name="Bench MCO")
            start = time.perf_counter()
            cases = Case.objects.bulk_create(
                Case(kind="mct_span", state=State.TRUE_TRACKER, csr=csr, target_mco=mco)
                for _ in range(n)
            )
            Participant.objects.bulk_create(
                Participant(
                    case=case, name=f"Participant {i}", ma_number=f"{i:011d}", ssn="123456789"
                )
                for i, case in enumerate(cases)
            )
            print(f"created {n} cases in {time.perf_counter() - start:.1f}s")

            start = time.perf_counter()
            response = export_handoff(monitor, handoff_cases(monitor))
            elapsed = time.perf_counter() - start
            size = sum(len(chunk) for chunk in response.streaming_content)
            response.close()
            peak_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
            print(
                f"exported {n} cases in {elapsed:.1f}s ({n / elapsed:,.0f} rows/s), "
                f"{size / 1e6:.1f} MB file, peak process memory {peak_rss:.0f} MB"
            )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
