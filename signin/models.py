from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class LockoutQuerySet(models.QuerySet):
    def active(self, now=None):
        return self.filter(cleared_at__isnull=True, locked_until__gt=now or timezone.now())

    def matching(self, *, username, ip_address):
        """Lockouts that refuse a login with this username from this address."""
        condition = Q(kind=Lockout.ACCOUNT, username=username or "")
        if ip_address:
            condition |= Q(kind=Lockout.ADDRESS, ip_address=ip_address)
        return self.filter(condition)


class Lockout(models.Model):
    """One lockout, kept after it ends: the log of lockouts (AC-7) and what Admins clear.

    An account lockout is keyed by the username typed, whether or not such a user exists, so the
    answer never tells an attacker which usernames are real.
    """

    ACCOUNT = "account"
    ADDRESS = "address"
    KINDS = [(ACCOUNT, "Account"), (ADDRESS, "Client address")]

    kind = models.CharField(max_length=10, choices=KINDS)
    username = models.CharField(
        max_length=255, blank=True, db_index=True, help_text="Account locked, or last one tried"
    )
    ip_address = models.GenericIPAddressField(
        null=True, blank=True, db_index=True, help_text="Address paused, or the last failure's"
    )
    failures = models.PositiveIntegerField(help_text="Failures that led to the lockout")
    locked_at = models.DateTimeField()
    locked_until = models.DateTimeField(db_index=True)
    cleared_at = models.DateTimeField(null=True, blank=True)
    cleared_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = LockoutQuerySet.as_manager()

    class Meta:
        ordering = ["-locked_at"]

    def __str__(self):
        return f"{self.get_kind_display()} lockout: {self.subject}, {self.locked_at:%Y-%m-%d %H:%M}"

    @property
    def subject(self) -> str:
        return self.username if self.kind == self.ACCOUNT else str(self.ip_address)

    @property
    def ended_at(self):
        """When the lockout stopped refusing logins (or will, if it is still on)."""
        if self.cleared_at and self.cleared_at < self.locked_until:
            return self.cleared_at
        return self.locked_until

    def is_active(self, now=None) -> bool:
        return self.cleared_at is None and self.locked_until > (now or timezone.now())
