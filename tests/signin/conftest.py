import pytest
from django.utils import timezone

PASSWORD = "pw-for-tests-123"  # tests/conftest.py make_user
ADDRESS = "198.51.100.7"


@pytest.fixture
def attempt(client):
    """attempt(username, password=..., address=..., path="/login/") posts our login form."""

    def _attempt(username, password="wrong-password", *, address=ADDRESS, path="/login/"):
        return client.post(path, {"username": username, "password": password}, REMOTE_ADDR=address)

    return _attempt


@pytest.fixture
def right_password():
    return PASSWORD


@pytest.fixture
def traveller():
    """Time travel from a fixed start (never sleep): traveller.shift(timedelta(minutes=61))."""
    import time_machine

    with time_machine.travel(timezone.now(), tick=False) as travel:
        yield travel
