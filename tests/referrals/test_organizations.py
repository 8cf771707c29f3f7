import pytest
from django.urls import reverse
from django.utils import timezone

from referrals.models import AssisterOrganization, County, OrganizationChange, OrganizationRequest

pytestmark = pytest.mark.django_db


def form_data(org, **overrides):
    data = {
        "name": org.name,
        "kind": org.kind,
        "lead_email": org.lead_email,
        "phone": "",
        "counties": [c.pk for c in org.counties.all()],
        "note": "",
    }
    data.update(overrides)
    return data


def test_it_records_contact_email_changes_with_who_and_when(client, pal_coordinator, make_org):
    org = make_org("Lakes Area Navigators", lead_email="old@lakes.example.org")
    client.force_login(pal_coordinator)
    before = timezone.now()
    response = client.post(
        reverse("referrals:organization_edit", args=[org.pk]),
        form_data(org, lead_email="new@lakes.example.org", note="Their email of 11/02"),
    )
    assert response.status_code == 302
    change = OrganizationChange.objects.get(organization=org, field="lead_email")
    assert (change.old_value, change.new_value) == (
        "old@lakes.example.org",
        "new@lakes.example.org",
    )
    assert change.changed_by == pal_coordinator
    assert change.changed_at >= before
    assert change.note == "Their email of 11/02"

    page = client.get(org.get_absolute_url()).content.decode()
    assert "old@lakes.example.org" in page
    assert str(pal_coordinator) in page


def test_it_records_no_change_when_the_email_stays(client, pal_coordinator, make_org):
    org = make_org("Lakes Area Navigators")
    client.force_login(pal_coordinator)
    client.post(
        reverse("referrals:organization_edit", args=[org.pk]), form_data(org, phone="651-555-0000")
    )
    assert not OrganizationChange.objects.filter(field="lead_email").exists()


def test_it_adds_an_organization(client, pal_coordinator):
    client.force_login(pal_coordinator)
    counties = County.objects.filter(name__in=["Hennepin", "Anoka"])
    response = client.post(
        reverse("referrals:organization_new"),
        {
            "name": "New Brokers",
            "kind": "broker",
            "lead_email": "leads@new.example.org",
            "counties": [c.pk for c in counties],
        },
    )
    org = AssisterOrganization.objects.get(name="New Brokers")
    assert response.url == org.get_absolute_url()
    assert set(org.counties.all()) == set(counties)
    assert org.changes.get().field == "created"


def test_it_suspends_and_resumes(client, pal_coordinator, make_org):
    org = make_org("Prairie Brokers", kind="broker")
    client.force_login(pal_coordinator)
    client.post(
        reverse("referrals:organization_suspend", args=[org.pk]),
        {"reason": "No capacity until January", "suspended_until": "2027-01-05"},
    )
    org.refresh_from_db()
    assert org.status == "suspended"
    assert org.suspension_reason == "No capacity until January"
    assert org.suspended_on == timezone.localdate()
    assert str(org.suspended_until) == "2027-01-05"

    client.post(reverse("referrals:organization_resume", args=[org.pk]), {"note": "Back"})
    org.refresh_from_db()
    assert org.status == "active" and org.resumed_on == timezone.localdate()
    assert list(org.changes.filter(field="status").values_list("new_value", flat=True)) == [
        "active",
        "suspended",
    ]


def test_it_requires_a_reason_to_suspend(client, pal_coordinator, make_org):
    org = make_org("Prairie Brokers", kind="broker")
    client.force_login(pal_coordinator)
    client.post(reverse("referrals:organization_suspend", args=[org.pk]), {"reason": ""})
    org.refresh_from_db()
    assert org.status == "active"


def test_it_logs_and_handles_requests_from_organizations(client, pal_coordinator, make_org):
    org = make_org("Prairie Brokers", kind="broker")
    client.force_login(pal_coordinator)
    client.post(
        reverse("referrals:request_new", args=[org.pk]),
        {
            "kind": "update_contact",
            "received_on": "2026-11-20",
            "details": "Use intake@ from now on",
        },
    )
    logged = OrganizationRequest.objects.get()
    assert logged.logged_by == pal_coordinator and logged.is_open
    assert "Use intake@" in client.get(reverse("referrals:requests")).content.decode()

    client.post(
        reverse("referrals:request_handle", args=[logged.pk]), {"response": "Email updated"}
    )
    logged.refresh_from_db()
    assert logged.handled_by == pal_coordinator and not logged.is_open


def test_it_lists_organizations_with_their_open_leads(
    client, pal_coordinator, make_org, make_referral
):
    org = make_org("Metro Brokers", kind="broker")
    make_referral(organization=org)
    client.force_login(pal_coordinator)
    response = client.get(reverse("referrals:organizations"))
    row = next(iter(response.context["table"].rows))
    assert row.record == org and row.record.open_leads == 1


def test_it_heads_the_lead_email_column_and_shows_each_address(client, pal_coordinator, make_org):
    make_org("Metro Brokers", kind="broker", lead_email="leads@metro.example.org")
    client.force_login(pal_coordinator)
    html = client.get(reverse("referrals:organizations")).content.decode()
    assert html.count("Designated lead email") == 1  # the header, not every row
    assert '<a href="mailto:leads@metro.example.org">leads@metro.example.org</a>' in html


def test_it_names_the_assister_type_on_the_unmet_requests_page(client, pal_coordinator, pal_rep):
    from referrals.models import County, UnmetRequest

    UnmetRequest.objects.create(
        county=County.objects.get(name="Ramsey"), assister_type="broker", recorded_by=pal_rep
    )
    client.force_login(pal_coordinator)
    html = client.get(reverse("referrals:unmet")).content.decode()
    assert "<td>Broker enrollment center</td>" in html
    assert "<td>broker</td>" not in html


# ---- the profile (issue 14) -------------------------------------------------------------------
def test_it_records_languages_and_the_maximum_with_their_history(client, pal_coordinator, make_org):
    from referrals.models import Language

    org = make_org("Lakes Area Navigators")
    somali, hmong = Language.objects.get(name="Somali"), Language.objects.get(name="Hmong")
    client.force_login(pal_coordinator)
    response = client.post(
        reverse("referrals:organization_edit", args=[org.pk]),
        form_data(org, languages=[somali.pk, hmong.pk], max_open_leads="25", note="Their email"),
    )
    assert response.status_code == 302
    org.refresh_from_db()
    assert set(org.languages.values_list("name", flat=True)) == {"Somali", "Hmong"}
    assert org.max_open_leads == 25
    page = client.get(org.get_absolute_url()).content.decode()
    assert '<dd id="languages">Somali, Hmong</dd>' in page
    assert '<dd id="max-open-leads">25</dd>' in page
    history = page[page.index('id="field-history"') :]
    assert "Languages served" in history and "Maximum open leads" in history


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"max_open_leads": "10001"}, "max_open_leads"),
        ({"max_open_leads": "-1"}, "max_open_leads"),
        ({"max_open_leads": "9" * 30}, "max_open_leads"),
        ({"languages": ["999999999"]}, "languages"),
        ({"languages": ["9" * 30]}, "languages"),
        ({"paused_until": "2099-01-01"}, "paused_from"),
        ({"paused_from": "2099-01-01", "pause_reason": "x", "paused_until": "2098-01-01"},
         "paused_until"),
    ],
)  # fmt: skip
def test_a_bad_profile_names_the_field_and_saves_nothing(
    client, pal_coordinator, make_org, overrides, field
):
    org = make_org("Lakes Area Navigators")
    client.force_login(pal_coordinator)
    response = client.post(
        reverse("referrals:organization_edit", args=[org.pk]), form_data(org, **overrides)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    org.refresh_from_db()
    assert org.max_open_leads is None and not org.languages.exists() and org.paused_from is None


def test_the_directory_shows_languages_pauses_and_the_maximum(
    client, pal_coordinator, make_org, django_assert_max_num_queries
):
    from referrals.models import Language

    for i in range(6):
        org = make_org(f"Org {i}", max_open_leads=10 if i % 2 else None)
        org.languages.set(Language.objects.filter(name__in=["English", "Somali"]))
    paused = make_org("Paused Navigators", paused_from=timezone.localdate(), pause_reason="Move")
    client.force_login(pal_coordinator)
    with django_assert_max_num_queries(12):
        page = client.get(reverse("referrals:organizations")).content.decode()
    assert page.count("English, Somali") == 6 and "0 of at most 10" in page
    row = page[page.index(paused.name) :].split("</tr>")[0]
    assert "No new leads" in row and "until resumed: Move" in row
