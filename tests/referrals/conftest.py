import pytest


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Many users per test: the default password hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
