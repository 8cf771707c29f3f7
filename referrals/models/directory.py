"""The Preferred Assister directory: counties, organizations, their change history, the requests
they send MNsure, and the needs no organization could meet."""

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from simple_history.models import HistoricalRecords

from tracker import limits
from tracker.limits import bounded_text
from tracker.phones import UsPhoneField

from ..rules import AssisterType


class County(models.Model):
    """One of Minnesota's 87 counties (loaded by a data migration)."""

    name = models.CharField(max_length=50, unique=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "counties"

    def __str__(self):
        return self.name


class AssisterOrganization(models.Model):
    """A Preferred Assister: a navigator grantee or a broker enrollment center."""

    class Status(models.TextChoices):
        ACTIVE = "active", "Active"
        SUSPENDED = "suspended", "Suspended"

    name = models.CharField(max_length=limits.NAME, unique=True)
    kind = models.CharField(max_length=20, choices=AssisterType.choices)
    lead_email = models.EmailField(
        "designated lead email",
        help_text="The contact point the organization designated for leads.",
    )
    phone = UsPhoneField(blank=True)
    counties = models.ManyToManyField(
        County, related_name="organizations", verbose_name="counties served"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    suspension_reason = models.CharField(max_length=limits.REASON, blank=True)
    suspended_on = models.DateField(null=True, blank=True)
    suspended_until = models.DateField(
        "expected to resume on", null=True, blank=True, help_text="Optional; for information."
    )
    resumed_on = models.DateField(null=True, blank=True)
    # Assister users who work this organization's leads (issue 6: the assister portal).
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="assister_organizations", blank=True
    )
    created_at = models.DateTimeField(default=timezone.now)

    # Field history (docs/decisions/0002), counties served included.
    history = HistoricalRecords(m2m_fields=[counties])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("referrals:organization", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class OrganizationChange(models.Model):
    """History of an organization's contact email and status: what, from, to, who, when."""

    class Field(models.TextChoices):
        LEAD_EMAIL = "lead_email", "Designated lead email"
        STATUS = "status", "Status"
        CREATED = "created", "Created"

    organization = models.ForeignKey(
        AssisterOrganization, on_delete=models.CASCADE, related_name="changes"
    )
    field = models.CharField(max_length=20, choices=Field.choices)
    old_value = models.CharField(max_length=254, blank=True)
    new_value = models.CharField(max_length=254, blank=True)
    note = models.CharField(max_length=limits.REASON, blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-changed_at", "-pk"]

    def __str__(self):
        return (
            f"{self.organization}: {self.get_field_display()} {self.old_value} → {self.new_value}"
        )


class OrganizationRequest(models.Model):
    """A request an organization sent to assisterleads@ (seed, "Who to contact"), logged so that
    MNsure's "timely response" can be shown."""

    class Kind(models.TextChoices):
        UPDATE_CONTACT = "update_contact", "Update contact"
        SUSPEND = "suspend", "Suspend (cannot accept new leads)"
        RESUME = "resume", "Resume leads"
        OTHER = "other", "Other question"

    organization = models.ForeignKey(
        AssisterOrganization, on_delete=models.CASCADE, related_name="requests"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    received_on = models.DateField(default=timezone.localdate)
    from_contact = models.CharField("from (name or email)", max_length=limits.NAME, blank=True)
    details = bounded_text(limit=limits.NOTE)
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    response = bounded_text(blank=True, limit=limits.NOTE)

    class Meta:
        ordering = ["handled_at", "-received_on", "-pk"]

    def __str__(self):
        return f"{self.get_kind_display()} from {self.organization} ({self.received_on:%m/%d/%Y})"

    @property
    def is_open(self) -> bool:
        return self.handled_at is None


class UnmetRequest(models.Model):
    """A consumer the rep could not refer: no active organization of the needed type serves the
    county. Feeds the coverage-gap report (seed: "Fill geographic gaps")."""

    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="unmet_requests")
    assister_type = models.CharField(max_length=20, choices=AssisterType.choices)
    language = models.CharField(max_length=40, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        ordering = ["-recorded_at"]

    def __str__(self):
        return (
            f"No {self.get_assister_type_display()} in {self.county} ({self.recorded_at:%m/%d/%Y})"
        )
