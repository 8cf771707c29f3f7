"""Time the QC queue and the CSR list over N cases, and count their SQL queries (not run by CI).

    DATABASE_URL=... .venv/bin/python bench/work_lists.py 20000

Run `manage.py migrate` on that database first. Creates N escalated cases in a transaction that
is rolled back at the end, then requests each list page (first page, 25 and 100 rows, sorted by
age and filtered) through Django's test client and prints time and query count per request. The
query count must not depend on N or the page size.
"""

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth.models import Group  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from cases.models import Case, Mco, Participant  # noqa: E402
from cases.states import State  # noqa: E402
from tracker.models import Team, User  # noqa: E402
from tracker.roles import CSR, QC_LEAD  # noqa: E402


class Rollback(Exception):
    pass


def timed(client, url):
    with CaptureQueriesContext(connection) as queries:
        start = time.perf_counter()
        response = client.get(url)
        elapsed = time.perf_counter() - start
    assert response.status_code == 200, response.status_code
    return elapsed, len(queries)


def main(n: int) -> None:
    setup_test_environment()
    try:
        with transaction.atomic():
            qc = User.objects.create_user("bench.qc")
            qc.groups.add(Group.objects.get(name=QC_LEAD))
            team = Team.objects.create(name="Bench team")
            csr = User.objects.create_user("bench.csr", team=team)
            csr.groups.add(Group.objects.get(name=CSR))
            mco, _ = Mco.objects.get_or_create(name="Bench MCO")
            cases = Case.objects.bulk_create(
                Case(kind="mct_span", state=State.ESCALATED, csr=csr, team=team, target_mco=mco)
                for _ in range(n)
            )
            Participant.objects.bulk_create(
                Participant(case=c, name=f"P {i}", ma_number=f"{i:011d}", ssn="123456789")
                for i, c in enumerate(cases)
            )
            for user, path in [(qc, "/cases/qc/"), (csr, "/cases/mine/")]:
                client = Client()
                client.force_login(user)
                for query in ["", "?per_page=100", "?sort=-created_at&kind=mct_span&per_page=100"]:
                    elapsed, count = timed(client, path + query)
                    print(
                        f"{n} cases  {path + query:<50} {elapsed * 1000:7.0f} ms  {count} queries"
                    )
            raise Rollback
    except Rollback:
        pass


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5000)
