"""The referral endpoints' world: an organization with an assister (Lakes), another with its
own assister (North, the outsider), and a lead sent to Lakes two days ago. Imported by name
by the test modules that use them (tests/api/conftest.py is the token helper's)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from tracker import roles

from ..conftest import make_user

SENT_ON = timezone.localdate() - timedelta(days=2)


def api_post(client, path, data=None):
    return client.post(path, data or {}, content_type="application/json")


@pytest.fixture
def lakes(make_org, assister_user):
    org = make_org("Lakes Area Navigators", counties=["Hennepin"])
    org.members.add(assister_user)
    return org


@pytest.fixture
def north(make_org):
    return make_org("North Star Navigators", counties=["Hennepin"])


@pytest.fixture
def outsider(north):
    """North's assister: another organization's."""
    user = make_user("north.assister", roles.ASSISTER)
    north.members.add(user)
    return user


@pytest.fixture
def lead(lakes, make_sent_referral):
    return make_sent_referral(organization=lakes, sent_on=SENT_ON, consumer_name="Ana Ortiz")
