"""Issue 11 through the real upload views: each bug a hostile or careless sheet hit is now a
plain refusal, bounded in rows, problems and queries."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cases.models import Case
from cases.states import State
from reports.handoff import HANDOFF_SPEC
from reports.models import Upload

from . import par
from .workbooks import as_upload, column_letter, download_handoff, fill, row_of, upload


def today():
    return timezone.localdate()


def latest() -> Upload:
    return Upload.objects.latest("pk")


def add_handoff_rows(workbook, numbers):
    """Rows a person could type: a case number and an answer, with some Row check."""
    sheet = workbook[HANDOFF_SPEC.sheet_title]
    keys = [column.key for column in HANDOFF_SPEC.columns]
    for number in numbers:
        row = {"case": number, "processed": "N", "reason": "Not found", "token": "1:1"}
        sheet.append([row.get(key) for key in keys])
    return workbook


def test_it_refuses_a_time_in_the_mmis_date_with_row_and_column(client, monitor, true_case):
    case = true_case()
    client.force_login(monitor)
    workbook = fill(
        download_handoff(client), case, processed="Y", mmis_date=0.5, mmis_reference="R"
    )
    response = upload(client, as_upload(workbook))
    assert response.status_code == 302
    row = row_of(workbook, case)
    assert latest().errors == [
        f"Row {row}, “MMIS date”: “12:00:00” is a time, not a date; type the date as mm/dd/yyyy."
    ]


def test_it_refuses_a_day_number_in_a_general_contact_date(client, assister_user, sent_report):
    lead = sent_report.organization.referrals.order_by("pk").first()
    client.force_login(assister_user)
    workbook = par.fill(par.download(client, sent_report), lead, **par.GOOD_ANSWERS)
    cell = par.data_sheet(workbook)[f"{par.letter('contact_date')}{par.row_of(workbook, lead)}"]
    cell.value, cell.number_format = 0, "General"
    response = par.upload(client, sent_report, par.as_upload(workbook))
    assert response.status_code == 302
    (error,) = latest().errors
    assert "“Contact Date”: “0” is a number, not a date; type the date as mm/dd/yyyy" in error


def test_it_refuses_an_mmis_reference_longer_than_the_case_field_at_preview(
    client, monitor, true_case
):
    case = true_case()
    client.force_login(monitor)
    reference = "R" * 300
    workbook = fill(
        download_handoff(client), case, processed="Y", mmis_date=today(), mmis_reference=reference
    )
    upload(client, as_upload(workbook))
    result = latest()
    assert result.status == Upload.Status.REJECTED  # never left "previewed" to fail at confirm
    limit = Case._meta.get_field("mmis_reference").max_length
    assert result.errors == [
        f"Row {row_of(workbook, case)}, “MMIS reference”: is 300 characters long; at most "
        f"{limit} are allowed."
    ]
    assert Case.objects.get(pk=case.pk).state == State.TRUE_TRACKER


def test_it_refuses_a_row_whose_row_check_was_cleared(client, monitor, true_case):
    case = true_case()
    client.force_login(monitor)
    workbook = fill(download_handoff(client), case, processed="N", reason="Not in MMIS")
    sheet = workbook[HANDOFF_SPEC.sheet_title]
    sheet[f"{column_letter('token')}{row_of(workbook, case)}"] = None
    case.save()  # changed since the download: the cleared check must not hide it
    upload(client, as_upload(workbook))
    result = latest()
    assert result.status == Upload.Status.REJECTED
    assert "“Row check (do not edit)”: is empty." in result.errors[0]
    assert Case.objects.get(pk=case.pk).state == State.TRUE_TRACKER


def test_it_refuses_a_sheet_past_the_row_limit_with_one_message(
    client, monitor, true_case, settings
):
    case = true_case()
    client.force_login(monitor)
    workbook = add_handoff_rows(download_handoff(client), [f"MCO-{n}" for n in range(9000, 9003)])
    fill(workbook, case, processed="N", reason="x")
    settings.SHEET_MAX_ROWS = 3
    upload(client, as_upload(workbook))
    assert latest().errors == [
        "The sheet has more than 3 rows; one upload may hold at most 3. Split it into smaller "
        "sheets and upload each. Nothing was changed."
    ]
    assert latest().error_count == 1


def test_it_keeps_the_first_problems_and_counts_the_rest(client, monitor, true_case, settings):
    true_case()
    settings.SHEET_MAX_ERRORS = 3
    client.force_login(monitor)
    numbers = [f"MCO-{n}" for n in range(900_000, 900_010)]
    upload(client, as_upload(add_handoff_rows(download_handoff(client), numbers)))
    result = latest()
    assert result.error_count == 10
    assert len(result.errors) == 4
    assert result.errors[-1].startswith("…and 7 more problems (7 in “Case number”).")
    page = client.get(result.get_absolute_url()).content.decode()
    assert "…and 7 more problems" in page
    assert '<dd data-count="errors">10</dd>' in page


def _import_queries(client, url, data) -> int:
    with CaptureQueriesContext(connection) as queries:
        client.post(url, {"file": data})
    return len(queries)


def test_it_looks_up_handoff_rows_without_a_query_per_row(client, monitor, true_case):
    from cases.services import case_mark_processed

    done = [true_case() for _ in range(6)]
    for case in done:  # no longer waiting: each row's history is looked up
        case_mark_processed(case=case, by=monitor, mmis_date=today(), mmis_reference="R9")
    client.force_login(monitor)
    counts = []
    for extra in (1, 6):
        rows = [f"MCO-{n}" for n in range(800_000, 800_000 + 10 * extra)]
        rows += [case.number for case in done[:extra]]
        workbook = add_handoff_rows(download_handoff(client), rows)
        counts.append(
            _import_queries(client, reverse("reports:handoff_upload"), as_upload(workbook))
        )
    assert counts[0] == counts[1], counts
    assert "is no longer a true tracker case" in latest().errors[-1]


def test_it_checks_assister_rows_without_a_query_per_unknown_id(
    client, assister_user, sent_report, period_leads
):
    client.force_login(assister_user)
    counts = []
    for extra in (2, 40):
        workbook = par.download(client, sent_report)
        sheet = par.data_sheet(workbook)
        for n in range(extra):
            sheet.append([f"PAL-{700_000 + n}"])
        counts.append(
            _import_queries(
                client,
                reverse("reports:assister_report_upload", args=[sent_report.pk]),
                par.as_upload(workbook),
            )
        )
    assert counts[0] == counts[1], counts


@pytest.fixture
def refused_uploads(monitor, sent_report, assister_user):
    """Many refused uploads with the most problems each may keep."""
    errors = [f"Row {n}, “Case number”: there is no case" for n in range(201)]
    Upload.objects.bulk_create(
        [
            Upload(
                report_id=HANDOFF_SPEC.report_id,
                original_name=f"{n}.xlsx",
                uploaded_by=monitor,
                status=Upload.Status.REJECTED,
                errors=errors,
                error_count=50_000,
            )
            for n in range(30)
        ]
        + [
            Upload(
                report_id=par.PAR_SPEC.report_id,
                original_name=f"par{n}.xlsx",
                uploaded_by=assister_user,
                status=Upload.Status.REJECTED,
                errors=errors,
                error_count=50_000,
                assister_report=sent_report,
            )
            for n in range(30)
        ]
    )


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, [query["sql"] for query in queries]


@pytest.mark.parametrize("page", ["reports:handoff", "reports:uploads"])
def test_handoff_lists_never_load_stored_problems(client, monitor, refused_uploads, page):
    client.force_login(monitor)
    response, sql = _page_queries(client, reverse(page))
    assert "50000" in response.content.decode().replace(",", "")  # the count is shown
    assert not [q for q in sql if '"reports_upload"."errors"' in q], sql
    assert len(sql) <= 12, sql


def test_the_report_page_never_loads_stored_problems(
    client, assister_user, sent_report, refused_uploads
):
    client.force_login(assister_user)
    url = reverse("reports:assister_report", args=[sent_report.pk])
    response, sql = _page_queries(client, url)
    assert "50000" in response.content.decode()
    assert not [q for q in sql if '"reports_upload"."errors"' in q], sql
    assert not [q for q in sql if '"reports_upload"."preview"' in q], sql


def test_the_period_page_never_loads_stored_problems(
    client, pal_coordinator, sent_report, refused_uploads
):
    sent_report.last_upload = Upload.objects.filter(assister_report=sent_report).first()
    sent_report.save(update_fields=["last_upload"])
    client.force_login(pal_coordinator)
    url = reverse("reports:assister_period", args=[sent_report.period_id])
    _, sql = _page_queries(client, url)
    assert not [q for q in sql if '"reports_upload"."errors"' in q], sql


def test_the_admin_list_never_loads_stored_problems(client, refused_uploads):
    from tests.conftest import make_user

    client.force_login(make_user("root", is_staff=True, is_superuser=True))
    response, sql = _page_queries(client, reverse("admin:reports_upload_changelist"))
    assert not [q for q in sql if '"reports_upload"."errors"' in q], sql
    detail = Upload.objects.first()
    page = client.get(reverse("admin:reports_upload_change", args=[detail.pk]))
    assert "there is no case" in page.content.decode()  # the record's own page shows them
