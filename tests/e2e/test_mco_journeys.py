"""The seed's procedure end to end in a real browser: CSR intake, QC vetting, State Monitor
processing and supervisor outreach."""

import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from cases.models import Case
from cases.states import State

# No serialized_rollback: after each transactional test's flush, post_migrate re-creates the roles
# and counties (tracker.roles.sync_roles, referrals.counties). Restoring the serialized copy on
# top of those clashed on auth_group.name when tests/e2e ran alone.
pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def _fill_participant(page, index, name, ma, ssn):
    page.fill(f"input[name=participants-{index}-name]", name)
    page.fill(f"input[name=participants-{index}-ma_number]", ma)
    page.fill(f"input[name=participants-{index}-ssn]", ssn)


def _case_from_page(page) -> Case:
    number = page.locator("h1 .case-number").inner_text()
    return Case.objects.get(pk=int(number.removeprefix("MCO-")))


def test_it_takes_a_for_cause_case_from_intake_to_outreach_max_attempts(
    page, live_server, login, shot, csr, qc_lead, supervisor, mcos
):
    login(csr)
    shot("csr-home")
    page.click("text=Log a case")
    shot("choose-kind")
    page.click("a.kind-choice:has-text('For Cause Reason')")
    _fill_participant(page, 0, "Maria Lopez", "10000000001", "123-45-6789")
    page.click("#add-participant")
    _fill_participant(page, 1, "Leo Lopez", "10000000002", "223-45-6780")
    page.select_option("select[name=for_cause_reason]", label="New County")
    page.select_option("select[name=target_mco]", label="Priority Partners")
    page.fill("input[name=consumer_phone]", "(410) 555-0142")
    page.fill("input[name=best_time_to_call]", "Weekdays after 3 pm")
    page.check("input[name=supervisor_requested][value=yes]")
    expect(page.locator("#preview-subject")).to_have_text("For Cause Reason – New County")
    expect(page.locator("#preview-doc")).to_have_text(
        "Maria Lopez, Leo Lopez/New County/10000000001, 10000000002/"
        "***-**-6789, ***-**-6780/Priority Partners"
    )
    shot("intake-filled")
    page.click("button:has-text('Log the case')")
    expect(page.locator("h1")).to_contain_text("For Cause Reason – New County")
    case = _case_from_page(page)
    assert case.state == State.ESCALATED
    assert case.participants.count() == 2
    expect(page.locator(".messages")).to_contain_text(f"Case {case.number} logged")
    shot("case-logged")

    login(qc_lead)
    page.click("nav >> text=QC queue")
    row = page.locator(f"tr[data-case='{case.number}']")
    expect(row).to_be_visible()
    shot("qc-queue")
    row.locator("input[name=selection]").check()
    page.fill("textarea[name=reason]", "Consumer's county has not changed in MMIS")
    page.click("button[name=verdict][value=false]")
    expect(page.locator(".messages")).to_contain_text("Vetted 1 case(s) false")
    shot("qc-vetted-false")

    login(supervisor)
    page.click("nav >> text=Outreach")
    shot("outreach-list")
    row = page.locator(f"tr[data-case='{case.number}']")
    expect(row).to_be_visible()
    today = timezone.localdate().isoformat()
    for attempt in (1, 2):
        page.goto(f"{live_server.url}{case.get_absolute_url()}")
        form = page.locator("form[data-action=record_attempt]")
        # The number to call, as a tel: link, beside the attempts already made.
        expect(form.locator("a.phone")).to_have_attribute("href", "tel:+1-410-555-0142")
        expect(form.locator("a.phone")).to_have_text("410-555-0142")
        expect(form).to_contain_text("Weekdays after 3 pm")
        expect(form).to_contain_text(f"Attempts made: {attempt - 1} of 2")
        form.locator("input[name=made_on]").fill(today)
        form.locator("select[name=method]").select_option("phone")
        form.locator("input[name=reached][value=no]").check()
        form.locator("textarea[name=note]").fill(f"Voicemail, attempt {attempt}")
        shot(f"attempt-{attempt}-form")
        form.locator("button[type=submit]").click()
        expect(page.locator(".messages")).to_contain_text("Record outreach attempt — done")
    shot("case-max-attempts")

    expect(page.locator(".lead")).to_contain_text("Outreach Max Attempts")
    expect(page.locator("dl.taxonomy")).to_contain_text("Outreach Max Attempts")
    timeline = page.locator("ol.timeline li")
    expect(timeline).to_have_count(4)  # logged, vetted false, one entry per attempt
    expect(page.locator("ol.timeline")).to_contain_text("Escalated")
    expect(page.locator("ol.timeline")).to_contain_text("Outreach Required")
    expect(page.locator("ol.timeline")).to_contain_text("Outreach 1st Attempt")
    expect(page.locator("ol.timeline")).to_contain_text(
        f"Outreach attempt 2 by Phone on {timezone.localdate():%m/%d/%Y}: not reached."
    )
    expect(page.locator("form[data-action]")).to_have_count(0)  # nothing left to do
    case.refresh_from_db()
    assert case.state == State.OUTREACH_MAX_ATTEMPTS
    assert case.outreach_attempts.count() == 2


def test_it_takes_an_mct_span_case_to_processed_in_mmis(
    page, live_server, login, shot, csr, qc_lead, monitor, mcos
):
    login(csr)
    page.goto(f"{live_server.url}/cases/new/")
    page.click("a.kind-choice:has-text('MCT Span')")
    _fill_participant(page, 0, "James Carter", "10000000007", "323456783")
    page.select_option("select[name=target_mco]", label="MedStar Family Choice")
    page.fill("input[name=consumer_phone]", "410-555-0177")
    expect(page.locator("#preview-subject")).to_have_text("MCT Span")
    shot("intake-filled")
    page.click("button:has-text('Log the case')")
    case = _case_from_page(page)
    expect(page.locator("code")).to_contain_text("***-**-6783")
    shot("case-logged")

    login(qc_lead)
    page.goto(f"{live_server.url}/cases/qc/?kind=mct_span")
    shot("qc-queue-filtered")
    page.locator(f"tr[data-case='{case.number}'] input[name=selection]").check()
    page.click("button[name=verdict][value=true]")
    expect(page.locator(".messages")).to_contain_text("Vetted 1 case(s) true")
    expect(page.locator(f"tr[data-case='{case.number}']")).to_have_count(0)
    shot("qc-vetted-true")

    login(monitor)
    page.click("nav >> text=True tracker cases")
    row = page.locator(f"tr[data-case='{case.number}']")
    expect(row).to_contain_text("323-45-6783")  # full identifiers for the State Monitor
    shot("monitor-list")
    row.locator("a:has-text('Processed / not processed')").click()
    shot("monitor-case")
    form = page.locator("form[data-action=mark_processed]")
    form.locator("input[name=mmis_date]").fill(timezone.localdate().isoformat())
    form.locator("input[name=mmis_reference]").fill("MMIS-4411")
    form.locator("button[type=submit]").click()
    expect(page.locator(".messages")).to_contain_text("Mark processed in MMIS — done")
    expect(page.locator(".lead")).to_contain_text("Processed in MMIS")
    expect(page.locator("ol.timeline")).to_contain_text(re.compile("Processed in MMIS on"))
    shot("case-processed")
    case.refresh_from_db()
    assert case.state == State.PROCESSED
    assert case.mmis_reference == "MMIS-4411"
