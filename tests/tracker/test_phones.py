"""US phone numbers: validated and stored one way, 612-555-0199 (issue 11, decision 0007)."""

import importlib

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tracker.phones import normalize_us_phone


@pytest.mark.parametrize(
    "typed, stored",
    [
        ("612-555-0199", "612-555-0199"),
        ("(612) 555-0199", "612-555-0199"),
        ("612.555.0199", "612-555-0199"),
        ("6125550199", "612-555-0199"),
        ("1 612 555 0199", "612-555-0199"),
        ("+1 (651) 296-3000", "651-296-3000"),
        ("  800-657-3739 ", "800-657-3739"),
        ("", ""),
    ],
)
def test_it_stores_a_us_number_one_way(typed, stored):
    assert normalize_us_phone(typed) == stored


@pytest.mark.parametrize(
    "typed",
    [
        "612-555-0199 <script>al",
        "612-555-0199 x12",  # extensions: no column for them, the assister would misdial
        "612-555-019",
        "612-555-01999",
        "999-555-0199",  # no such area code
        "+44 20 7946 0958",  # a valid number, but not a US one
        "+1 416 555 0199",  # Toronto: +1, but not the US
        "call me",
        "612\u00a0555\u00a00199",
        "٦١٢٥٥٥٠١٩٩",
        "1" * 31,
    ],
)
def test_it_refuses_what_is_not_a_us_number(typed):
    with pytest.raises(ValidationError, match="US phone number"):
        normalize_us_phone(typed)


def test_it_refuses_markup_in_the_referral_phone_and_saves_nothing(client, pal_rep, make_org):
    from referrals.models import County, Referral

    make_org("Metro Brokers", kind="broker")
    client.force_login(pal_rep)
    data = {
        "consumer_name": "Ahmed Warsame",
        "phone": "612-555-0199 <script>al",
        "county": County.objects.get(name="Hennepin").pk,
        "language": "Somali",
        "has_active_account": "yes",
        "has_active_application": "yes",
        "determinations": ["qhp"],
        "reason_for_help": "Compare plans",
        "guidance_given": "A broker will call",
        "consent": "yes",
    }
    response = client.post(reverse("referrals:new"), data)
    html = response.content.decode()
    assert "Give a US phone number with its area code" in html
    assert "<script>al" not in html  # shown back escaped, never as markup
    assert not Referral.objects.exists()


def test_it_stores_the_referral_phone_as_typed_in_one_format(make_org, make_referral):
    referral = make_referral(
        organization=make_org("Metro Brokers", kind="broker"), phone="(612) 555 0142"
    )
    referral.refresh_from_db()
    assert referral.phone == "612-555-0142"


def test_it_normalises_the_phones_already_stored_and_keeps_what_it_cannot_read(
    make_org, make_referral
):
    from django.apps import apps

    from referrals.models import AssisterOrganization, Referral

    org = make_org("Metro Brokers", kind="broker")
    referral = make_referral(organization=org)
    # Written the old way, past the field's normalisation (as the rows of a live database are).
    Referral.objects.filter(pk=referral.pk).update(phone="(612) 555 0142")
    AssisterOrganization.objects.filter(pk=org.pk).update(phone="call the front desk")
    migration = importlib.import_module("referrals.migrations.0008_normalize_phones")

    migration.normalize(apps, None)

    assert Referral.objects.get(pk=referral.pk).phone == "612-555-0142"
    assert AssisterOrganization.objects.get(pk=org.pk).phone == "call the front desk"
