"""The outreach email to the CSR's supervisor: no full identifiers, a link to the case."""

import pytest

from cases.emails import send_outreach_required
from cases.models import Participant

pytestmark = pytest.mark.django_db

AWKWARD_NAME = "O'Brien & Sons <x>"


@pytest.fixture
def outreach_mail(log_case, settings, mailoutbox):
    settings.SITE_URL = "https://tracker.example.org/"

    def _send(**participant):
        people = [
            Participant(
                **{
                    "name": "Maria Lopez",
                    "ma_number": "10000004321",
                    "ssn": "123456789",
                    **participant,
                }
            )
        ]
        case = log_case(participants=people)
        mailoutbox.clear()
        send_outreach_required(case.pk)
        (message,) = mailoutbox
        return case, message, message.alternatives[0][0]

    return _send


def test_it_shows_the_ma_number_masked_and_no_ssn(outreach_mail):
    _case, message, html = outreach_mail()

    for part in [message.subject, message.body, html]:
        assert "10000004321" not in part
        assert "6789" not in part  # not even the SSN's last four
    assert "*******4321" in message.body
    assert "*******4321" in html


def test_it_links_to_the_case_page(outreach_mail):
    case, message, html = outreach_mail()

    url = f"https://tracker.example.org/cases/{case.pk}/"
    assert url in message.body
    assert f'href="{url}"' in html


def test_it_sends_names_unescaped_in_plain_text(outreach_mail):
    _case, message, html = outreach_mail(name=AWKWARD_NAME)

    assert AWKWARD_NAME in message.body
    assert "&amp;" not in message.body and "&#x27;" not in message.body
    assert "O&#x27;Brien &amp; Sons &lt;x&gt;" in html
