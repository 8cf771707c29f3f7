import pytest
from django.urls import reverse

from tests.second_factor import authenticator_for


@pytest.fixture
def password_only(client):
    """password_only(user): signed in with the password, no second factor yet."""

    def _sign_in(user):
        client.force_login(user, second_factor=False)
        return client

    return _sign_in


@pytest.fixture
def enrolled_monitor(monitor):
    """The State Monitor with a confirmed authenticator app."""
    authenticator_for(monitor)
    return monitor


VERIFY = reverse("mfa:verify")
ENROL = reverse("mfa:enrol")
