"""Rows for the export benchmarks, made with bulk_create (the state set by the constructor, as
STYLE.md allows for test data). Callers wrap them in a transaction and raise Rollback."""

import ctypes
import gc
import resource
from itertools import cycle
from pathlib import Path

from cases.models import Case, ForCauseReason, Kind, Mco, Participant
from tracker.models import Team, User

BATCH = 2000
SSNS = ("123456789", "234567890", "345678901")


class Rollback(Exception):
    pass


def seed_cases(n: int, *, state: str) -> int:
    """N cases in `state` spread over the kinds, with 1–3 participants each (1.67 on average,
    like the issue's million-case database). Returns the number of participants."""
    team, _ = Team.objects.get_or_create(name="Bench team")
    csrs = [
        User.objects.create_user(f"bench.csr{i}", first_name="Bench", last_name=f"CSR {i}")
        for i in range(5)
    ]
    mcos = [Mco.objects.get_or_create(name=f"Bench MCO {i}")[0] for i in range(3)]
    kinds = cycle([Kind.MCT_SPAN, Kind.FOR_CAUSE, Kind.INCORRECT_SELECTION])
    people = 0
    # In batches, so the benchmark's peak memory is the export's, not the seeding's.
    for first in range(0, n, BATCH):
        cases = Case.objects.bulk_create(
            Case(
                kind=(kind := next(kinds)),
                state=state,
                csr=csrs[i % 5],
                team=team,
                target_mco=mcos[i % 3],
                for_cause_reason=ForCauseReason.choices[0][0] if kind == Kind.FOR_CAUSE else "",
            )
            for i in range(first, min(n, first + BATCH))
        )
        batch = [
            Participant(
                case=case,
                name=f"Participant {first + i}-{j}",
                ma_number=f"{first + i:09d}{j:02d}",
                ssn=SSNS[j],
            )
            for i, case in enumerate(cases)
            for j in range((0, 1, 0, 2, 0, 1)[i % 6] + 1)
        ]
        Participant.objects.bulk_create(batch)
        people += len(batch)
    return people


def decryption_seconds(count: int) -> float:
    """What decrypting `count` SSNs costs alone (crypto.text_decrypter, as the export does):
    the part of building hand-off rows that no query shape can remove."""
    import time

    from tracker import crypto

    tokens = [crypto.encrypt_text("123456789") for _ in range(count)]
    decrypt = crypto.text_decrypter()  # what the export uses
    start = time.process_time()  # CPU time: comparable however busy the machine is
    for token in tokens:
        decrypt(token)
    return time.process_time() - start


def background_export(user, n: int, kind: str) -> float:
    """Time the background path (reports/export_jobs.py): the same rows and writer, plus the
    progress updates and the file encrypted into MEDIA_ROOT, as the worker runs it. Returns its
    peak memory (MB)."""
    import time

    from reports.export_jobs import run_export
    from reports.models import ExportJob

    job = ExportJob.objects.create(
        user=user, kind=getattr(ExportJob.Kind, kind), row_count=n, full_identifiers=False
    )
    held = reset_peak()
    start, cpu = time.perf_counter(), time.process_time()
    status = run_export(job.pk)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    peak = peak_mb()  # before the size below, which reads the whole file back to decrypt it
    job.refresh_from_db()
    print(
        f"background export ({status}): {job.progress} rows in {elapsed:.1f}s "
        f"({job.progress / elapsed:,.0f} rows/s; CPU {cpu:.1f}s, {job.progress / cpu:,.0f} rows "
        f"per CPU second), {job.file.size / 1e6:.1f} MB clear, encrypted on disk; "
        f"peak memory {peak:.0f} MB ({held:.0f} MB held before it)"
    )
    job.file.delete(save=False)
    return peak


def peak_mb() -> float:
    """The process's peak resident memory since the last `reset_peak` (or since it started)."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024  # kB
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def reset_peak() -> float:
    """Start measuring the peak afresh, from what the process holds now, and return that (MB).

    The export's peak is the figure issue 12 bounds, not the seeding's: seeding 100,000 cases in
    the same process leaves freed memory the allocator keeps, so first hand it back to the
    system (gc, then glibc's malloc_trim), then reset the kernel's high-water mark (writing 5 to
    /proc/self/clear_refs, Linux 4.0+). Elsewhere the peak stays the whole run's."""
    gc.collect()
    try:
        ctypes.CDLL("libc.so.6").malloc_trim(0)
    except (OSError, AttributeError):
        pass
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass
    return peak_mb()


def summarise(title, n, *, rate, built_rate, peak, spec, build_rows, **writer_options) -> None:
    """Print an export's floor — the sheet writer alone on the same rows, built beforehand — and
    record its figures against issue 12's targets (bench/summary.py). Call it after reading the
    peak memory: the rows built beforehand are all in memory at once."""
    from bench.summary import record

    floor = bare_writer(spec, list(build_rows()), **writer_options)
    print(f"bare writer on the same {n:,} rows, built beforehand: {floor:,.0f} rows/s")
    record(
        f"{title}, {n:,} rows: export end to end",
        rate,
        "rows/s",
        target=8000,
        floor=floor,
        higher_is_better=True,
    )
    record(f"{title}: rows built", built_rate, "rows/s", target=50000, higher_is_better=True)
    record(f"{title}: peak process memory", peak, "MB", target=150)


def bare_writer(spec, rows: list, **options) -> float:
    """Rows a second of the sheet writer alone on rows already built (the exports' floor): the
    same spec and rows, written to a temporary file."""
    import tempfile
    import time

    from reports.sheets.writer import write_sheet

    with tempfile.TemporaryFile(suffix=".xlsx") as out:
        start = time.perf_counter()
        write_sheet(spec, rows, out, **options)
        return len(rows) / (time.perf_counter() - start)
