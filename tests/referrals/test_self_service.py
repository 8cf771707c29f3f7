"""Self-service in the assister portal (issue 14): an assister pauses and resumes new leads and
asks for a contact change for their own organization only; coordinators are told by email,
approve or reject the change, and the history keeps both contacts."""

from datetime import datetime, time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import ContactChange, County, OrganizationChange
from referrals.routing import eligible_organizations
from tests.conftest import make_user
from tracker import roles

pytestmark = pytest.mark.django_db


@pytest.fixture
def lakes(make_org, assister_user):
    org = make_org("Lakes Area Navigators", lead_email="old@lakes.example.org")
    org.contact_name = "Old Contact"
    org.save()
    org.members.add(assister_user)
    return org


@pytest.fixture
def north(make_org):
    """Another organization, with its own assister."""
    org = make_org("North Star Navigators")
    org.members.add(make_user("assister.north", roles.ASSISTER))
    return org


@pytest.fixture
def coordinator(pal_coordinator):
    pal_coordinator.email = "coord@mnsure.example.org"
    pal_coordinator.save()
    return pal_coordinator


def offered(org):
    hennepin = County.objects.get(name="Hennepin")
    return org in eligible_organizations(assister_type=org.kind, county=hennepin)


PAGES = [
    ("get", "portal:organization", None),
    ("post", "portal:pause", {"pause_reason": "Staff away"}),
    ("post", "portal:resume", {}),
    ("post", "portal:contact", {"contact_name": "New", "lead_email": "new@example.org"}),
    ("post", "portal:thread_new", {"subject": "Hi", "body": "A question"}),
]
# Who may use an organization's self-service pages: its own assister only.
WHO = [
    ("assister_user", True),  # Lakes' assister
    ("other_assister", False),  # North's assister, on Lakes' pages
    ("pal_coordinator", False),  # coordinators act on the directory's pages instead
    ("pal_rep", False),
    ("csr", False),
]


@pytest.fixture
def other_assister(north):
    return north.members.get()


@pytest.mark.parametrize("method, name, data", PAGES, ids=[p[1] for p in PAGES])
@pytest.mark.parametrize("who, allowed", WHO, ids=[w[0] for w in WHO])
def test_it_lets_only_the_organizations_own_assister_in(
    client, request, lakes, north, method, name, data, who, allowed
):
    if name == "portal:resume":
        services.organization_pause(organization=lakes, by=lakes.members.get(), reason="Away")
    client.force_login(request.getfixturevalue(who))
    response = getattr(client, method)(reverse(name, args=[lakes.pk]), data)
    if allowed:
        assert response.status_code in (200, 302)
    else:
        assert response.status_code in (403, 404)
        assert not ContactChange.objects.exists() and not lakes.threads.exists()
        lakes.refresh_from_db()
        assert lakes.pause_reason in ("", "Away")


def test_anonymous_visitors_are_sent_to_login(client, lakes):
    response = client.get(reverse("portal:organization", args=[lakes.pk]))
    assert response.status_code == 302 and response.url.startswith(reverse("login"))


def test_my_organization_goes_straight_to_it(client, assister_user, lakes):
    client.force_login(assister_user)
    response = client.get(reverse("portal:organizations"))
    assert response.url == reverse("portal:organization", args=[lakes.pk])


def test_it_pauses_new_leads_at_once_and_tells_the_coordinators(
    client, assister_user, lakes, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(assister_user)
    until = timezone.localdate() + timedelta(days=6)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("portal:pause", args=[lakes.pk]),
            {"pause_reason": "Office closed for the move", "paused_until": until.isoformat()},
        )
    assert response.status_code == 302
    assert not offered(lakes)
    lakes.refresh_from_db()
    assert (lakes.paused_from, lakes.paused_until) == (timezone.localdate(), until)
    (mail,) = mailoutbox
    assert mail.to == ["coord@mnsure.example.org"]
    assert mail.subject == "Lakes Area Navigators takes no new leads"
    assert "Office closed for the move" in mail.body
    change = lakes.changes.get(field=OrganizationChange.Field.TAKING_LEADS)
    assert (change.old_value, change.changed_by) == ("Yes", assister_user)
    page = client.get(reverse("portal:organization", args=[lakes.pk])).content.decode()
    assert f"until {until:%m/%d/%Y}: Office closed for the move" in page


def test_a_pause_ends_by_itself_after_its_last_day(lakes, assister_user, time_machine):
    today = timezone.localdate()
    services.organization_pause(
        organization=lakes, by=assister_user, reason="Away", paused_until=today + timedelta(days=2)
    )
    assert not offered(lakes)
    time_machine.move_to(timezone.make_aware(datetime.combine(today + timedelta(days=3), time(12))))
    assert offered(lakes)


def test_it_resumes_new_leads_and_tells_the_coordinators(
    client, assister_user, lakes, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    services.organization_pause(organization=lakes, by=assister_user, reason="Away")
    client.force_login(assister_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("portal:resume", args=[lakes.pk]))
    assert offered(lakes)
    assert [m.subject for m in mailoutbox] == ["Lakes Area Navigators takes new leads again"]


@pytest.mark.parametrize(
    "data, field",
    [
        ({"pause_reason": ""}, "pause_reason"),
        ({"pause_reason": "   "}, "pause_reason"),
        ({"pause_reason": "x" * 1001}, "pause_reason"),
        ({"pause_reason": "Away", "paused_from": "2099-01-10", "paused_until": "2099-01-01"},
         "paused_until"),
        ({"pause_reason": "Away", "paused_from": "2017-01-01", "paused_until": "2017-01-02"},
         "paused_until"),
        ({"pause_reason": "Away", "paused_until": "not a date"}, "paused_until"),
    ],
)  # fmt: skip
def test_a_bad_pause_names_the_field_and_changes_nothing(client, assister_user, lakes, data, field):
    client.force_login(assister_user)
    response = client.post(reverse("portal:pause", args=[lakes.pk]), data)
    assert response.status_code == 400
    assert response.context["pause_form"].errors[field]
    assert "There is a problem" in response.content.decode()
    assert offered(lakes)


def test_a_contact_change_waits_for_approval_and_history_keeps_both(
    client, assister_user, lakes, coordinator, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(assister_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("portal:contact", args=[lakes.pk]),
            {"contact_name": "Dana Lind", "lead_email": "dana@lakes.example.org",
             "phone": "612-555-0142", "note": "Old contact retired"},
        )  # fmt: skip
    lakes.refresh_from_db()
    assert lakes.lead_email == "old@lakes.example.org"  # until approved
    assert [m.subject for m in mailoutbox] == [
        "Lakes Area Navigators asks to change its designated contact"
    ]
    change = ContactChange.objects.get()
    assert change.is_pending

    client.force_login(coordinator)
    page = client.get(lakes.get_absolute_url()).content.decode()
    assert "Contact change waiting for approval" in page and "dana@lakes.example.org" in page
    client.post(reverse("referrals:contact_change_approve", args=[change.pk]), {"note": "Called"})

    lakes.refresh_from_db()
    assert (lakes.contact_name, lakes.lead_email, lakes.phone) == (
        "Dana Lind", "dana@lakes.example.org", "612-555-0142"
    )  # fmt: skip
    change.refresh_from_db()
    assert (change.status, change.decided_by) == ("approved", coordinator)
    email_change = lakes.changes.get(field=OrganizationChange.Field.LEAD_EMAIL)
    assert (email_change.old_value, email_change.new_value) == (
        "old@lakes.example.org", "dana@lakes.example.org"
    )  # fmt: skip
    contact = lakes.changes.get(field=OrganizationChange.Field.CONTACT)
    assert "Old Contact" in contact.old_value and "Dana Lind" in contact.new_value
    versions = lakes.history.order_by("history_date")
    assert versions.first().lead_email == "old@lakes.example.org"
    assert versions.last().lead_email == "dana@lakes.example.org"


def test_a_rejected_change_keeps_the_contact_and_says_why(
    client, assister_user, lakes, coordinator
):
    change = services.contact_change_request(
        organization=lakes, by=assister_user, contact_name="X", lead_email="x@gmail.example.com"
    )
    client.force_login(coordinator)
    url = reverse("referrals:contact_change_reject", args=[change.pk])
    client.post(url, {"note": ""})  # a rejection needs a reason
    change.refresh_from_db()
    assert change.is_pending
    client.post(url, {"note": "Use your organization's address, not a personal one"})
    change.refresh_from_db()
    lakes.refresh_from_db()
    assert change.status == "rejected" and lakes.lead_email == "old@lakes.example.org"
    client.force_login(assister_user)
    page = client.get(reverse("portal:organization", args=[lakes.pk])).content.decode()
    assert "Rejected" in page and "not a personal one" in page


def test_a_second_request_replaces_the_waiting_one(assister_user, lakes):
    first = services.contact_change_request(
        organization=lakes, by=assister_user, contact_name="A", lead_email="a@example.org"
    )
    services.contact_change_request(
        organization=lakes, by=assister_user, contact_name="B", lead_email="b@example.org"
    )
    first.refresh_from_db()
    assert first.status == "superseded"
    assert lakes.contact_changes.get(status="pending").contact_name == "B"
    with pytest.raises(ValueError, match="already"):
        services.contact_change_approve(change=first, by=assister_user)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"contact_name": "", "lead_email": "a@example.org"}, "contact_name"),
        ({"contact_name": "A", "lead_email": "not an email"}, "lead_email"),
        ({"contact_name": "A", "lead_email": "a@example.org", "phone": "12"}, "phone"),
        ({"contact_name": "A" * 201, "lead_email": "a@example.org"}, "contact_name"),
    ],
)
def test_a_bad_contact_change_names_the_field(client, assister_user, lakes, data, field):
    client.force_login(assister_user)
    response = client.post(reverse("portal:contact", args=[lakes.pk]), data)
    assert response.status_code == 400
    assert response.context["contact_form"].errors[field]
    assert not ContactChange.objects.exists()


def test_the_coordinator_pauses_on_the_organization_form(client, pal_coordinator, lakes):
    client.force_login(pal_coordinator)
    today = timezone.localdate()
    data = {
        "name": lakes.name, "kind": lakes.kind, "contact_name": "Old Contact",
        "lead_email": lakes.lead_email, "counties": [County.objects.get(name="Hennepin").pk],
        "paused_from": today.isoformat(), "pause_reason": "",
    }  # fmt: skip
    response = client.post(reverse("referrals:organization_edit", args=[lakes.pk]), data)
    assert response.status_code == 200  # a pause needs a reason
    assert response.context["form"].errors["pause_reason"]
    data["pause_reason"] = "Asked by phone"
    client.post(reverse("referrals:organization_edit", args=[lakes.pk]), data)
    assert not offered(lakes)
    change = lakes.changes.get(field=OrganizationChange.Field.TAKING_LEADS)
    assert change.new_value == f"No, {today:%m/%d/%Y} until resumed"
