"""A whole reporting round in the browser: the coordinator sends the Preferred Assister Report,
the assister records one outcome in the portal and uploads the sheet for the rest, and the
coordinator sees the report returned and the organization's figures move."""

import io
from datetime import date

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from referrals.models import AssisterReport, Referral
from referrals.reporting import create_reporting_periods
from referrals.states import State

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_a_reporting_round_from_sending_to_the_scorecard(
    page,
    live_server,
    login,
    shot,
    pal_coordinator,
    assister_user,
    make_org,
    make_sent_referral,
    mailoutbox,
    tmp_path,
    settings,
):
    settings.MEDIA_ROOT = tmp_path / "media"
    create_reporting_periods(
        start=date(2017, 11, 1), first_end=date(2017, 11, 15), length=14, count=5
    )
    lakes = make_org("Lakes Area Navigators", counties=["Hennepin"])
    lakes.members.add(assister_user)
    ana, ben, cy = (
        make_sent_referral(organization=lakes, sent_on=date(2017, 11, day), consumer_name=name)
        for day, name in [(6, "Ana Ortiz"), (8, "Ben Okafor"), (14, "Cy Lindqvist")]
    )

    # The coordinator sends the period's reports.
    login(pal_coordinator)
    page.get_by_role("link", name="Assister reports").first.click()
    page.get_by_role("link", name="11/01/2017 – 11/15/2017").click()
    expect(page.locator("#reports")).to_contain_text("Lakes Area Navigators")
    shot("period-before-sending")
    mailoutbox.clear()
    page.get_by_role("button", name="Send 1 report now").click()
    expect(page.get_by_text("1 report sent.")).to_be_visible()
    shot("period-sent")
    assert [m.to for m in mailoutbox] == [[lakes.lead_email]]
    assert mailoutbox[0].attachments[0][0].endswith(".xlsx")

    # The assister records Ana's outcome in the portal...
    login(assister_user)
    expect(page.locator('[data-queue="portal:home"]')).to_have_text("3")
    page.get_by_role("link", name="My leads").first.click()
    shot("portal-leads")
    page.get_by_role("link", name=ana.number).click()
    page.get_by_label("Y — reached the consumer").check()
    # The report's four columns at once (the lead page also offers the contact step alone).
    page.locator("form.outcome-form").get_by_label("Contact Date").fill("2017-11-07")
    page.get_by_label("Resolution").select_option(label="Enrolled in QHP")
    page.get_by_label("Comments").fill("Chose a silver plan")
    shot("portal-outcome")
    page.get_by_role("button", name="Save the outcome").click()
    expect(page.get_by_text(f"{ana.number}: outcome recorded.")).to_be_visible()
    expect(page.locator('[data-count="awaiting"]')).to_have_text("2")

    # ...then downloads the report, fills in the other two and uploads it.
    page.locator("#reports").get_by_role("link", name="Lakes Area Navigators").click()
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the report (.xlsx)").click()
    assert download_info.value.suggested_filename.startswith("preferred-assister-report-lakes")
    download_info.value.save_as(tmp_path / "report.xlsx")
    workbook = load_workbook(tmp_path / "report.xlsx")
    sheet = workbook["Preferred Assister Report"]
    header = [cell.value for cell in sheet[1]]
    column = {name: header.index(name) + 1 for name in header}
    rows = {sheet.cell(row=r, column=1).value: r for r in range(2, sheet.max_row + 1)}
    assert sheet.cell(row=rows[ana.number], column=column["Contact Made"]).value == "Y"
    for referral, answers in [
        (ben, {"Contact Made": "N", "Resolution": "Unable to contact"}),
        (
            cy,
            {
                "Contact Made": "Y",
                "Contact Date": date(2017, 11, 15),
                "Resolution": "Contact made appointment scheduled",
            },
        ),
    ]:
        for name, value in answers.items():
            sheet.cell(row=rows[referral.number], column=column[name], value=value)
    filled = io.BytesIO()
    workbook.save(filled)
    page.set_input_files(
        "input[type=file]",
        files=[
            {
                "name": "lakes-report.xlsx",
                "mimeType": "application/octet-stream",
                "buffer": filled.getvalue(),
            }
        ],
    )
    page.get_by_role("button", name="Check the report").click()
    expect(page.get_by_text("Confirming records 2 outcomes")).to_be_visible()
    shot("upload-preview")
    assert Referral.objects.get(pk=ben.pk).state == State.SENT  # nothing recorded yet
    page.get_by_role("button", name="Confirm and return the report").click()
    expect(page.get_by_text("Report returned: 2 outcomes recorded.")).to_be_visible()
    shot("upload-applied")

    # The coordinator sees the report returned (late: it was due 11/29/2017).
    login(pal_coordinator)
    page.get_by_role("link", name="Assister reports").first.click()
    page.get_by_role("link", name="11/01/2017 – 11/15/2017").click()
    row = page.locator("#reports tbody tr", has_text="Lakes Area Navigators")
    expect(row.locator("[data-status]")).to_have_text("Returned")
    expect(row).to_contain_text("late")
    shot("period-returned")

    # ...and the organization's scorecard: Ana and Cy reached within 2 business days, Ben not.
    page.get_by_role("link", name="Performance").first.click()
    page.get_by_label("Reporting period").select_option(label="11/01/2017–11/15/2017")
    page.get_by_role("button", name="Show").click()
    lakes_row = page.locator('#scorecard tbody tr[data-organization="Lakes Area Navigators"]')
    expect(lakes_row.locator('[data-figure="leads"]')).to_have_text("3")
    expect(lakes_row.locator('[data-figure="contacted_pct"]')).to_have_text("66.7")
    expect(lakes_row.locator('[data-figure="in_time_pct"]')).to_have_text("66.7")
    expect(lakes_row.locator('[data-figure="median_days"]')).to_have_text("1")
    expect(lakes_row.locator('[data-figure="reports_late"]')).to_have_text("1")
    shot("scorecard")
    assert AssisterReport.objects.get(organization=lakes).status == AssisterReport.Status.RETURNED
    # Cy's "Contact made appointment scheduled" leaves her lead in progress (issue 14).
    assert set(Referral.objects.values_list("state", flat=True)) == {
        State.COMPLETED,
        State.IN_PROGRESS,
    }
