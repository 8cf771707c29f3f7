"""One function per user action on API tokens (docs/decisions/0012-api-tokens.md)."""

import secrets
from dataclasses import dataclass

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from tracker.models import User
from tracker.roles import ASSISTER

from . import permissions
from .models import PREFIX_LENGTH, ApiToken, key_hash


@dataclass(frozen=True)
class NewToken:
    """The token and its key: the key exists only here, shown once, never stored."""

    token: ApiToken
    key: str


def _client_username(name: str) -> str:
    base = f"api-{slugify(name)[:100] or 'client'}"
    username, n = base, 1
    while User.objects.filter(username=username).exists():
        n += 1
        username = f"{base}-{n}"
    return username


@transaction.atomic
def api_token_create(*, by, name: str, role: str, organization=None) -> NewToken:
    """An Admin or PAL Coordinator creates a token for a client (issue 15): an API client user
    holding exactly `role` (and for an Assister, membership of `organization`), and the key,
    of which only the hash is kept."""
    if not permissions.can_create_token(by, role):
        raise PermissionDenied("You may not create a token for this role.")
    name = (name or "").strip()
    if not name:
        raise ValidationError({"name": "Name the client that will use the token."})
    if role == ASSISTER and organization is None:
        raise ValidationError({"organization": "An Assister token acts for one organization."})
    if role != ASSISTER:
        organization = None
    client = User(username=_client_username(name), first_name=name[:150], is_active=True)
    client.set_unusable_password()
    client.save()
    client.groups.add(Group.objects.get(name=role))
    if organization is not None:
        organization.members.add(client)
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        client=client,
        role=role,
        organization=organization,
        key_prefix=key[:PREFIX_LENGTH],
        key_hash=key_hash(key),
        created_by=by,
    )
    token.full_clean()
    token.save()
    return NewToken(token=token, key=key)


@transaction.atomic
def api_token_revoke(*, token: ApiToken, by) -> ApiToken:
    """Revoke a token: refused from the next call on, and its client user is deactivated so
    nothing else can act as it either."""
    token = ApiToken.objects.select_for_update().select_related("client").get(pk=token.pk)
    if not permissions.can_revoke_token(token, by):
        raise PermissionDenied("You may not revoke this token.")
    token.revoked_at = timezone.now()
    token.revoked_by = by
    token.save(update_fields=["revoked_at", "revoked_by"])
    User.objects.filter(pk=token.client_id).update(is_active=False)
    return token
