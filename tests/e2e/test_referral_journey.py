import re

import pytest
from django.core import mail
from playwright.sync_api import expect

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]


def test_it_refers_a_qhp_consumer_to_a_broker_and_the_coordinator_sees_it_sent(
    page, live_server, login, shot, pal_rep, pal_coordinator, make_org
):
    busy = make_org(
        "Metro Insurance Enrollment Center", kind="broker", counties=["Hennepin", "Washington"]
    )
    quiet = make_org(
        "Twin Cities Broker Enrollment Center", kind="broker", counties=["Hennepin", "Ramsey"]
    )
    make_org("Lakes Area Navigators", kind="navigator", counties=["Hennepin"])
    make_org("Suspended Brokers", kind="broker", counties=["Hennepin"], status="suspended")
    from referrals.models import County, Referral

    # Metro already holds an open lead, so Twin Cities should be pre-selected.
    Referral.objects.create(
        state="sent",
        created_by=pal_rep,
        consumer_name="Earlier Consumer",
        phone="612-555-0000",
        county=County.objects.get(name="Hennepin"),
        has_active_account=True,
        has_active_application=True,
        determination_qhp=True,
        reason_for_help="x",
        guidance_given="y",
        consent=True,
        assister_type="broker",
        type_reason="QHP",
        organization=busy,
    )
    mail.outbox.clear()

    login(pal_rep)
    shot("rep-home")
    page.get_by_role("link", name="New referral").first.click()
    expect(page.get_by_role("heading", name="New PAL referral")).to_be_visible()
    shot("intake-empty")

    page.fill("#id_consumer_name", "Ahmed Warsame")
    page.fill("#id_phone", "612-555-0199")
    page.fill("#id_email", "ahmed@example.org")
    page.select_option("#id_county", label="Hennepin")
    page.select_option("#id_language", label="Somali")
    page.locator("#q-has_active_account").get_by_label("Yes").check()
    page.locator("#q-has_active_application").get_by_label("Yes").check()
    page.locator("#q-determinations").get_by_label("QHP").check()
    page.fill("#id_reason_for_help", "Wants to compare silver plans with a broker in person")
    page.fill("#id_guidance_given", "Explained PAL; a broker will call within two business days")
    page.locator("#q-consent").get_by_label("Yes").check()
    shot("intake-filled")
    page.get_by_role("button", name="Find assisters").click()

    expect(page.locator("#routing")).to_contain_text("Refer to: Broker enrollment center")
    expect(page.locator("#type-reason")).to_contain_text("QHP determination")
    options = page.locator("#routing input[name=organization]")
    expect(options).to_have_count(2)  # neither the navigator nor the suspended broker
    expect(page.get_by_label(re.compile("Twin Cities Broker Enrollment Center"))).to_be_checked()
    shot("routing")
    page.get_by_role("button", name="Send referral").click()

    expect(page.locator("#referral-state")).to_have_text("Sent")
    shot("referral-sent")
    referral = Referral.objects.get(consumer_name="Ahmed Warsame")
    assert referral.organization == quiet

    assert len(mail.outbox) == 1
    lead = mail.outbox[0]
    assert lead.to == [quiet.lead_email]
    for answer in [
        "Does the consumer have an active account?\n  Yes",
        "Does the consumer have an active application?\n  Yes",
        "What is the household's current determination(s)?\n  QHP",
        "Wants to compare silver plans with a broker in person",
        "Explained PAL; a broker will call within two business days",
        "Did the consumer consent to have their information sent to an assister?\n  Yes",
        "Ahmed Warsame",
        "612-555-0199",
        "Somali",
    ]:
        assert answer in lead.body, answer

    login(pal_coordinator)
    shot("coordinator-home")
    page.goto(f"{live_server.url}/referrals/?state=sent")
    row = page.locator("tr", has_text="Ahmed Warsame")
    expect(row).to_contain_text("Twin Cities Broker Enrollment Center")
    expect(row).to_contain_text("Sent")
    shot("coordinator-list")
    row.get_by_role("link").first.click()
    expect(page.locator("#deliveries")).to_contain_text(quiet.lead_email)
    expect(page.locator("#deliveries")).to_contain_text("Sent")
    shot("coordinator-referral")

    page.get_by_role("link", name="Assister directory").click()
    expect(page.locator("table")).to_contain_text("Suspended Brokers")
    shot("directory")
    page.get_by_role("link", name="Twin Cities Broker Enrollment Center").click()
    expect(page.locator("#lead-email")).to_have_text(quiet.lead_email)
    shot("organization")

    # The organization wrote in with a new lead inbox: the coordinator fixes the contact.
    page.get_by_role("link", name="Edit").click()
    page.fill("#id_lead_email", "intake@twincities.example.org")
    page.fill("#id_note", "Email to assisterleads@ of 11/20")
    shot("organization-edit")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#lead-email")).to_have_text("intake@twincities.example.org")
    expect(page.locator("#changes")).to_contain_text(quiet.lead_email)
    expect(page.locator("#changes")).to_contain_text(str(pal_coordinator))
    shot("organization-history")
