from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from cases import services
from cases.models import Case
from cases.states import State
from reports.models import AppliedRow, Upload

from .workbooks import as_upload, download_handoff, fill, upload


def today():
    return timezone.localdate()


@pytest.fixture
def two_cases(true_case):
    return true_case(), true_case(kind="for_cause")


def states(*cases):
    return [Case.objects.get(pk=c.pk).state for c in cases]


def confirm(client, upload_obj):
    return client.post(reverse("reports:upload_confirm", args=[upload_obj.pk]))


def test_it_round_trips_export_fill_import(client, monitor, two_cases):
    first, second = two_cases
    client.force_login(monitor)
    workbook = download_handoff(client)
    fill(workbook, first, processed="Y", mmis_date=today(), mmis_reference="MMIS-7781")
    fill(workbook, second, processed="N", reason="Participant not found in MMIS")

    response = upload(client, as_upload(workbook))
    preview = Upload.objects.get()
    assert response.url == preview.get_absolute_url()
    assert preview.status == Upload.Status.PREVIEWED
    assert (preview.processed_count, preview.returned_count, preview.errors) == (1, 1, [])
    assert states(first, second) == [State.TRUE_TRACKER, State.TRUE_TRACKER]  # preview only
    page = client.get(preview.get_absolute_url())
    assert "Confirm and apply" in page.content.decode()

    confirm(client, preview)

    first.refresh_from_db()
    second.refresh_from_db()
    assert first.state == State.PROCESSED
    assert (first.mmis_date, first.mmis_reference) == (today(), "MMIS-7781")
    assert second.state == State.RETURNED_BY_MONITOR
    assert second.returned_count == 1
    applied = Upload.objects.get()
    assert applied.status == Upload.Status.APPLIED
    assert applied.decided_by == monitor
    assert applied.file.read()[:2] == b"PK"  # the uploaded file is kept
    assert AppliedRow.objects.count() == 2


def test_it_leaves_empty_rows_in_the_handoff(client, monitor, two_cases):
    first, second = two_cases
    client.force_login(monitor)
    workbook = fill(
        download_handoff(client), first, processed="Y", mmis_date=today(), mmis_reference="R1"
    )
    upload(client, as_upload(workbook))
    preview = Upload.objects.get()
    assert (preview.processed_count, preview.unchanged_count) == (1, 1)
    confirm(client, preview)
    assert states(first, second) == [State.PROCESSED, State.TRUE_TRACKER]


def test_it_applies_the_same_sheet_only_once(client, monitor, two_cases):
    first, second = two_cases
    client.force_login(monitor)
    workbook = download_handoff(client)
    fill(workbook, first, processed="Y", mmis_date=today(), mmis_reference="R1")
    fill(workbook, second, processed="N", reason="Wrong MCO requested")
    file_bytes = as_upload(workbook).read()

    from django.core.files.uploadedfile import SimpleUploadedFile

    upload(client, SimpleUploadedFile("a.xlsx", file_bytes))
    confirm(client, Upload.objects.get())

    upload(client, SimpleUploadedFile("a-again.xlsx", file_bytes))
    again = Upload.objects.latest("pk")
    assert again.status == Upload.Status.REJECTED
    assert "already applied" in again.errors[0]
    second.refresh_from_db()
    assert second.returned_count == 1


def test_it_recognises_rows_already_applied_in_a_resaved_sheet(client, monitor, two_cases):
    first, second = two_cases
    client.force_login(monitor)
    workbook = download_handoff(client)
    fill(workbook, first, processed="Y", mmis_date=today(), mmis_reference="R1")
    upload(client, as_upload(workbook))
    confirm(client, Upload.objects.get())

    # The same answers plus one more, saved again (different bytes): only the new row applies.
    fill(workbook, second, processed="N", reason="Not eligible for the change")
    upload(client, as_upload(workbook, "second.xlsx"))
    later = Upload.objects.latest("pk")
    assert later.errors == []
    assert (later.processed_count, later.returned_count, later.unchanged_count) == (0, 1, 1)
    confirm(client, later)
    assert states(first, second) == [State.PROCESSED, State.RETURNED_BY_MONITOR]
    assert Case.objects.get(pk=first.pk).mmis_reference == "R1"


def test_it_confirms_a_preview_only_once(client, monitor, two_cases):
    first, _ = two_cases
    client.force_login(monitor)
    workbook = fill(download_handoff(client), first, processed="N", reason="Consumer already moved")
    upload(client, as_upload(workbook))
    preview = Upload.objects.get()
    confirm(client, preview)
    confirm(client, preview)
    first.refresh_from_db()
    assert first.returned_count == 1
    assert AppliedRow.objects.count() == 1


def _rejected(client, workbook):
    upload(client, as_upload(workbook))
    result = Upload.objects.latest("pk")
    assert result.status == Upload.Status.REJECTED
    assert not result.can_confirm
    return result


@pytest.mark.parametrize(
    "answers, message",
    [
        ({"processed": "maybe"}, "Processed in MMIS (Y/N)”: must be Y or N, not “maybe”."),
        (
            {"processed": "Y", "mmis_date": "next tuesday", "mmis_reference": "R"},
            "“MMIS date”: “next tuesday” is not a date",
        ),
        (
            {"processed": "Y", "mmis_date": date(2099, 1, 5), "mmis_reference": "R"},
            "“MMIS date”: 01/05/2099 is in the future.",
        ),
        (
            {"processed": "Y", "mmis_date": date(2001, 1, 5), "mmis_reference": "R"},
            "is before the case was logged",
        ),
        (
            {"processed": "Y", "mmis_reference": "R"},
            "“MMIS date”: is required when the case was processed (Y).",
        ),
        (
            {"processed": "Y", "mmis_date": date(2026, 1, 1)},
            "“MMIS reference”: is required when the case was processed (Y).",
        ),
        ({"processed": "N"}, "“Reason not processed”: is required when the case was not"),
        ({"reason": "forgot the Y/N"}, "“Processed in MMIS (Y/N)”: is required."),
        ({"processed": "Y", "mmis_date": "=TODAY()", "mmis_reference": "R"}, "contains a formula"),
    ],
)
def test_it_refuses_bad_answers_and_changes_nothing(client, monitor, two_cases, answers, message):
    first, second = two_cases
    if "mmis_date" in answers and answers["mmis_date"] == date(2026, 1, 1):
        answers["mmis_date"] = today()
    client.force_login(monitor)
    workbook = download_handoff(client)
    fill(workbook, second, processed="N", reason="A good row is not applied either")
    fill(workbook, first, **answers)

    result = _rejected(client, workbook)

    assert any(message in error for error in result.errors), result.errors
    assert any(error.startswith("Row ") for error in result.errors)
    assert states(first, second) == [State.TRUE_TRACKER, State.TRUE_TRACKER]
    page = client.get(result.get_absolute_url()).content.decode()
    assert "Confirm and apply" not in page
    assert "nothing was changed" in page


def test_it_refuses_an_unknown_case_number(client, monitor, two_cases):
    first, second = two_cases
    client.force_login(monitor)
    workbook = download_handoff(client)
    fill(workbook, second, processed="N", reason="Not found")
    fill(workbook, first, case="MCO-999999", processed="N", reason="Not found")
    result = _rejected(client, workbook)
    assert any("there is no case “MCO-999999”" in e for e in result.errors), result.errors
    assert states(first, second) == [State.TRUE_TRACKER, State.TRUE_TRACKER]


def test_it_reports_a_case_no_longer_in_true_tracker_and_changes_nothing(
    client, monitor, two_cases
):
    first, second = two_cases
    client.force_login(monitor)
    workbook = download_handoff(client)
    fill(workbook, first, processed="Y", mmis_date=today(), mmis_reference="R1")
    fill(workbook, second, processed="N", reason="No change possible")
    # Someone returns the first case in the app after the sheet was downloaded.
    services.case_return_unprocessed(case=first, by=monitor, reason="Done in the app")

    result = _rejected(client, workbook)

    assert any(
        f"{first.number} is no longer a true tracker case: it is now “Returned by State Monitor”"
        in e
        for e in result.errors
    ), result.errors
    first.refresh_from_db()
    assert first.state == State.RETURNED_BY_MONITOR and first.mmis_reference == ""
    assert states(second) == [State.TRUE_TRACKER]


def test_it_reports_a_case_edited_since_the_export(client, monitor, two_cases):
    first, _ = two_cases
    client.force_login(monitor)
    workbook = download_handoff(client)
    fill(workbook, first, processed="Y", mmis_date=today(), mmis_reference="R1")
    Case.objects.filter(pk=first.pk).update(updated_at=timezone.now() + timedelta(seconds=5))

    result = _rejected(client, workbook)

    assert any("was changed in the app after this sheet was downloaded" in e for e in result.errors)
    assert states(first) == [State.TRUE_TRACKER]


def test_it_applies_nothing_if_a_case_moves_between_preview_and_confirm(client, monitor, two_cases):
    first, second = two_cases
    client.force_login(monitor)
    workbook = download_handoff(client)
    fill(workbook, first, processed="Y", mmis_date=today(), mmis_reference="R1")
    fill(workbook, second, processed="N", reason="Not possible")
    upload(client, as_upload(workbook))
    preview = Upload.objects.get()
    assert preview.can_confirm
    services.case_mark_processed(case=second, by=monitor, mmis_date=today(), mmis_reference="X")

    confirm(client, preview)

    preview.refresh_from_db()
    assert preview.status == Upload.Status.REJECTED
    assert any(second.number in e for e in preview.errors)
    assert states(first) == [State.TRUE_TRACKER]
    assert not AppliedRow.objects.exists()


@pytest.mark.parametrize("role_user", ["csr", "qc_lead", "supervisor"])
def test_it_refuses_uploads_from_other_roles(client, request, role_user, two_cases, db):
    client.force_login(request.getfixturevalue(role_user))
    from django.core.files.uploadedfile import SimpleUploadedFile

    response = upload(client, SimpleUploadedFile("x.xlsx", b"PK"))
    assert response.status_code == 403
    assert not Upload.objects.exists()


def test_it_refuses_confirming_for_other_roles(client, monitor, qc_lead, two_cases):
    first, _ = two_cases
    client.force_login(monitor)
    workbook = fill(download_handoff(client), first, processed="N", reason="No")
    upload(client, as_upload(workbook))
    preview = Upload.objects.get()
    client.force_login(qc_lead)
    assert confirm(client, preview).status_code == 403
    assert client.get(preview.get_absolute_url()).status_code == 403
    assert states(first) == [State.TRUE_TRACKER]
