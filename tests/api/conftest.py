"""API fixtures: a token per role (made by the real service, as an Admin who confirmed a
second factor would), and a client that sends it."""

import django.test
import pytest

from tracker import roles

from ..conftest import make_user


class TokenClient(django.test.Client):
    """A test client that sends `Authorization: Bearer <key>` on every request, as a script
    would (no session, no cookies)."""

    def __init__(self, key, **kwargs):
        super().__init__(headers={"Authorization": f"Bearer {key}"}, **kwargs)


@pytest.fixture
def token_admin(db):
    """An Admin whose session confirmed a second factor (may create any role's token)."""
    user = make_user("token.admin", roles.ADMIN, is_staff=True)
    user.is_verified = lambda: True
    return user


@pytest.fixture
def make_token(token_admin, make_org):
    """make_token(role, organization=None) -> (NewToken, TokenClient)."""
    from api.services import api_token_create

    def _make(role, organization=None, name=None):
        if role == roles.ASSISTER and organization is None:
            organization = make_org("Token Org")
        new = api_token_create(
            by=token_admin, name=name or f"{role} client", role=role, organization=organization
        )
        return new, TokenClient(new.key)

    return _make
