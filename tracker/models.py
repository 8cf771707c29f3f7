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
        db_default=False,  # rows written by code that predates the column still work
        help_text="Ask this person for a code from an authenticator app after the password, "
        "whatever their roles.",
    )

    class Meta:
        ordering = ["last_name", "first_name", "username"]

    def __str__(self):
        return self.get_full_name() or self.username


class AppendOnlyError(Exception):
    """An audit record may be added, never changed or removed (MARS-E AU-9)."""


class AppendOnlyQuerySet(models.QuerySet):
    """Bulk changes are refused too: `.update()` and `.delete()` would bypass save()/delete().

    The database backs this up on PostgreSQL (a trigger, migration 0003); `flush` (TRUNCATE)
    still empties the table, which is what a test run or a fresh install wants.
    """

    def update(self, **kwargs):
        raise AppendOnlyError("The identifier access log is append-only: rows cannot be changed.")

    def delete(self):
        raise AppendOnlyError("The identifier access log is append-only: rows cannot be deleted.")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("The identifier access log is append-only: rows cannot be changed.")


class IdentifierAccess(models.Model):
    """Audit trail: who saw or exported unmasked SSNs, when, and of which records.

    Append-only for everyone, superusers included: no change or delete here, in the admin or on
    the PostgreSQL table."""

    VIEW = "view"
    EXPORT = "export"
    # A search by full SSN that found cases: it tells the searcher whose SSN it is.
    SEARCH = "search"
    ACTIONS = [(VIEW, "Viewed"), (EXPORT, "Exported"), (SEARCH, "Searched by SSN")]

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT)
    action = models.CharField(max_length=10, choices=ACTIONS)
    what = models.CharField(max_length=200, help_text="Page or export name")
    object_ids = models.JSONField(default=list, help_text="Primary keys of the cases shown")

    objects = AppendOnlyQuerySet.as_manager()

    class Meta:
        ordering = ["-at"]
        verbose_name_plural = "identifier accesses"

    def __str__(self):
        return f"{self.user} {self.action} {self.what} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs):
        if not self._state.adding or self.pk is not None:
            raise AppendOnlyError(
                "The identifier access log is append-only: rows cannot be changed."
            )
        kwargs["force_insert"] = True  # never an UPDATE, even with a hand-set primary key
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("The identifier access log is append-only: rows cannot be deleted.")


class Heartbeat(models.Model):
    """When a background process last showed it was alive: one row per process kind ("worker":
    the task worker's heartbeat task, tracker/heartbeat.py). /readyz reads its age."""

    name = models.CharField(max_length=50, primary_key=True)
    at = models.DateTimeField()

    def __str__(self):
        return f"{self.name} at {self.at:%Y-%m-%d %H:%M:%S}"
