"""The lead email: the seed's full content by default, or no contact details (LEAD_EMAIL_DETAIL)."""

import pytest

pytestmark = pytest.mark.django_db

AWKWARD_NAME = "O'Brien & Sons <x>"


@pytest.fixture
def lead_mail(make_org, make_referral, mailoutbox, settings, django_capture_on_commit_callbacks):
    settings.SITE_URL = "https://tracker.example.org"

    def _send(detail="full", org_name="Twin Cities Broker Enrollment Center", **fields):
        settings.LEAD_EMAIL_DETAIL = detail
        broker = make_org(org_name, kind="broker")
        with django_capture_on_commit_callbacks(execute=True):
            referral = make_referral(
                organization=broker, determination_qhp=True, determination_ma=False, **fields
            )
        (message,) = mailoutbox
        return referral, message, message.alternatives[0][0]

    return _send


@pytest.mark.parametrize(
    "contact_detail",
    ["Maria Lopez", "612-555-0142", "maria.lopez@example.org", "Spanish", "Explained the PAL"],
)
def test_it_leaves_contact_details_out_of_a_minimal_lead(lead_mail, contact_detail):
    _referral, message, html = lead_mail("minimal")

    for part in [message.subject, message.body, html]:
        assert contact_detail not in part


def test_it_gives_county_type_reason_and_a_portal_link_in_a_minimal_lead(lead_mail):
    referral, message, html = lead_mail("minimal")

    url = f"https://tracker.example.org/portal/leads/{referral.pk}/"
    for part in [message.body, html]:
        for expected in [
            referral.number,
            "Hennepin",
            "Broker",
            referral.type_reason,
            "Wants help comparing QHP plans in person",
            url,
        ]:
            assert expected in part, expected


def test_it_links_the_full_lead_to_the_portal_too(lead_mail):
    referral, message, html = lead_mail("full")

    url = f"https://tracker.example.org/portal/leads/{referral.pk}/"
    assert url in message.body
    assert f'href="{url}"' in html
    assert "Maria Lopez" in message.body  # the seed's content stays the default


@pytest.mark.parametrize("detail", ["full", "minimal"])
def test_it_sends_names_unescaped_in_plain_text(lead_mail, detail):
    _referral, message, html = lead_mail(
        detail, org_name=AWKWARD_NAME, consumer_name=AWKWARD_NAME, reason_for_help=AWKWARD_NAME
    )

    assert message.body.count(AWKWARD_NAME) == (3 if detail == "full" else 2)
    assert "&amp;" not in message.body and "&#x27;" not in message.body
    assert "O&#x27;Brien &amp; Sons &lt;x&gt;" in html
