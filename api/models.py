"""API tokens (issue 15). A token belongs to an API client user: a Django user created with the
token, holding exactly the token's role (and, for an Assister token, its one organization), so
every permission and scoping function of the pages works unchanged on API calls and history
shows which client did what (docs/decisions/0012-api-tokens.md)."""

import hashlib

from django.conf import settings
from django.db import models

from tracker.roles import ALL_ROLES

# The key's first characters, kept in clear so a person can tell their tokens apart.
PREFIX_LENGTH = 8


def key_hash(key: str) -> str:
    """sha256 of the key, hex. A fast hash is right here (unlike passwords): the key is 256 bits
    from secrets.token_urlsafe(32), so no dictionary or brute force can find it from the hash,
    and a slow hash would cost every API call its time."""
    return hashlib.sha256(key.encode()).hexdigest()


class ApiToken(models.Model):
    name = models.CharField(
        max_length=100, help_text="Which client uses it, e.g. “Exchange CRM” or “Northside script”."
    )
    client = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="api_token"
    )
    role = models.CharField(max_length=30, choices=[(role, role) for role in ALL_ROLES])
    organization = models.ForeignKey(
        "referrals.AssisterOrganization",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="api_tokens",
        help_text="Required for an Assister token: the one organization it acts for.",
    )
    key_prefix = models.CharField(max_length=PREFIX_LENGTH)
    key_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def revoked(self) -> bool:
        return self.revoked_at is not None
