"""Exports past SYNC_MAX_ROWS rows are written in the background (issue 12): the person who
asked follows a progress page to a download link; the file is encrypted at rest, theirs alone,
and gone after 24 hours. Small exports stay instant. The tests shrink the limit to a few rows;
the immediate task backend runs the task when the request's transaction commits."""

import io
from datetime import timedelta

import pytest
from cryptography.fernet import Fernet, MultiFernet
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from cases.models import Case, Kind, Participant
from cases.states import State
from reports import export_jobs
from reports.models import ExportJob
from reports.qc_report import export_qc_report
from tests.conftest import make_user
from tracker import roles
from tracker.models import IdentifierAccess

from .workbooks import XLSX, response_bytes


@pytest.fixture(autouse=True)
def small_limit(monkeypatch):
    monkeypatch.setattr(export_jobs, "SYNC_MAX_ROWS", 5)
    monkeypatch.setattr("reports.views.SYNC_MAX_ROWS", 5)


def bulk_cases(n, *, state, csr, team, mcos, ssn="287654321"):
    # Test data: the state is set by the constructor, as STYLE.md allows for fixtures.
    mco = next(iter(mcos.values()))
    cases = Case.objects.bulk_create(
        Case(kind=Kind.MCT_SPAN, state=state, csr=csr, team=team, target_mco=mco) for _ in range(n)
    )
    Participant.objects.bulk_create(
        Participant(case=case, name=f"P{i}-{j}", ma_number=f"{i:09d}{j:02d}", ssn=ssn)
        for i, case in enumerate(cases)
        for j in range(1 + i % 2)
    )
    return cases


def sheet_rows(data: bytes, title: str) -> list[dict]:
    sheet = load_workbook(io.BytesIO(data))[title]
    header = [c.value for c in sheet[1]]
    return [dict(zip(header, r, strict=True)) for r in sheet.iter_rows(min_row=2, values_only=True)]


def ask_in_background(client, url, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302, response.status_code
    return ExportJob.objects.get(pk=int(response.url.rstrip("/").split("/")[-1]))


def stored_files(media_root):
    return [p for p in (media_root / "exports").rglob("*") if p.is_file()]


def test_a_small_qc_report_is_still_downloaded_at_once(client, qc_lead, csr, team, mcos):
    bulk_cases(5, state=State.ESCALATED, csr=csr, team=team, mcos=mcos)
    client.force_login(qc_lead)

    response = client.get(reverse("reports:qc_report_export"))

    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert len(sheet_rows(response_bytes(response), "QC report")) == 5
    assert not ExportJob.objects.exists()


def test_a_large_qc_report_is_written_in_the_background_and_downloaded_by_who_asked(
    client, qc_lead, csr, team, mcos, media_root, django_capture_on_commit_callbacks
):
    bulk_cases(8, state=State.ESCALATED, csr=csr, team=team, mcos=mcos)
    client.force_login(qc_lead)
    page = client.get(reverse("reports:qc_report"))
    assert b"Prepare the QC report" in page.content
    # A plain link (GET) to a large export shows the page with the button, not a long request.
    assert client.get(reverse("reports:qc_report_export")).status_code == 200
    assert not ExportJob.objects.exists()

    job = ask_in_background(
        client, reverse("reports:qc_report_export"), django_capture_on_commit_callbacks
    )

    progress = client.get(job.get_absolute_url())
    assert progress.status_code == 200
    assert b"<progress" in progress.content and b"js/export-progress.js" in progress.content
    download_url = reverse("reports:export_job_download", args=[job.pk])
    assert download_url.encode() in progress.content
    status = client.get(reverse("reports:export_job_status", args=[job.pk])).json()
    assert status["status"] == "ready" and status["progress"] == status["total"] == 8
    response = client.get(download_url)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    rows = sheet_rows(response_bytes(response), "QC report")
    assert len(rows) == 8
    assert {row["SSN(s)"].split("; ")[0] for row in rows} == {"***-**-4321"}
    # On disk: one file, and not an XLSX (a zip starts "PK"): encrypted at rest.
    (stored,) = stored_files(media_root)
    assert not stored.read_bytes().startswith(b"PK")
    # Masked SSNs: nothing to record.
    assert not IdentifierAccess.objects.exists()
    # Found again from the report's page.
    assert job.get_absolute_url().encode() in client.get(reverse("reports:qc_report")).content


def test_only_the_person_who_asked_sees_or_downloads_a_background_export(
    client, qc_lead, csr, team, mcos, django_capture_on_commit_callbacks
):
    bulk_cases(6, state=State.ESCALATED, csr=csr, team=team, mcos=mcos)
    client.force_login(qc_lead)
    job = ask_in_background(
        client, reverse("reports:qc_report_export"), django_capture_on_commit_callbacks
    )
    other_lead = make_user("other.lead", roles.QC_LEAD)

    client.force_login(other_lead)
    for name in ("export_job", "export_job_status", "export_job_download"):
        assert client.get(reverse(f"reports:{name}", args=[job.pk])).status_code == 404
    client.force_login(csr)
    assert client.get(reverse("reports:export_job_download", args=[job.pk])).status_code == 404


def test_a_large_handoff_is_written_in_the_background_and_its_export_recorded(
    client, monitor, csr, team, mcos, django_capture_on_commit_callbacks
):
    cases = bulk_cases(7, state=State.TRUE_TRACKER, csr=csr, team=team, mcos=mcos)
    client.force_login(monitor)
    assert b"Prepare the hand-off sheet" in client.get(reverse("reports:handoff")).content

    job = ask_in_background(
        client, reverse("reports:handoff_export"), django_capture_on_commit_callbacks
    )

    response = client.get(reverse("reports:export_job_download", args=[job.pk]))
    rows = sheet_rows(response_bytes(response), "State Monitor hand-off")
    assert [row["SSN(s)"].split("; ")[0] for row in rows] == ["287-65-4321"] * 7
    (access,) = IdentifierAccess.objects.all()
    assert access.user == monitor and access.action == IdentifierAccess.EXPORT
    assert access.object_ids == sorted(case.pk for case in cases)


def test_a_background_export_is_gone_after_24_hours(
    client, qc_lead, csr, team, mcos, media_root, django_capture_on_commit_callbacks
):
    bulk_cases(6, state=State.ESCALATED, csr=csr, team=team, mcos=mcos)
    client.force_login(qc_lead)
    old = ask_in_background(
        client, reverse("reports:qc_report_export"), django_capture_on_commit_callbacks
    )
    purged = ask_in_background(
        client, reverse("reports:qc_report_export"), django_capture_on_commit_callbacks
    )
    fresh = ask_in_background(
        client, reverse("reports:qc_report_export"), django_capture_on_commit_callbacks
    )
    assert len(stored_files(media_root)) == 3
    day_ago = timezone.now() - timedelta(hours=24, minutes=1)
    ExportJob.objects.filter(pk__in=[old.pk, purged.pk]).update(created_at=day_ago)

    # A download attempt past 24 hours deletes the file at the latest ...
    assert client.get(reverse("reports:export_job_download", args=[old.pk])).status_code == 404
    # ... and the daily purge deletes the others.
    call_command("purge_uploads", stdout=io.StringIO())

    assert [p.name for p in stored_files(media_root)] == [
        ExportJob.objects.get(pk=fresh.pk).file.name.split("/")[-1]
    ]
    assert set(ExportJob.objects.values_list("pk", "status")) == {
        (old.pk, "expired"),
        (purged.pk, "expired"),
        (fresh.pk, "ready"),
    }
    page = client.get(reverse("reports:export_job", args=[old.pk]))
    assert b"Deleted (older than 24 hours)" in page.content


def test_a_masked_qc_report_never_decrypts_an_ssn(qc_lead, csr, team, mcos, monkeypatch):
    bulk_cases(12, state=State.ESCALATED, csr=csr, team=team, mcos=mcos)
    from cases.queues import qc_queue

    calls = []
    for cls in (Fernet, MultiFernet):
        original = cls.decrypt
        monkeypatch.setattr(
            cls,
            "decrypt",
            lambda self, *args, _original=original, **kwargs: (
                calls.append(1) or _original(self, *args, **kwargs)
            ),
        )

    response = export_qc_report(qc_lead, qc_queue(qc_lead))
    rows = sheet_rows(response_bytes(response), "QC report")

    assert len(rows) == 12 and all(row["SSN(s)"].startswith("***-**-4321") for row in rows)
    assert calls == []


def test_a_background_export_runs_the_same_queries_for_10_cases_as_for_100(
    qc_lead, csr, team, mcos
):
    def queries_of_one_export():
        job = ExportJob.objects.create(
            user=qc_lead, kind=ExportJob.Kind.QC_REPORT, row_count=0, full_identifiers=False
        )
        with CaptureQueriesContext(connection) as queries:
            assert export_jobs.run_export(job.pk) == "ready"
        return len(queries)

    bulk_cases(10, state=State.ESCALATED, csr=csr, team=team, mcos=mcos)
    ten = queries_of_one_export()
    bulk_cases(90, state=State.ESCALATED, csr=csr, team=team, mcos=mcos)
    hundred = queries_of_one_export()

    assert ten == hundred
    assert hundred <= 12, hundred


def test_the_last_four_ssn_digits_are_kept_in_clear_whenever_the_ssn_is_set(log_case):
    case = log_case()
    participant = case.participants.first()
    assert participant.ssn_last4 == participant.ssn[-4:]

    participant.ssn = "234-56-7890"
    participant.save(update_fields=["ssn"])
    participant.refresh_from_db()
    assert participant.ssn_last4 == "7890"

    (bulk,) = Participant.objects.bulk_create(
        [Participant(case=case, name="Bulk", ma_number="10000000009", ssn="345678901")]
    )
    assert Participant.objects.get(pk=bulk.pk).ssn_last4 == "8901"


def test_seed_scale_writes_the_last_four_digits_too(db):
    from tracker.scale.writer import table

    rows = table(Participant)
    (values,) = rows.tuples(
        [{"id": 1, "case_id": 1, "name": "Seeded", "ma_number": "10000000001", "ssn": "456789012"}]
    )
    by_column = dict(zip(rows.columns, values, strict=True))
    assert by_column["ssn_last4"] == "9012" and "9012" not in by_column["ssn"]


@pytest.mark.parametrize("size", [0, 1, 15, 16, 17, 1000, 3 * 7 * 16 + 5])
def test_a_streamed_file_is_stored_as_the_fernet_token_the_storage_reads(size, media_root):
    """Exports are encrypted chunk by chunk (crypto.encrypt_stream), not whole in memory: the
    token must be one Fernet reads, under the current key."""
    import os

    from django.core.files.storage import default_storage

    from tracker import crypto
    from tracker.storage import StreamedFile

    data = os.urandom(size)
    out = io.BytesIO()
    crypto.encrypt_stream(io.BytesIO(data), out, chunk_size=7)
    assert crypto.decrypt_bytes(out.getvalue()) == data and crypto.is_current(out.getvalue())

    name = default_storage.save("exports/test.xlsx", StreamedFile(io.BytesIO(data)))
    assert default_storage.open(name).read() == data
    assert (media_root / name).read_bytes() != data or size == 0


def test_a_failed_background_export_says_so_and_keeps_no_file(
    client, qc_lead, csr, team, mcos, media_root, monkeypatch, django_capture_on_commit_callbacks
):
    bulk_cases(6, state=State.ESCALATED, csr=csr, team=team, mcos=mcos)
    client.force_login(qc_lead)

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(export_jobs, "write_sheet", broken)
    job = ask_in_background(
        client, reverse("reports:qc_report_export"), django_capture_on_commit_callbacks
    )

    status = client.get(reverse("reports:export_job_status", args=[job.pk])).json()
    assert status["status"] == "failed" and status["done"] and "Try again" in status["error"]
    assert client.get(reverse("reports:export_job_download", args=[job.pk])).status_code == 404
    assert not (media_root / "exports").exists() or not stored_files(media_root)
    # Run again (a restarted worker): left alone.
    assert export_jobs.run_export(job.pk) == "failed"
