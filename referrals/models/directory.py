"""The Preferred Assister directory: counties, languages, organizations (with their profile:
languages served, capacity, pauses), their change history, the contact changes and requests they
send MNsure, and the needs no organization could meet."""

from datetime import date

from django.conf import settings
from django.core.validators import MaxValueValidator
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


class Language(models.Model):
    """A language an organization may serve (referrals.languages.SERVED_LANGUAGES, loaded by a
    data migration). Its name is what a referral records as the consumer's language."""

    name = models.CharField(max_length=40, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self):
        return self.name


def paused_q(today: date) -> models.Q:
    """Organizations not taking new leads on `today`: a pause that has begun and not ended (an
    empty "until" lasts until resumed). A pause ends by itself after its last day."""
    return models.Q(paused_from__lte=today) & (
        models.Q(paused_until__isnull=True) | models.Q(paused_until__gte=today)
    )


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
    contact_name = models.CharField("designated contact name", max_length=limits.NAME, blank=True)
    phone = UsPhoneField(blank=True)
    counties = models.ManyToManyField(
        County, related_name="organizations", verbose_name="counties served"
    )
    # Issue 14: routing prefers organizations that speak the consumer's language and have room.
    languages = models.ManyToManyField(
        Language, related_name="organizations", blank=True, verbose_name="languages served"
    )
    max_open_leads = models.PositiveIntegerField(
        "maximum open leads",
        null=True,
        blank=True,
        validators=[MaxValueValidator(limits.MAX_OPEN_LEADS)],
        help_text="Leave empty for no limit. Routing prefers organizations below their maximum.",
    )
    # Seed, "Who to contact": "unable to accept any new leads" for a while. Unlike a suspension
    # (MNsure's decision, lifted by hand), a pause is dated and ends by itself.
    paused_from = models.DateField("not taking new leads from", null=True, blank=True)
    paused_until = models.DateField(
        "not taking new leads until",
        null=True,
        blank=True,
        help_text="The pause's last day: leads resume by themselves the day after. "
        "Leave empty to pause until resumed.",
    )
    pause_reason = models.CharField("why no new leads", max_length=limits.REASON, blank=True)
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
    history = HistoricalRecords(m2m_fields=[counties, languages])

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("referrals:organization", args=[self.pk])

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def is_paused_on(self, day: date) -> bool:
        return (
            self.paused_from is not None
            and self.paused_from <= day
            and (self.paused_until is None or day <= self.paused_until)
        )

    @property
    def is_paused(self) -> bool:
        return self.is_paused_on(timezone.localdate())

    @property
    def taking_new_leads(self) -> bool:
        """Routing offers the organization today: active (not suspended) and not paused."""
        return self.is_active and not self.is_paused

    @property
    def has_pause(self) -> bool:
        """A pause now or to come (what the pause form shows and "resume" clears)."""
        today = timezone.localdate()
        return self.paused_from is not None and (
            self.paused_until is None or self.paused_until >= today
        )


class OrganizationChange(models.Model):
    """History of an organization's contact email and status: what, from, to, who, when."""

    class Field(models.TextChoices):
        LEAD_EMAIL = "lead_email", "Designated lead email"
        CONTACT = "contact", "Designated contact"
        STATUS = "status", "Status"
        TAKING_LEADS = "taking_leads", "Taking new leads"
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


class ContactChange(models.Model):
    """A change of designated contact an assister asked for in the portal (seed: "immediately
    notify MNsure if there is a change to the contact information"). Leads keep going to the
    current contact until a coordinator approves; either way the request stays on record."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"
        SUPERSEDED = "superseded", "Replaced by a later request"

    organization = models.ForeignKey(
        AssisterOrganization, on_delete=models.CASCADE, related_name="contact_changes"
    )
    contact_name = models.CharField("designated contact name", max_length=limits.NAME)
    lead_email = models.EmailField("designated lead email")
    phone = UsPhoneField(blank=True)
    note = models.CharField("anything MNsure should know", max_length=limits.REASON, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.CharField(max_length=limits.REASON, blank=True)

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            # One change waits at a time: a second request replaces the first.
            models.UniqueConstraint(
                fields=["organization"],
                condition=models.Q(status="pending"),
                name="one_pending_contact_change",
            )
        ]

    def __str__(self):
        return f"{self.organization}: contact → {self.contact_name} <{self.lead_email}>"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


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
