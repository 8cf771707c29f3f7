"""Time the header search box over a seeded database (issue 13): median and p95 of 20 runs per
key and role, with the query count and the slowest query's plan root (not run by CI).

    DATABASE_URL=postgres://.../hs_search .venv/bin/python bench/search.py [--repeat 20]

Times `search.service.search` (every finder, the access-log row of an SSN search) and the whole
page through Django's test client. The keys are taken from the database itself: a seeded
participant's MA number and SSN, a case number, a referral's phone and email. An SSN search
writes an IdentifierAccess row per run (append-only): run it on a copy, never on `scale`.
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

from cases.models import Participant  # noqa: E402
from referrals.models import Referral  # noqa: E402
from search.service import search  # noqa: E402
from tests.second_factor import Client  # noqa: E402
from tracker.models import User  # noqa: E402


def seeded(username):
    try:
        return User.objects.get(username=username)
    except User.DoesNotExist:
        sys.exit(f"No user {username}: seed this database with `manage.py seed_scale` first.")


def timed(fn, repeat):
    fn()  # warm up
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000)
    runs.sort()
    return statistics.median(runs), runs[int(len(runs) * 0.95) - 1]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=20)
    args = parser.parse_args()
    setup_test_environment()
    qc, sup, coord = seeded("seed.qc1"), seeded("seed.sup01"), seeded("seed.coord1")
    csr = User.objects.filter(username__startswith="seed.csr").order_by("pk").first()
    person = Participant.objects.filter(case__csr=csr).order_by("-pk").first()
    referral = Referral.objects.order_by("-pk").first()
    # The seed writes no referral emails: an address nobody has still costs the index lookup.
    keys = [
        ("name, partial (ria lo)", "ria lo"),
        ("name, full (maria lopez)", "maria lopez"),
        # The seed has 90 names, each on ~2% of participants; a real name is far rarer. A name
        # nobody has shows the trigram index's own path.
        ("name, rare (zelda quist)", "zelda quist"),
        ("MA number", person.ma_number),
        ("SSN (full)", person.ssn_formatted),
        ("case number", f"MCO-{person.case_id:06d}"),
        ("referral name (rosa del)", "rosa del"),
        ("referral phone", referral.phone),
        ("referral email", referral.email.upper() or "Nobody@Example.org"),
    ]
    print(f"{'key':28} {'user':12} {'median ms':>9} {'p95 ms':>7} {'page ms':>8} {'queries':>7}")
    for label, q in keys:
        for user in (qc, sup, csr, coord):
            connection.queries_log.clear()  # a full log (9,000 queries) counts nothing new
            with CaptureQueriesContext(connection) as captured:
                search(user=user, q=q)
            median, p95 = timed(lambda: search(user=user, q=q), args.repeat)  # noqa: B023
            client = Client()
            client.force_login(user)
            page, _ = timed(lambda: client.get("/search/", {"q": q}), max(5, args.repeat // 4))  # noqa: B023
            name = user.username.removeprefix("seed.")
            print(f"{label:28} {name:12} {median:9.1f} {p95:7.1f} {page:8.1f} {len(captured):7d}")


if __name__ == "__main__":
    main()
