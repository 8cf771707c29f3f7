"""Time the two imports over N filled rows (not run by CI): the State Monitor hand-off and the
Preferred Assister Report (issue 12, part 5: upload + preview < 3 s, confirm < 5 s).

    DATABASE_URL=... .venv/bin/python bench/imports.py 10000

Run `manage.py migrate` on that database first. Everything is created inside a transaction that
is rolled back at the end: N true tracker cases (bench/seed_rows.py) and N sent referrals of one
organization and period, then each sheet filled in (half the hand-off rows Y, half N; every PAR
row answered) and written the way the app writes sheets. For each import it prints:

- the bare reader on the same file (guard, open, every row read and checked cell by cell, no
  query), with python-calamine (what the app uses) and with openpyxl read-only (the floor the
  ratio is taken against is the calamine one);
- upload + preview (receive_*: keep the file, read it, look rows up, store the preview) and the
  preview page's first page rendered (the upload's detail view);
- confirm (confirm_*: re-read under row locks, apply every row, history and transition logs);

with the number of queries each ran and the ratio to the bare reader.
"""

import io
import os
import sys
import time
from dataclasses import replace
from datetime import datetime, timedelta
from itertools import cycle
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tracker.settings")

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402

from bench.summary import record  # noqa: E402

settings.DEBUG = False
# The bench writes N rows; the row limit is the exports helper's to change (issue 12, part 4).
settings.SHEET_MAX_ROWS = max(settings.SHEET_MAX_ROWS, int(sys.argv[1]) if sys.argv[1:] else 0)
settings.UPLOAD_MAX_BYTES = max(settings.UPLOAD_MAX_BYTES, 64 * 1024 * 1024)

from django.contrib.auth.models import Group  # noqa: E402
from django.core.files.uploadedfile import SimpleUploadedFile  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import RequestFactory  # noqa: E402
from django.utils import timezone  # noqa: E402

from bench.seed_rows import Rollback, seed_cases  # noqa: E402
from cases.models import Case  # noqa: E402
from cases.states import State as CaseState  # noqa: E402
from referrals.models import AssisterOrganization, AssisterReport, County, Referral  # noqa: E402
from referrals.reporting import create_reporting_periods  # noqa: E402
from referrals.states import Resolution  # noqa: E402
from referrals.states import State as ReferralState  # noqa: E402
from reports import assister_views, views  # noqa: E402
from reports.assister_import import confirm_report, receive_report  # noqa: E402
from reports.assister_report import ABOUT_REPORT, PAR_SPEC, report_leads  # noqa: E402
from reports.handoff import HANDOFF_SPEC, handoff_cases, handoff_rows  # noqa: E402
from reports.handoff_import import confirm_handoff, receive_handoff  # noqa: E402
from reports.models import Upload  # noqa: E402
from reports.sheets import books, open_sheet, write_sheet  # noqa: E402
from tracker.models import User  # noqa: E402
from tracker.roles import PAL_COORDINATOR, STATE_MONITOR  # noqa: E402

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def filled(spec, answers: dict):
    """`spec` with its editable columns answered by `answers[key](row)`: same report id and
    version, so the file is the one a user would send back."""
    return replace(
        spec,
        columns=tuple(
            replace(column, accessor=answers[column.key]) if column.key in answers else column
            for column in spec.columns
        ),
    )


def measure(label: str, func):
    queries = []

    def count(execute, sql, params, many, context):
        queries.append(1)  # a counter, not Django's query log (capped at 9,000)
        return execute(sql, params, many, context)

    # BENCH_PROFILE=confirm (a step's label) prints pyinstrument's profile of that step.
    profiler = None
    if os.environ.get("BENCH_PROFILE") == label:
        from pyinstrument import Profiler

        profiler = Profiler()
        profiler.start()
    with connection.execute_wrapper(count):
        start, cpu = time.perf_counter(), time.process_time()
        result = func()
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
    if profiler is not None:
        profiler.stop()
        print(profiler.output_text(color=False, show_all=False))
    print(f"  {label:<34} {wall:6.2f} s  (CPU {cpu:5.2f} s)  {len(queries):>6,} queries")
    return result, wall


def bare_read(spec, data: bytes) -> float:
    """The reader alone (guard, open, every row read and checked), with the library the app
    uses for plain files (python-calamine), then with openpyxl read-only for comparison."""

    def read():
        count = 0
        with open_sheet(spec, io.BytesIO(data)) as sheet:
            for _ in sheet.rows():
                count += 1
        return count

    rows, wall = measure("bare reader (calamine, used)", read)
    books.READER = "openpyxl"
    try:
        measure("bare reader (openpyxl read-only)", read)
    finally:
        books.READER = "calamine"
    print(f"  {'':<34} {rows:,} rows read")
    return wall


def page(view, user, pk) -> int:
    request = RequestFactory().get("/")
    request.user = user
    request.session = {}
    request._messages = []
    response = view(request, pk)
    assert response.status_code == 200, response.status_code
    return len(response.content)


def bench_handoff(n: int) -> None:
    print(f"State Monitor hand-off, {n:,} rows (half Y, half N)")
    monitor = User.objects.create_user("bench.monitor")
    monitor.groups.add(Group.objects.get(name=STATE_MONITOR))
    # The sheet holds the N seeded cases only: the database's own true tracker cases (39,000 of
    # the million-case copy) would make it a sheet of N + 39,000 rows.
    last = Case.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    seed_cases(n, state=CaseState.TRUE_TRACKER)
    today = timezone.localdate()
    numbers = cycle([True, False])

    def processed(row):
        row["yes"] = next(numbers)
        return "Y" if row["yes"] else "N"

    spec = filled(
        HANDOFF_SPEC,
        {
            "processed": processed,
            "mmis_date": lambda row: today if row["yes"] else None,
            "mmis_reference": lambda row: f"R{row['case']}" if row["yes"] else "",
            "reason": lambda row: "" if row["yes"] else "Consumer not found in MMIS",
        },
    )
    out = io.BytesIO()
    write_sheet(spec, handoff_rows(handoff_cases(monitor).filter(pk__gt=last)), out)
    data = out.getvalue()
    print(f"  file: {len(data) / 1e6:.1f} MB")
    floor = bare_read(HANDOFF_SPEC, data)
    file = SimpleUploadedFile("handoff.xlsx", data, content_type=XLSX)
    upload, receive = measure(
        "upload + preview", lambda: receive_handoff(uploaded_file=file, by=monitor)
    )
    assert upload.status == Upload.Status.PREVIEWED, upload.errors[:5]
    upload = Upload.objects.get(pk=upload.pk)
    size, shown = measure("preview page", lambda: page(views.upload_detail, monitor, upload.pk))
    upload, confirm = measure("confirm", lambda: confirm_handoff(upload=upload, by=monitor))
    assert upload.status == Upload.Status.APPLIED, upload.errors[:5]
    print(
        f"  => upload+preview+page {receive + shown:.2f} s ({(receive + shown) / floor:.1f}× the "
        f"bare reader), confirm {confirm:.2f} s ({confirm / floor:.1f}×); "
        f"{upload.processed_count:,} processed, {upload.returned_count:,} returned"
    )
    summarise(f"Hand-off import, {n:,} rows", receive + shown, confirm, floor)


def seed_referrals(n: int, organization, report_period, rep) -> None:
    county = County.objects.get(name="Hennepin")
    start = timezone.make_aware(datetime.combine(report_period.start, datetime.min.time()))
    for first in range(0, n, 2000):
        Referral.objects.bulk_create(
            Referral(
                state=ReferralState.SENT,
                created_by=rep,
                consumer_name=f"Consumer {i}",
                phone="612-555-0142",
                county=county,
                has_active_account=True,
                has_active_application=True,
                determination_ma=True,
                reason_for_help="Needs help renewing",
                guidance_given="Referred to a navigator",
                consent=True,
                assister_type="navigator",
                type_reason="Public program determination",
                organization=organization,
                sent_at=start + timedelta(hours=9, seconds=i),
                contact_due_on=report_period.end,
            )
            for i in range(first, min(n, first + 2000))
        )


def bench_par(n: int) -> None:
    print(f"Preferred Assister Report, {n:,} rows (every row answered)")
    coordinator = User.objects.create_user("bench.coordinator")
    coordinator.groups.add(Group.objects.get(name=PAL_COORDINATOR))
    organization = AssisterOrganization.objects.create(
        name="Bench Navigators", kind="navigator", lead_email="leads@bench.example.org"
    )
    periods, _ = create_reporting_periods(
        start=timezone.localdate() - timedelta(days=400),
        first_end=timezone.localdate() - timedelta(days=386),
        length=14,
        count=1,
    )
    period = periods[0]
    seed_referrals(n, organization, period, coordinator)
    report = AssisterReport.objects.create(
        organization=organization, period=period, status=AssisterReport.Status.SENT
    )
    answers = cycle(
        [
            ("Y", period.end, Resolution.ENROLLED_QHP.label),
            ("N", None, Resolution.UNABLE_TO_CONTACT.label),
        ]
    )

    def contact_made(referral):
        referral.bench_answer = next(answers)
        return referral.bench_answer[0]

    spec = filled(
        PAR_SPEC,
        {
            "contact_made": contact_made,
            "contact_date": lambda r: r.bench_answer[1],
            "resolution": lambda r: r.bench_answer[2],
            "comments": lambda r: "Called twice",
        },
    )
    out = io.BytesIO()
    write_sheet(
        spec, report_leads(report).iterator(chunk_size=2000), out, about={ABOUT_REPORT: report.pk}
    )
    data = out.getvalue()
    print(f"  file: {len(data) / 1e6:.1f} MB")
    floor = bare_read(PAR_SPEC, data)
    file = SimpleUploadedFile("par.xlsx", data, content_type=XLSX)
    upload, receive = measure(
        "upload + preview",
        lambda: receive_report(report=report, uploaded_file=file, by=coordinator),
    )
    assert upload.status == Upload.Status.PREVIEWED, upload.errors[:5]
    upload = Upload.objects.get(pk=upload.pk)
    size, shown = measure(
        "preview page", lambda: page(assister_views.upload_detail, coordinator, upload.pk)
    )
    upload, confirm = measure("confirm", lambda: confirm_report(upload=upload, by=coordinator))
    assert upload.status == Upload.Status.APPLIED, upload.errors[:5]
    recorded = Referral.objects.filter(
        organization=organization,
        state__in=[ReferralState.IN_PROGRESS, ReferralState.COMPLETED],
    )
    print(
        f"  => upload+preview+page {receive + shown:.2f} s ({(receive + shown) / floor:.1f}× the "
        f"bare reader), confirm {confirm:.2f} s ({confirm / floor:.1f}×); "
        f"{recorded.count():,} outcomes recorded"
    )
    summarise(f"Preferred Assister Report import, {n:,} rows", receive + shown, confirm, floor)


def summarise(title: str, preview: float, confirm: float, floor: float) -> None:
    """Issue 12's targets (bench/summary.py): upload and preview < 3 s, confirm < 5 s, each
    beside the bare reader on the same file."""
    record(f"{title}: upload + preview", preview, "s", target=3, floor=floor)
    record(f"{title}: confirm", confirm, "s", target=5, floor=floor)


def main(n: int, which: str) -> None:
    for name, bench in (("handoff", bench_handoff), ("par", bench_par)):
        if which not in ("all", name):
            continue
        try:
            with transaction.atomic():
                bench(n)
                raise Rollback
        except Rollback:
            pass


if __name__ == "__main__":
    main(int(sys.argv[1]) if sys.argv[1:] else 10_000, sys.argv[2] if sys.argv[2:] else "all")
