from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models


class Team(models.Model):
    """A contact-center team: one supervisor, many CSRs (the supervisor does the outreach)."""

    name = models.CharField(max_length=100, unique=True)
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="supervised_teams",
        null=True,
        blank=True,
    )

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name


class User(AbstractUser):
    team = models.ForeignKey(
        Team, on_delete=models.SET_NULL, null=True, blank=True, related_name="members"
    )
    # Besides the roles in MFA_REQUIRED_ROLES, an Admin can require a second factor of anyone.
    mfa_required = models.BooleanField(
        "requires two-factor sign-in",
        default=False,
        help_text="Ask this person for a code from an authenticator app after the password, "
        "whatever their roles.",
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class IdentifierAccess(models.Model):
    """Audit trail: who saw or exported unmasked SSNs, when, and of which records."""

    VIEW = "view"
    EXPORT = "export"
    ACTIONS = [(VIEW, "Viewed"), (EXPORT, "Exported")]

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    action = models.CharField(max_length=10, choices=ACTIONS)
    what = models.CharField(max_length=200, help_text="Page or export name")
    object_ids = models.JSONField(default=list, help_text="Primary keys of the records shown")

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "identifier accesses"

    def __str__(self):
        return f"{self.user} {self.action} {self.what} at {self.at:%Y-%m-%d %H:%M}"
