"""The Preferred Assister Report email."""

from datetime import date

import pytest

from referrals.reporting import reports_for_period
from reports.assister_send import report_email

pytestmark = pytest.mark.django_db

AWKWARD_NAME = "O'Brien & Sons <x>"


def test_it_sends_names_unescaped_in_plain_text(oe5, make_org, make_sent_referral):
    org = make_org(AWKWARD_NAME)
    make_sent_referral(organization=org, sent_on=date(2017, 11, 6))
    (report,) = reports_for_period(oe5[0])

    message = report_email(report)

    assert f"Hello {AWKWARD_NAME}," in message.body
    assert "&amp;" not in message.body and "&#x27;" not in message.body
