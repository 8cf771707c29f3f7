from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description

from tracker.business_days import add_business_days

from . import permissions
from .rules import AssisterType, Determination, assister_type_for
from .states import MOVABLE, Resolution, State

# Seed: "Contact a consumer ... no later than within one to two business days".
CONTACT_DUE_BUSINESS_DAYS = 2
HOLIDAY_SUBDIV = "MN"

LANGUAGES = [
    "English",
    "Spanish",
    "Somali",
    "Hmong",
    "Vietnamese",
    "Karen",
    "Oromo",
    "Amharic",
    "Russian",
    "Chinese",
    "Arabic",
    "Other",
]


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

    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=20, choices=AssisterType.choices)
    lead_email = models.EmailField(
        "designated lead email",
        help_text="The contact point the organization designated for leads.",
    )
    phone = models.CharField(max_length=30, blank=True)
    counties = models.ManyToManyField(
        County, related_name="organizations", verbose_name="counties served"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ACTIVE)
    suspension_reason = models.CharField(max_length=300, blank=True)
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
    note = models.CharField(max_length=300, blank=True)
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
    from_contact = models.CharField("from (name or email)", max_length=200, blank=True)
    details = models.TextField()
    logged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    logged_at = models.DateTimeField(default=timezone.now)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    handled_at = models.DateTimeField(null=True, blank=True)
    response = models.TextField(blank=True)

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


class ReferralQuerySet(models.QuerySet):
    def for_lists(self):
        return self.select_related("county", "organization", "created_by")

    def overdue(self, today=None):
        today = today or timezone.localdate()
        return self.filter(state=State.SENT, contact_made__isnull=True, contact_due_on__lt=today)


class Referral(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=State.NEW, choices=State.choices, protected=True, db_index=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="referrals_made"
    )
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)

    # Consumer contact.
    consumer_name = models.CharField(max_length=200)
    phone = models.CharField(max_length=30)
    email = models.EmailField(blank=True)
    county = models.ForeignKey(County, on_delete=models.PROTECT, related_name="referrals")
    language = models.CharField("preferred language", max_length=40, default="English")

    # The seed's six questions.
    has_active_account = models.BooleanField("does the consumer have an active account?")
    has_active_application = models.BooleanField("does the consumer have an active application?")
    determination_ma = models.BooleanField("Medical Assistance determination", default=False)
    determination_mncare = models.BooleanField("MinnesotaCare determination", default=False)
    determination_qhp = models.BooleanField("QHP determination", default=False)
    reason_for_help = models.TextField("why is the consumer seeking help from an assister?")
    guidance_given = models.TextField("what guidance was the consumer provided?")
    consent = models.BooleanField(
        "did the consumer consent to have their information sent to an assister?"
    )

    # Routing, derived when the rep submits.
    assister_type = models.CharField(max_length=20, choices=AssisterType.choices)
    type_reason = models.CharField(max_length=200)
    organization = models.ForeignKey(
        AssisterOrganization, on_delete=models.PROTECT, related_name="referrals"
    )

    # Delivery and the SLA clock.
    sent_at = models.DateTimeField(null=True, blank=True)
    contact_due_on = models.DateField("contact due", null=True, blank=True, db_index=True)

    # Outcome (Preferred Assister Report or the assister portal, issue 6).
    contact_made = models.BooleanField("contact made", null=True, blank=True)
    contact_date = models.DateField(null=True, blank=True)
    resolution = models.CharField(max_length=40, choices=Resolution.choices, blank=True)
    comments = models.TextField(blank=True)
    outcome_reported_at = models.DateTimeField(null=True, blank=True)
    outcome_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    objects = ReferralQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["organization", "state"]),
            models.Index(fields=["state", "contact_due_on"]),
        ]
        constraints = [
            # Seed: "Did the consumer consent?" — no consent, no referral.
            models.CheckConstraint(condition=models.Q(consent=True), name="referral_needs_consent"),
        ]
        permissions = [
            ("view_all_referrals", "See every referral (PAL Coordinator)"),
            ("manage_leads", "Resend, reassign and withdraw leads (PAL Coordinator)"),
            ("report_outcome", "Report a referral's outcome"),
        ]

    def __str__(self):
        return f"{self.number} {self.consumer_name}"

    def get_absolute_url(self):
        return reverse("referrals:detail", args=[self.pk])

    @property
    def number(self) -> str:
        return f"PAL-{self.pk:06d}" if self.pk else "PAL-(new)"

    @property
    def determinations(self) -> list[str]:
        chosen = [
            code
            for code, flag in [
                (Determination.MA, self.determination_ma),
                (Determination.MINNESOTACARE, self.determination_mncare),
                (Determination.QHP, self.determination_qhp),
            ]
            if flag
        ]
        return chosen or [Determination.NONE]

    @property
    def determinations_display(self) -> str:
        return ", ".join(Determination(code).label for code in self.determinations)

    def derive_type(self):
        decision = assister_type_for(
            has_application=self.has_active_application, determinations=self.determinations
        )
        self.assister_type = decision.assister_type
        self.type_reason = decision.reason
        return decision

    @property
    def is_overdue(self) -> bool:
        return (
            self.state == State.SENT
            and self.contact_made is None
            and self.contact_due_on is not None
            and self.contact_due_on < timezone.localdate()
        )

    # ---- the state machine, top to bottom ---------------------------------------------------
    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state, source=State.NEW, target=State.QUEUED, permission=permissions.can_submit
    )
    def submit(self, *, by=None, description=""):
        """The rep sends the referral; the lead email is queued (seed: "as soon as created")."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state, source=[State.QUEUED, State.REASSIGNED, State.FAILED], target=State.SENT
    )
    def mark_sent(self, *, when, by=None, description=""):
        """The lead email was accepted by the mail server: the contact clock starts."""
        self.sent_at = when
        self.contact_due_on = add_business_days(
            timezone.localdate(when), CONTACT_DUE_BUSINESS_DAYS, subdiv=HOLIDAY_SUBDIV
        )

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state, source=[State.QUEUED, State.REASSIGNED, State.FAILED], target=State.FAILED
    )
    def mark_failed(self, *, by=None, description=""):
        """Every delivery attempt failed (or the organization was suspended meanwhile)."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state, source=State.FAILED, target=State.QUEUED, permission=permissions.can_resend
    )
    def resend(self, *, by=None, description=""):
        """Coordinator: send the lead again, e.g. after fixing the organization's contact."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state, source=MOVABLE, target=State.REASSIGNED, permission=permissions.can_reassign
    )
    def reassign(self, *, organization, by=None, description=""):
        """Coordinator: the lead goes to another eligible organization."""
        self.organization = organization
        self.sent_at = None
        self.contact_due_on = None

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state, source=MOVABLE, target=State.WITHDRAWN, permission=permissions.can_withdraw
    )
    def withdraw(self, *, by=None, description=""):
        """The referral should not be worked (entered in error, consumer no longer wants help)."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.SENT,
        target=State.OUTCOME_REPORTED,
        permission=permissions.can_report_outcome,
    )
    def report_outcome(
        self, *, contact_made, contact_date, resolution, comments="", by=None, description=""
    ):
        """The assister reported what happened (seed, "Reporting")."""
        self.contact_made = contact_made
        self.contact_date = contact_date
        self.resolution = resolution
        self.comments = comments
        self.outcome_reported_at = timezone.now()
        self.outcome_reported_by = by


class LeadDelivery(models.Model):
    """One lead email to one organization's address. A referral gets a new delivery when it is
    first sent, resent or reassigned; every try is a DeliveryAttempt."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        CANCELLED = "cancelled", "Cancelled"

    referral = models.ForeignKey(Referral, on_delete=models.CASCADE, related_name="deliveries")
    organization = models.ForeignKey(
        AssisterOrganization, on_delete=models.PROTECT, related_name="+"
    )
    to_email = models.EmailField(
        blank=True, help_text="Filled in from the organization at send time."
    )
    status = models.CharField(
        max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True
    )
    attempt_count = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # Set while a worker is sending; another worker (or the sweep) keeps off until it passes.
    claimed_until = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name_plural = "lead deliveries"
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self):
        return f"Lead {self.referral.number} → {self.organization} ({self.get_status_display()})"


class DeliveryAttempt(models.Model):
    class Outcome(models.TextChoices):
        IN_PROGRESS = "in_progress", "In progress"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"
        INTERRUPTED = "interrupted", "Interrupted (worker stopped)"

    delivery = models.ForeignKey(LeadDelivery, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField()
    to_email = models.EmailField()
    started_at = models.DateTimeField(default=timezone.now)
    finished_at = models.DateTimeField(null=True, blank=True)
    outcome = models.CharField(max_length=12, choices=Outcome.choices, default=Outcome.IN_PROGRESS)
    error = models.TextField(blank=True)

    class Meta:
        ordering = ["delivery", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["delivery", "number"], name="one_attempt_per_number_per_delivery"
            )
        ]

    def __str__(self):
        return f"Attempt {self.number} of {self.delivery}"
