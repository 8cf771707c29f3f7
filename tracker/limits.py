"""How long each kind of free text may be (DESIGN.md "Limits"): one place for every number.

Models declare their text fields with these numbers; ModelForms inherit them, plain forms use
them too, and the spreadsheet specs read the model field's `max_length`. So the browser, the
form, the model's full_clean and the sheet reader all refuse the same text.
"""

from django.core.validators import MaxLengthValidator
from django.db import models

NOTE = 2_000  # notes, comments, details, responses
REASON = 1_000  # why a step was taken: vet false, return, withdraw, reassign, suspend...
NAME = 200  # people, organizations, providers
MMIS_REFERENCE = 50
PHONE = 30  # what a person may type; stored as 612-555-0199
EMAIL = 254  # the longest address SMTP carries (RFC 5321), Django's EmailField default
BEST_TIME_TO_CALL = 100  # "weekdays after 3 pm, not Fridays"
SUBJECT = 150  # a message thread's subject line
# An organization's "maximum open leads" (issue 14): far above any navigator's caseload, and a
# number every database integer column holds.
MAX_OPEN_LEADS = 10_000
# Largest "older than N business days" a list accepts: ~40 years, past any case we keep, and
# small enough that the date arithmetic stays in range and quick.
AGE_FILTER_MAX_BUSINESS_DAYS = 10_000
# How far ahead an assister may put a consumer's appointment (issue 14): a year covers the next
# open enrollment; anything later is a typo in the year.
APPOINTMENT_DAYS_AHEAD = 365


def bounded_text(*args, limit: int, **kwargs) -> models.TextField:
    """A TextField whose `limit` is enforced by forms (max_length) and by the model's
    full_clean (a TextField's max_length alone is not a model validator)."""
    validators = [*kwargs.pop("validators", []), MaxLengthValidator(limit)]
    return models.TextField(*args, max_length=limit, validators=validators, **kwargs)


# The header's search box (search/): the longest query read, the fewest letters a name search
# needs (a trigram index cannot narrow one or two letters), and the results shown per kind.
SEARCH_QUERY = 100
SEARCH_NAME_MIN = 3
SEARCH_RESULTS_PER_KIND = 20
