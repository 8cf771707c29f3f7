"""Run every benchmark of issue 12 in one go and print their tables one after the other (not run
by CI): the list pages and the scorecard over a seeded database, then the exports and the
imports, which create their own rows in a scratch database and roll them back.

    .venv/bin/python bench/all.py SEEDED_URL SCRATCH_URL [--repeat 15]

SEEDED_URL is a PostgreSQL database filled by `manage.py seed_scale` (a million cases for the
issue's figures); SCRATCH_URL an empty, migrated one. Each figure is printed beside its floor
(the dominant query run alone; the bare sheet writer or reader on the same rows) and the ratio,
and at the end every figure measured against a target comes again in one table
(bench/summary.py) with whether the target was met. The benches run one at a time, in
separate processes, so that one's memory and caches do not flatter or burden the next.
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from bench import summary  # noqa: E402


def steps(repeat: int) -> list[tuple[str, str, list[str]]]:
    """(title, which database, script and arguments)."""
    return [
        (
            "List pages (every sort, filter, deep page)",
            "seeded",
            ["lists.py", f"--repeat={repeat}", "--gc-freeze"],
        ),
        ("Assister performance scorecard", "seeded", ["scorecard.py", f"--repeat={repeat}"]),
        ("MCO tracker dashboard", "seeded", ["mco_dashboard.py", f"--repeat={repeat}"]),
        ("QC report export, 100,000 rows", "scratch", ["qc_report_export.py", "100000"]),
        ("State Monitor hand-off export, 100,000 rows", "scratch", ["handoff_export.py", "100000"]),
        ("Imports, 10,000 rows each", "scratch", ["imports.py", "10000"]),
    ]


def compact(url: str) -> None:
    """The scratch benches insert their rows and roll them back: the dead rows of every earlier
    run would make each run slower than the last (the same QC report export built 24,900 rows a
    second on a scratch database holding a day of dead rows, 29,900 once it was compacted)."""
    import psycopg

    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM (FULL, ANALYZE)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("seeded", help="DATABASE_URL of a database seeded by seed_scale")
    parser.add_argument("scratch", help="DATABASE_URL of an empty, migrated database")
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    failed = []
    with tempfile.NamedTemporaryFile(prefix="bench-summary-", suffix=".jsonl") as figures:
        for title, which, command in steps(args.repeat):
            url = args.seeded if which == "seeded" else args.scratch
            print(f"\n## {title}\n", flush=True)
            if which == "scratch":
                compact(url)
            started = time.monotonic()
            env = {**os.environ, "DATABASE_URL": url, "BENCH_SUMMARY": figures.name}
            done = subprocess.run([sys.executable, str(HERE / command[0]), *command[1:]], env=env)
            if done.returncode:
                failed.append(title)
            print(f"\n({time.monotonic() - started:,.0f} s)", flush=True)
        # Every figure measured against a target, in one table (issue 12, part 6).
        print("\n## Every figure beside its floor and target\n")
        print(summary.table(summary.read(figures.name)), flush=True)
    if failed:
        sys.exit(f"Failed: {', '.join(failed)}")


if __name__ == "__main__":
    main()
