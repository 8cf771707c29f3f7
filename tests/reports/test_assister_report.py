"""The Preferred Assister Report: generated per organization and period, emailed, filled in,
uploaded, previewed and recorded — all rows or none."""

import io
from datetime import date

import pytest
from django_fsm_log.models import StateLog
from openpyxl import load_workbook

from referrals.models import AssisterReport, Referral
from referrals.states import Resolution, State
from reports.assister_report import PAR_SPEC
from reports.assister_send import send_period
from reports.models import Upload

from .par import as_upload, confirm, data_sheet, download, fill, letter, upload


def test_it_reports_each_organizations_leads_of_the_period_prefilled(
    oe5, lakes, period_leads, make_org, make_sent_referral, pal_coordinator, mailoutbox
):
    other_org = make_org("North Star Navigators")
    make_sent_referral(organization=other_org, sent_on=date(2017, 11, 7))
    make_sent_referral(organization=lakes, sent_on=date(2017, 11, 20))  # next period

    mailoutbox.clear()  # the lead emails

    sent, problems = send_period(oe5[0], by=pal_coordinator)

    assert (sent, problems) == (2, [])
    (to_lakes,) = [m for m in mailoutbox if m.to == [lakes.lead_email]]
    assert "due 11/29/2017" in to_lakes.subject
    assert "by 11/29/2017" in to_lakes.body
    name, content, mimetype = to_lakes.attachments[0]
    assert name == "preferred-assister-report-lakes-area-navigators-2017-11-01.xlsx"
    workbook = load_workbook(io.BytesIO(content))
    sheet = data_sheet(workbook)
    assert [cell.value for cell in sheet[1]] == PAR_SPEC.headers
    assert [sheet[f"A{row}"].value for row in range(2, sheet.max_row + 1)] == [
        r.number for r in period_leads
    ]
    ana = period_leads[0]
    assert sheet["B2"].value.date() == date(2017, 11, 6)
    assert [sheet[f"{letter(k)}2"].value for k in ("consumer", "phone", "county", "type")] == [
        "Ana",
        ana.phone,
        "Hennepin",
        "Navigator grantee",
    ]
    assert sheet[f"{letter('reason')}2"].value == ana.reason_for_help
    assert "Due back by 11/29/2017." in workbook["Instructions"]["A2"].value
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    assert validations[f"{letter('contact_made')}2:{letter('contact_made')}4"].type == "list"
    assert validations[f"{letter('resolution')}2:{letter('resolution')}4"].type == "list"
    assert validations[f"{letter('contact_date')}2:{letter('contact_date')}4"].type == "date"
    report = AssisterReport.objects.get(organization=lakes, period=oe5[0])
    assert report.status == AssisterReport.Status.SENT and report.sent_by == pal_coordinator


def test_round_trip_download_fill_upload_preview_confirm(
    client, assister_user, sent_report, period_leads
):
    ana, ben, cy = period_leads
    client.force_login(assister_user)
    workbook = download(client, sent_report)
    fill(
        workbook,
        ana,
        contact_made="Y",
        contact_date=date(2017, 11, 7),
        resolution="Enrolled in QHP",
        comments="Chose a silver plan",
    )
    fill(workbook, ben, contact_made="N", resolution="Unable to contact")

    response = upload(client, sent_report, as_upload(workbook))

    preview = Upload.objects.get()
    assert response.url == f"/reports/assister/uploads/{preview.pk}/"
    assert preview.status == Upload.Status.PREVIEWED and preview.errors == []
    assert preview.action_counts == {"record": 2, "blank": 1}
    page = client.get(response.url).content.decode()
    assert "Confirming records 2 outcomes" in page
    assert Referral.objects.get(pk=ana.pk).state == State.SENT  # nothing recorded yet

    confirm(client, preview)

    ana, ben, cy = (Referral.objects.get(pk=r.pk) for r in period_leads)
    assert (ana.state, ana.contact_made, ana.contact_date, ana.resolution, ana.comments) == (
        State.COMPLETED,
        True,
        date(2017, 11, 7),
        Resolution.ENROLLED_QHP,
        "Chose a silver plan",
    )
    assert (ben.state, ben.contact_made, ben.resolution) == (
        State.COMPLETED,
        False,
        Resolution.UNABLE_TO_CONTACT,
    )
    assert cy.state == State.SENT and cy.contact_made is None
    report = AssisterReport.objects.get(pk=sent_report.pk)
    assert report.status == AssisterReport.Status.RETURNED
    assert report.returned_at is not None and report.last_upload_id == preview.pk
    log = StateLog.objects.for_(ana).latest("timestamp")
    assert log.by == assister_user and f"(upload {preview.pk})" in log.description


def test_reuploading_replaces_earlier_answers_and_keeps_both_files(
    client, assister_user, sent_report, period_leads
):
    ana = period_leads[0]
    client.force_login(assister_user)
    workbook = fill(
        download(client, sent_report), ana, contact_made="N", resolution="Unable to contact"
    )
    upload(client, sent_report, as_upload(workbook, "first.xlsx"))
    confirm(client, Upload.objects.get())
    first_return = AssisterReport.objects.get(pk=sent_report.pk).returned_at

    workbook = download(client, sent_report)  # comes back with the answers recorded so far
    assert data_sheet(workbook)[f"{letter('contact_made')}2"].value == "N"
    fill(
        workbook,
        ana,
        contact_made="Y",
        contact_date=date(2017, 11, 9),
        resolution="Contact made appointment scheduled",
    )
    upload(client, sent_report, as_upload(workbook, "second.xlsx"))
    second = Upload.objects.get(original_name="second.xlsx")
    confirm(client, second)

    ana = Referral.objects.get(pk=ana.pk)
    assert (ana.contact_made, ana.contact_date, ana.resolution) == (
        True,
        date(2017, 11, 9),
        Resolution.APPOINTMENT_SCHEDULED,
    )
    report = AssisterReport.objects.get(pk=sent_report.pk)
    assert report.last_upload == second
    assert report.returned_at == first_return  # returned on time stays what it was
    assert [u.original_name for u in report.uploads.order_by("pk")] == ["first.xlsx", "second.xlsx"]
    assert all(u.file and u.status == Upload.Status.APPLIED for u in report.uploads.all())
    descriptions = [log.description for log in StateLog.objects.for_(ana).order_by("pk")]
    assert sum("Preferred Assister Report" in d for d in descriptions) == 2


def test_the_same_answers_uploaded_again_record_nothing_twice(
    client, assister_user, sent_report, period_leads
):
    ana = period_leads[0]
    client.force_login(assister_user)
    workbook = fill(
        download(client, sent_report), ana, contact_made="N", resolution="Unable to contact"
    )
    for _ in range(2):
        upload(client, sent_report, as_upload(workbook))
        confirm(client, Upload.objects.latest("pk"))

    second = Upload.objects.latest("pk")
    assert second.status == Upload.Status.APPLIED
    assert second.action_counts == {"unchanged": 1, "blank": 2}
    assert StateLog.objects.for_(ana).filter(transition="report_outcome").count() == 1


def test_a_sheet_with_every_row_empty_is_refused(client, assister_user, sent_report):
    client.force_login(assister_user)
    upload(client, sent_report, as_upload(download(client, sent_report)))
    result = Upload.objects.get()
    assert result.status == Upload.Status.REJECTED
    assert "Every row is empty" in result.errors[0]
    assert AssisterReport.objects.get(pk=sent_report.pk).status == AssisterReport.Status.SENT


def test_a_report_that_cannot_be_emailed_stays_pending_and_goes_on_the_next_run(
    oe5, period_leads, settings, mailoutbox
):
    from django.core.management import call_command
    from django.core.management.base import CommandError

    settings.EMAIL_BACKEND = "tests.reports.test_assister_report.RefusingBackend"
    with pytest.raises(CommandError, match="Email to leads@lakesareanavigators.example.org failed"):
        call_command("send_assister_reports", stdout=io.StringIO())
    report = AssisterReport.objects.get()
    assert report.status == AssisterReport.Status.PENDING and "failed" in report.send_error
    assert report_emails(mailoutbox) == []

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = io.StringIO()
    call_command("send_assister_reports", stdout=out)
    call_command("send_assister_reports", stdout=out)  # nothing left to send

    assert out.getvalue().splitlines() == [
        "1 Preferred Assister Reports sent.",
        "0 Preferred Assister Reports sent.",
    ]
    report.refresh_from_db()
    assert (report.status, report.send_error, report.sent_by) == ("sent", "", None)
    assert len(report_emails(mailoutbox)) == 1


def test_reports_go_out_on_the_send_date_not_before(oe5, period_leads, mailoutbox):
    from reports.assister_send import send_due_reports

    first = oe5[0]
    assert send_due_reports(first.send_on.replace(day=first.send_on.day - 1)) == (0, [])
    assert send_due_reports(first.send_on) == (1, [])
    assert len(report_emails(mailoutbox)) == 1


def report_emails(mailoutbox):
    return [m for m in mailoutbox if "X-PAL-Report" in m.extra_headers]


class RefusingBackend:
    def __init__(self, *args, **kwargs):
        pass

    def send_messages(self, messages):
        raise ConnectionRefusedError("Connection refused")


def test_an_applied_upload_says_what_was_recorded_not_what_confirming_would_do(
    client, assister_user, sent_report, period_leads
):
    ana = period_leads[0]
    client.force_login(assister_user)
    workbook = fill(
        download(client, sent_report), ana, contact_made="N", resolution="Unable to contact"
    )
    response = upload(client, sent_report, as_upload(workbook))
    assert "recorded on confirm" in client.get(response.url).content.decode()

    confirm(client, Upload.objects.get())

    page = client.get(response.url).content.decode()
    assert "recorded on confirm" not in page
    assert "New or changed outcome — recorded" in page
