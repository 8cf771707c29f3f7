"""Time the assister performance scorecard over a seeded database (issue 12, part 3; not run
by CI): the whole season, one period, and the season's XLSX export.

    DATABASE_URL=postgres://.../bench .venv/bin/python bench/scorecard.py [--repeat 30] [--sql]

Seed the database with `manage.py seed_scale` first (200,000 referrals, 40 organizations, 55
periods at the defaults). Each variant is requested once to warm up and capture its SQL, then
`--repeat` times, by the seeded PAL Coordinator signed in with a verified second factor, through
Django's test client in this one process. Printed per variant: median and p95 wall time, the
median CPU time of this process (Python alone: the database server's work is not in it, so it
is the figure least disturbed by a busy machine), the query count, the slowest captured query
run again alone (median of 5, rows fetched) and the page's median over it. Nothing is changed
in the database except a test authenticator for the user, removed at the end.
"""

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.db import connection  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402
from django.utils import timezone  # noqa: E402
from django_otp.plugins.otp_totp.models import TOTPDevice  # noqa: E402

from bench.summary import record  # noqa: E402
from referrals.models import AssisterOrganization, Referral, ReportingPeriod  # noqa: E402
from reports.performance import default_period  # noqa: E402
from tests.second_factor import Client  # noqa: E402
from tracker.models import User  # noqa: E402

USER = "seed.coord1"


def variants():
    period = default_period(timezone.localdate())
    return [
        ("performance, whole season", "/reports/performance/?period=all"),
        (f"performance, one period ({period})", f"/reports/performance/?period={period.pk}"),
        ("scorecard XLSX, whole season", "/reports/performance/export/?period=all"),
    ]


def alone(sql, runs=5):
    """Median seconds of the query run by itself `runs` times, rows fetched."""
    times = []
    with connection.cursor() as cursor:
        for _ in range(runs):
            start = time.perf_counter()
            cursor.execute(sql)
            cursor.fetchall()
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    if response.streaming:
        b"".join(response.streaming_content)
    return response


def measure(client, url, repeat):
    with CaptureQueriesContext(connection) as captured:
        fetch(client, url)
    queries = captured.captured_queries  # read before the next request empties the log
    walls, cpus = [], []
    for _ in range(repeat):
        start, cpu = time.perf_counter(), time.process_time()
        fetch(client, url)
        walls.append(time.perf_counter() - start)
        cpus.append(time.process_time() - cpu)
    walls.sort()
    p95 = walls[min(len(walls) - 1, round(0.95 * (len(walls) - 1)))]
    slowest = max(queries, key=lambda q: float(q["time"]))
    return {
        "median": statistics.median(walls),
        "p95": p95,
        "cpu": statistics.median(cpus),
        "queries": len(queries),
        "alone": alone(slowest["sql"]),
        "sql": slowest["sql"],
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    parser.add_argument("--sql", action="store_true", help="print each dominant query")
    args = parser.parse_args()
    setup_test_environment()
    try:
        user = User.objects.get(username=USER)
    except User.DoesNotExist:
        sys.exit(f"No user {USER}: seed this database with `manage.py seed_scale` first.")
    print(
        f"{Referral.objects.count():,} referrals, {AssisterOrganization.objects.count()} "
        f"organizations, {ReportingPeriod.objects.count()} periods; "
        f"{args.repeat} requests a variant\n"
    )
    print("| page | median | p95 | CPU (Python) | queries | dominant query alone | ratio |")
    print("|---|---|---|---|---|---|---|")
    client = Client()
    client.force_login(user)
    try:
        for label, url in variants():
            m = measure(client, url, args.repeat)
            print(
                f"| {label} | {m['median'] * 1000:,.0f} ms | {m['p95'] * 1000:,.0f} ms | "
                f"{m['cpu'] * 1000:,.0f} ms | {m['queries']} | {m['alone'] * 1000:,.1f} ms | "
                f"{m['median'] / m['alone']:,.1f}× |",
                flush=True,
            )
            # Issue 12: the season's scorecard under 500 ms (the page; its sheet likewise).
            record(
                f"{label}: p95",
                m["p95"] * 1000,
                "ms",
                target=500,
                floor=m["alone"] * 1000,
            )
            if args.sql:
                print(f"    {m['sql'][:3000]}")
    finally:
        client.logout()
        TOTPDevice.objects.filter(name="Test authenticator", user=user).delete()


if __name__ == "__main__":
    main()
