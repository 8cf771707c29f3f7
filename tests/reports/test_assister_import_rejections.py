"""A returned Preferred Assister Report with any bad row records nothing; every problem names
its row and column in plain words."""

import io
import zipfile
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from referrals.models import AssisterReport, Referral
from referrals.states import State
from reports.assister_report import ABOUT_REPORT
from reports.models import Upload
from reports.sheets.writer import ABOUT_SHEET

from .par import as_upload, confirm, data_sheet, download, fill, letter, row_of, upload

GOOD = dict(contact_made="Y", contact_date=date(2017, 11, 15), resolution="Enrolled in QHP")


def _add_row(workbook, number):
    sheet = data_sheet(workbook)
    row = sheet.max_row + 1
    sheet[f"A{row}"] = number
    for key, value in {**GOOD, "contact_date": date(2017, 11, 20)}.items():
        sheet[f"{letter(key)}{row}"] = value
    return row


# An unknown ID and another organization's (or period's) get the same words: the message must
# not tell an assister which referral numbers exist (issue 11).
NOT_A_LEAD = "is not one of this report's leads. Check the ID, or remove the row."


def unknown_referral(workbook, leads, elsewhere):
    return _add_row(workbook, "PAL-999999"), "Referral ID", f"“PAL-999999” {NOT_A_LEAD}"


def other_organization(workbook, leads, elsewhere):
    number = elsewhere["other_org"].number
    return _add_row(workbook, number), "Referral ID", f"“{number}” {NOT_A_LEAD}"


def other_period(workbook, leads, elsewhere):
    number = elsewhere["next_period"].number
    return _add_row(workbook, number), "Referral ID", f"“{number}” {NOT_A_LEAD}"


def not_an_id(workbook, leads, elsewhere):
    return _add_row(workbook, "Maria"), "Referral ID", "“Maria” is not a Referral ID"


def answer(**values):
    def make(workbook, leads, elsewhere):
        fill(workbook, leads[1], **values)
        return row_of(workbook, leads[1]), column, words

    column, words = values.pop("_column"), values.pop("_words")
    return make


CASES = {
    "unknown referral": unknown_referral,
    "referral of another organization": other_organization,
    "referral of another period": other_period,
    "not a referral id": not_an_id,
    "Contact Made not Y/N": answer(
        contact_made="Maybe",
        resolution="Enrolled in QHP",
        _column="Contact Made",
        _words="must be Y or N, not “Maybe”",
    ),
    "Contact Made missing": answer(
        resolution="Enrolled in QHP", _column="Contact Made", _words="is required"
    ),
    "Contact Date missing with Y": answer(
        contact_made="Y",
        resolution="Enrolled in QHP",
        _column="Contact Date",
        _words="Contact Date is required when Contact Made is Y",
    ),
    "Contact Date with N": answer(
        contact_made="N",
        contact_date=date(2017, 11, 9),
        resolution="Unable to contact",
        _column="Contact Date",
        _words="Leave Contact Date empty when Contact Made is N",
    ),
    "Contact Date before the referral": answer(
        **{**GOOD, "contact_date": date(2017, 11, 7)},
        _column="Contact Date",
        _words="is before the lead was sent (11/08/2017)",
    ),
    "Contact Date in the future": answer(
        **{**GOOD, "contact_date": date(2099, 1, 1)},
        _column="Contact Date",
        _words="01/01/2099 is in the future",
    ),
    "Contact Date not a date": answer(
        **{**GOOD, "contact_date": "next Tuesday"},
        _column="Contact Date",
        _words="“next Tuesday” is not a date; use mm/dd/yyyy",
    ),
    "Resolution not in the list": answer(
        **{**GOOD, "resolution": "Enrolled"},
        _column="Resolution",
        _words="“Enrolled” is not one of the choices in the list",
    ),
    "Resolution missing": answer(contact_made="N", _column="Resolution", _words="is required"),
    "Unable to contact with Contact Made Y": answer(
        **{**GOOD, "resolution": "Unable to contact"},
        _column="Resolution",
        _words="“Unable to contact” contradicts Contact Made = Y",
    ),
    "N with a resolution other than Unable to contact": answer(
        contact_made="N",
        resolution="Enrolled in QHP",
        _column="Resolution",
        _words="With Contact Made = N the Resolution must be “Unable to contact”",
    ),
    "a formula typed in": answer(
        **{**GOOD, "comments": '=HYPERLINK("http://x")'},
        _column="Comments",
        _words="contains a formula",
    ),
    "Comments too long": answer(
        **{**GOOD, "contact_date": date(2017, 11, 9), "comments": "x" * 2001},
        _column="Comments",
        _words="is 2,001 characters long; at most 2,000 are allowed.",
    ),
}


@pytest.fixture
def elsewhere(oe5, make_org, make_sent_referral, lakes):
    return {
        "other_org": make_sent_referral(
            organization=make_org("North Star Navigators"), sent_on=date(2017, 11, 7)
        ),
        "next_period": make_sent_referral(organization=lakes, sent_on=date(2017, 11, 20)),
    }


def _nothing_changed(report, leads):
    assert [Referral.objects.get(pk=r.pk).state for r in leads] == [State.SENT] * len(leads)
    assert AssisterReport.objects.get(pk=report.pk).status == AssisterReport.Status.SENT


@pytest.mark.parametrize("make", CASES.values(), ids=CASES.keys())
def test_a_bad_row_is_named_and_nothing_is_recorded(
    client, assister_user, sent_report, period_leads, elsewhere, make
):
    client.force_login(assister_user)
    workbook = download(client, sent_report)
    fill(workbook, period_leads[0], **GOOD)  # a good row: not recorded either
    row, column, words = make(workbook, period_leads, elsewhere)

    upload(client, sent_report, as_upload(workbook))

    result = Upload.objects.get()
    assert result.status == Upload.Status.REJECTED
    expected = f"Row {row}, “{column}”: "
    assert any(e.startswith(expected) and words in e for e in result.errors), result.errors
    assert len(result.errors) == 1, result.errors
    page = client.get(result.get_absolute_url()).content.decode()
    assert "nothing was recorded" in page and words.split("“")[0] in page
    _nothing_changed(sent_report, period_leads)


def _bytes(workbook) -> bytes:
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def handoff_sheet(client, report, leads):
    from openpyxl import Workbook

    from reports.handoff import HANDOFF_SPEC
    from reports.sheets import write_sheet

    out = io.BytesIO()
    write_sheet(HANDOFF_SPEC, [], out)
    return out.getvalue() or _bytes(Workbook())


def another_report(client, report, leads):
    workbook = fill(download(client, report), leads[0], **GOOD)
    about = workbook[ABOUT_SHEET]
    for row in about.iter_rows():
        if row[0].value == ABOUT_REPORT:
            row[1].value = report.pk + 1000
    return _bytes(workbook)


def not_xlsx(client, report, leads):
    return f"Referral ID,Contact Made\n{leads[0].number},Y\n".encode()


def empty(client, report, leads):
    return b""


def zip_bomb(client, report, leads):
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (60 * 1024 * 1024))
    return out.getvalue()


@pytest.mark.parametrize(
    "make, message",
    [
        (handoff_sheet, "This is not a “Preferred Assister Report” sheet"),
        (another_report, "This sheet was downloaded for another Preferred Assister Report"),
        (not_xlsx, "This file is not an Excel workbook (.xlsx)"),
        (empty, "The file is empty."),
        (zip_bomb, "zip bomb"),
    ],
)
def test_a_file_it_cannot_trust_is_refused(
    client, assister_user, sent_report, period_leads, make, message
):
    client.force_login(assister_user)
    upload(
        client,
        sent_report,
        SimpleUploadedFile("report.xlsx", make(client, sent_report, period_leads)),
    )
    result = Upload.objects.get()
    assert result.status == Upload.Status.REJECTED
    assert any(message in error for error in result.errors), result.errors
    _nothing_changed(sent_report, period_leads)


def test_a_file_over_the_size_limit_is_refused(
    client, assister_user, sent_report, period_leads, settings
):
    client.force_login(assister_user)
    workbook = fill(download(client, sent_report), period_leads[0], **GOOD)
    settings.UPLOAD_MAX_BYTES = 2000
    upload(client, sent_report, as_upload(workbook))
    result = Upload.objects.get()
    assert result.status == Upload.Status.REJECTED
    assert "the largest file accepted is 2.0" in result.errors[0]
    _nothing_changed(sent_report, period_leads)


def test_nothing_is_recorded_if_a_lead_moves_between_preview_and_confirm(
    client, assister_user, sent_report, period_leads, pal_coordinator
):
    from referrals import services

    client.force_login(assister_user)
    workbook = download(client, sent_report)
    fill(workbook, period_leads[0], **GOOD)
    fill(workbook, period_leads[1], contact_made="N", resolution="Unable to contact")
    upload(client, sent_report, as_upload(workbook))
    preview = Upload.objects.get()
    assert preview.can_confirm
    services.referral_withdraw(referral=period_leads[1], by=pal_coordinator, reason="Duplicate")

    confirm(client, preview)

    preview.refresh_from_db()
    assert preview.status == Upload.Status.REJECTED
    assert any(NOT_A_LEAD in e for e in preview.errors)
    assert Referral.objects.get(pk=period_leads[0].pk).state == State.SENT
    assert AssisterReport.objects.get(pk=sent_report.pk).status == AssisterReport.Status.SENT
