"""The outcome rules shared by the Preferred Assister Report import and the assister portal."""

from datetime import date, datetime
from types import SimpleNamespace

import pytest
from django.utils import timezone

from referrals.outcomes import outcome_errors

TODAY = date(2017, 11, 20)
REFERRAL = SimpleNamespace(sent_at=timezone.make_aware(datetime(2017, 11, 6, 10, 0)))


@pytest.mark.parametrize(
    "made,on,resolution,comments,field,words",
    [
        (True, date(2017, 11, 7), "enrolled_qhp", "", None, None),
        (False, None, "unable_to_contact", "Left two voicemails", None, None),
        (None, None, "unable_to_contact", "", "contact_made", "must be Y or N"),
        (True, None, "enrolled_qhp", "", "contact_date", "required when Contact Made is Y"),
        (False, date(2017, 11, 7), "unable_to_contact", "", "contact_date", "Leave Contact Date"),
        (True, date(2017, 11, 21), "enrolled_qhp", "", "contact_date", "is in the future"),
        (True, date(2017, 11, 5), "enrolled_qhp", "", "contact_date", "before the lead was sent"),
        (True, date(2017, 11, 7), "", "", "resolution", "Choose a Resolution"),
        (True, date(2017, 11, 7), "Enrolled", "", "resolution", "not one of the Resolution"),
        (True, date(2017, 11, 7), "unable_to_contact", "", "resolution", "contradicts"),
        (False, None, "enrolled_qhp", "", "resolution", "must be “Unable to contact”"),
        (True, date(2017, 11, 7), "enrolled_qhp", "x" * 2001, "comments", "at most 2000"),
    ],
)
def test_it_checks_outcomes_in_the_reports_words(made, on, resolution, comments, field, words):
    errors = outcome_errors(
        REFERRAL,
        contact_made=made,
        contact_date=on,
        resolution=resolution,
        comments=comments,
        today=TODAY,
    )
    if field is None:
        assert errors == {}
    else:
        assert list(errors) == [field]
        assert words in errors[field]
