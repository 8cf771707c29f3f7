"""Time the MCO tracker dashboard over a seeded database (issue 16; not run by CI): the default
period (last 4 weeks) and a whole year, for every team and for one supervisor's team, and the
year's XLSX export.

    DATABASE_URL=postgres://.../bench .venv/bin/python bench/mco_dashboard.py [--repeat 15]
        [--sql] [--explain] [--no-rollup]

Seed the database with `manage.py seed_scale` first. The closed days are rolled up first, as the
hourly `rollup_mco_dashboard` keeps them in production (the first time: a few minutes at a
million cases); `--no-rollup` times the page reading every day from the transition logs.
Measured as bench/scorecard.py measures (the same `measure`): each variant once to warm up and
capture its SQL, then `--repeat` times, through Django's test client, by the seeded QC Lead
(seed.qc1) or Supervisor (seed.sup01).
`--explain` prints EXPLAIN (ANALYZE, BUFFERS) of each variant's slowest query.
"""

import argparse
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from bench.scorecard import measure  # noqa: E402
from bench.summary import record  # noqa: E402
from cases.models import Case  # noqa: E402
from reports import mco_dashboard_views  # noqa: E402
from reports.mco_dashboard import roll_up, rolled_through  # noqa: E402
from tests.second_factor import Client  # noqa: E402
from tracker.models import User  # noqa: E402

QC_LEAD, SUPERVISOR = "seed.qc1", "seed.sup01"
PAGE, EXPORT = "/reports/mco/", "/reports/mco/export/"


def variants():
    today = timezone.localdate()
    year = f"?period=range&start={today - timedelta(days=365):%Y-%m-%d}&end={today:%Y-%m-%d}"
    return [
        (QC_LEAD, "dashboard, last 4 weeks, every team", PAGE),
        (QC_LEAD, "dashboard, a whole year, every team", PAGE + year),
        (SUPERVISOR, "dashboard, a whole year, one supervisor's team", PAGE + year),
        (QC_LEAD, "dashboard XLSX, a whole year, every team", EXPORT + year),
    ]


def explain(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}")
        return "\n".join(row[0] for row in cursor.fetchall())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--sql", action="store_true", help="print each slowest query")
    parser.add_argument("--explain", action="store_true", help="EXPLAIN ANALYZE each slowest")
    parser.add_argument(
        "--no-rollup", action="store_true", help="read every day from the logs (no rollup)"
    )
    args = parser.parse_args()
    setup_test_environment()
    users = {name: User.objects.filter(username=name).first() for name in (QC_LEAD, SUPERVISOR)}
    if None in users.values():
        sys.exit("No seeded QC Lead or Supervisor: seed with `manage.py seed_scale` first.")
    if args.no_rollup:
        mco_dashboard_views.with_rollup = lambda scope: scope  # the page's scope, as it was
        print("No rollup: every day is read from the transition logs.")
    else:
        started = time.perf_counter()
        days = roll_up()
        print(
            f"Rolled up {days} day(s) in {time.perf_counter() - started:,.1f} s; the rollup holds"
            f" the days through {rolled_through():%Y-%m-%d}."
        )
    print(f"{Case.objects.count():,} cases; {args.repeat} requests a variant\n")
    print("| page | median | p95 | CPU (Python) | queries | slowest query alone | ratio |")
    print("|---|---|---|---|---|---|---|")
    clients = {}
    try:
        for username, label, url in variants():
            if username not in clients:
                clients[username] = Client()
                clients[username].force_login(users[username])
            m = measure(clients[username], url, args.repeat)
            print(
                f"| {label} | {m['median'] * 1000:,.0f} ms | {m['p95'] * 1000:,.0f} ms | "
                f"{m['cpu'] * 1000:,.0f} ms | {m['queries']} | {m['alone'] * 1000:,.1f} ms | "
                f"{m['median'] / m['alone']:,.1f}× |",
                flush=True,
            )
            # Our target (issue 16: "fast at a million cases"): the year's page under a second.
            named = f"{label}, no rollup" if args.no_rollup else label
            record(f"{named}: p95", m["p95"] * 1000, "ms", target=1000, floor=m["alone"] * 1000)
            if args.sql:
                print(f"    {m['sql'][:3000]}")
            if args.explain:
                print(f"\n```\n{explain(m['sql'])}\n```\n", flush=True)
    finally:
        for client in clients.values():
            client.logout()
        TOTPDevice.objects.filter(name="Test authenticator", user__in=users.values()).delete()


if __name__ == "__main__":
    main()
