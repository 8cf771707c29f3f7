"""The referral (a PAL lead) and its state machine, top to bottom."""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models.functions import TruncDate, Upper
from django.urls import reverse
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from tracker import limits
from tracker.business_days import add_business_days
from tracker.limits import bounded_text
from tracker.phones import UsPhoneField
from tracker.search_text import FoldedTextField

from .. import permissions
from ..rules import AssisterType, Determination, assister_type_for
from ..states import (
    AWAITING_CONTACT,
    MOVABLE,
    REPORTABLE,
    DeclineReason,
    Resolution,
    State,
    business_status,
    fhir_status,
    state_after_outcome,
)
from .directory import AssisterOrganization, County

# Seed: "Contact a consumer ... no later than within one to two business days".
CONTACT_DUE_BUSINESS_DAYS = 2
# Seed: assisters must "have capacity for an appointment within two weeks" of the referral.
APPOINTMENT_WITHIN_DAYS = 14
HOLIDAY_SUBDIV = "MN"


def referral_number(pk: int) -> str:
    return f"PAL-{pk:06d}"


# The columns of the referral lists' tables (besides the id and the index's own columns):
# ReferralQuerySet.for_lists / for_portal read these and no others, and the lists' default-order
# indexes carry them (Referral.Meta.indexes).
LIST_COLUMNS = [
    "state",
    "consumer_name",
    "county_id",
    "assister_type",
    "organization_id",
    "contact_due_on",
    "contact_made",
    "decline_reason",
]
PORTAL_COLUMNS = [
    "state",
    "consumer_name",
    "phone",
    "county_id",
    "language",
    "sent_at",
    "contact_made",
    "resolution",
]


def awaiting_contact_q() -> models.Q:
    """Delivered to the organization (sent, or accepted) and no contact reported yet."""
    return models.Q(state__in=AWAITING_CONTACT, contact_made__isnull=True)


def overdue_q(today) -> models.Q:
    """Awaiting contact, and the contact due date has passed."""
    return awaiting_contact_q() & models.Q(contact_due_on__lt=today)


def contact_due_q(day) -> models.Q:
    """Awaiting contact, and the contact is due on `day` (the morning reminder's leads)."""
    return awaiting_contact_q() & models.Q(contact_due_on=day)


def appointment_in_time_q() -> models.Q:
    """An appointment on or before the referral's local date + APPOINTMENT_WITHIN_DAYS (the
    seed's "appointment within two weeks"): derived from the two dates, never stored. The
    scorecard counts with it; Referral.appointment_in_time says the same for one lead."""
    latest = TruncDate(
        models.ExpressionWrapper(
            models.F("created_at") + timedelta(days=APPOINTMENT_WITHIN_DAYS),
            output_field=models.DateTimeField(),
        )
    )
    return models.Q(appointment_on__isnull=False, appointment_on__lte=latest)


class ReferralQuerySet(models.QuerySet):
    def for_lists(self):
        """The coordinators' and representatives' list (referrals.tables.ReferralTable): the
        columns it shows and no more, county and organization names by join (a lookup per
        distinct county or organization, not per row)."""
        from .delivery import LeadDelivery

        # A queued lead whose email already failed at least once (it will be retried).
        retrying = LeadDelivery.objects.filter(
            referral=models.OuterRef("pk"), status=LeadDelivery.Status.PENDING, attempt_count__gt=0
        )
        return (
            self.select_related("county", "organization")
            .only(
                "state",
                "created_at",
                "consumer_name",
                "county__name",
                "assister_type",
                "organization__name",
                "contact_due_on",
                "contact_made",
                "decline_reason",
            )
            .annotate(retrying=models.Exists(retrying))
        )

    def for_portal(self):
        """The assister portal's lead list (referrals.tables.PortalLeadTable): its columns."""
        return self.select_related("county").only(
            "state",
            "consumer_name",
            "phone",
            "county__name",
            "language",
            "sent_at",
            "contact_due_on",
            "contact_made",
            "resolution",
        )

    def reported_in(self, *periods):
        """The leads organizations report on for these periods: sent (local date) between a
        period's start and end, and not withdrawn or moved to another organization since."""
        sent_in = models.Q(pk__in=[])
        for period in periods:
            sent_in |= models.Q(sent_at__date__gte=period.start, sent_at__date__lte=period.end)
        return self.filter(sent_in, state__in=REPORTABLE)

    def overdue(self, today=None):
        return self.filter(overdue_q(today or timezone.localdate()))


class Referral(ConcurrentTransitionMixin, models.Model):
    state = FSMField(default=State.NEW, choices=State.choices, protected=True)
    # The foreign keys' own indexes would repeat the composite ones in Meta that start with them.
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="referrals_made",
        db_index=False,
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    # Consumer contact.
    consumer_name = models.CharField(max_length=limits.NAME)
    # The name as the search box compares it; trigram-indexed on PostgreSQL.
    consumer_name_search = FoldedTextField(max_length=limits.NAME, source="consumer_name")
    phone = UsPhoneField()
    email = models.EmailField(blank=True)
    # Why the rep sent it although the same phone or email was referred within the last
    # DUPLICATE_DAYS days (referrals.duplicates); empty when there was none.
    duplicate_reason = bounded_text("reason for referring again", blank=True, limit=limits.REASON)
    county = models.ForeignKey(
        County, on_delete=models.PROTECT, related_name="referrals", db_index=False
    )
    language = models.CharField("preferred language", max_length=40, default="English")

    # The seed's six questions.
    has_active_account = models.BooleanField("does the consumer have an active account?")
    has_active_application = models.BooleanField("does the consumer have an active application?")
    determination_ma = models.BooleanField("Medical Assistance determination", default=False)
    determination_mncare = models.BooleanField("MinnesotaCare determination", default=False)
    determination_qhp = models.BooleanField("QHP determination", default=False)
    reason_for_help = bounded_text(
        "why is the consumer seeking help from an assister?", limit=limits.REASON
    )
    guidance_given = bounded_text("what guidance was the consumer provided?", limit=limits.NOTE)
    consent = models.BooleanField(
        "did the consumer consent to have their information sent to an assister?"
    )

    # Routing, derived when the rep submits.
    assister_type = models.CharField(max_length=20, choices=AssisterType.choices)
    type_reason = models.CharField(max_length=200)
    organization = models.ForeignKey(
        AssisterOrganization, on_delete=models.PROTECT, related_name="referrals", db_index=False
    )

    # Delivery and the SLA clock.
    sent_at = models.DateTimeField(null=True, blank=True)
    contact_due_on = models.DateField("contact due", null=True, blank=True)

    # Outcome (Preferred Assister Report or the assister portal, issue 6).
    contact_made = models.BooleanField("contact made", null=True, blank=True)
    contact_date = models.DateField(null=True, blank=True)
    resolution = models.CharField(max_length=40, choices=Resolution.choices, blank=True)
    comments = bounded_text(blank=True, limit=limits.NOTE)
    outcome_reported_at = models.DateTimeField(null=True, blank=True)
    outcome_reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    # The organization's answer (issue 14, FHIR Task accepted / rejected) and the appointment.
    accepted_at = models.DateTimeField(null=True, blank=True)
    declined_at = models.DateTimeField(null=True, blank=True)
    decline_reason = models.CharField(
        "reason for declining", max_length=20, choices=DeclineReason.choices, blank=True
    )
    decline_note = bounded_text("why the lead was declined", blank=True, limit=limits.REASON)
    # Who declined, kept when the lead moves on: the scorecard counts the decline for them.
    declined_organization = models.ForeignKey(
        AssisterOrganization,
        on_delete=models.PROTECT,
        related_name="declined_referrals",
        null=True,
        blank=True,
    )
    appointment_on = models.DateField("appointment date", null=True, blank=True)

    objects = ReferralQuerySet.as_manager()
    # Field history (docs/decisions/0002); transitions are django-fsm-log's, so not `state`.
    history = HistoricalRecords(excluded_fields=["state", "updated_at", "consumer_name_search"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [
            # Search and the duplicate warning look referrals up by phone and by email.
            models.Index(fields=["phone"], name="referral_phone"),
            models.Index(Upper("email"), name="referral_email_upper"),
            models.Index(fields=["organization", "state"]),
            models.Index(fields=["state", "contact_due_on"]),
            models.Index(fields=["organization", "sent_at"]),
            # The performance scorecard picks a period's leads by when they were sent.
            models.Index(fields=["sent_at"]),
            # The lists at 200,000 referrals (issue 12): every sort of the coordinators' list is
            # its column then the id (the tables' tie-breaker), so a page is read in index order
            # instead of sorting every referral; county and organization sort by name through
            # their unique name index, then (county, id) / (organization, id) in turn.
            models.Index(fields=["consumer_name", "id"], name="referral_consumer_idx"),
            models.Index(fields=["assister_type", "id"], name="referral_type_idx"),
            models.Index(fields=["state", "id"], name="referral_state_idx"),
            models.Index(fields=["contact_due_on", "id"], name="referral_due_idx"),
            models.Index(fields=["county", "id"], name="referral_county_idx"),
            models.Index(fields=["organization", "id"], name="referral_org_idx"),
            # Each list's default order also carries the columns its table shows (LIST_COLUMNS,
            # PORTAL_COLUMNS): its pages, deep ones included, and its count are read from the
            # index alone, without visiting the table's rows.
            models.Index(
                fields=["created_at", "id"], include=LIST_COLUMNS, name="referral_created_idx"
            ),
            # A representative's own referrals, newest first.
            models.Index(
                fields=["created_by", "created_at", "id"],
                include=LIST_COLUMNS,
                name="referral_rep_idx",
            ),
            # The assister portal: an organization's leads by contact due date.
            models.Index(
                fields=["organization", "contact_due_on", "id"],
                include=PORTAL_COLUMNS,
                name="referral_org_due_idx",
            ),
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

    def save(self, *args, **kwargs):
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "consumer_name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "consumer_name_search"}
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("referrals:detail", args=[self.pk])

    @property
    def number(self) -> str:
        return referral_number(self.pk) if self.pk else "PAL-(new)"

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
        """For one lead what overdue_q says for many."""
        return (
            self.state in AWAITING_CONTACT
            and self.contact_made is None
            and self.contact_due_on is not None
            and self.contact_due_on < timezone.localdate()
        )

    @property
    def appointment_deadline(self):
        """The latest day an appointment counts as "within two weeks of the referral"."""
        return timezone.localdate(self.created_at) + timedelta(days=APPOINTMENT_WITHIN_DAYS)

    @property
    def appointment_in_time(self) -> bool | None:
        """For one lead what appointment_in_time_q says; None without an appointment."""
        if self.appointment_on is None:
            return None
        return self.appointment_on <= self.appointment_deadline

    @property
    def fhir_status(self) -> str:
        """FHIR Task.status (states.FHIR_TASK, the one table)."""
        return fhir_status(self.state)

    @property
    def business_status(self) -> str:
        return business_status(self)

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
        """Coordinator: the lead goes to another eligible organization (a declined lead comes
        here). The last decline stays on the lead: whose it was, why, and when."""
        self.organization = organization
        self.sent_at = None
        self.contact_due_on = None
        self.accepted_at = None

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
        field=state, source=State.SENT, target=State.ACCEPTED, permission=permissions.can_respond
    )
    def accept(self, *, by=None, description=""):
        """The organization takes the lead (FHIR Task accepted); the contact clock keeps
        running from when it was sent."""
        self.accepted_at = timezone.now()

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.SENT, State.ACCEPTED],
        target=State.DECLINED,
        permission=permissions.can_respond,
    )
    def decline(self, *, reason, note="", by=None, description=""):
        """The organization will not work the lead (FHIR Task rejected): it is the coordinators'
        to reassign, with the reason. Possible until contact is made."""
        self.declined_at = timezone.now()
        self.decline_reason = reason
        self.decline_note = note
        self.declined_organization_id = self.organization_id
        self.accepted_at = None

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.SENT, State.ACCEPTED, State.IN_PROGRESS],
        target=State.IN_PROGRESS,
        permission=permissions.can_report_outcome,
    )
    def record_contact(self, *, contact_date, appointment_on=None, by=None, description=""):
        """The assister reached the consumer (FHIR in-progress), with the appointment's date when
        one is scheduled; recording again corrects it. Working a lead takes it: one never
        accepted counts as accepted now."""
        self.contact_made = True
        self.contact_date = contact_date
        self.appointment_on = appointment_on
        self.resolution = Resolution.APPOINTMENT_SCHEDULED if appointment_on else ""
        self.accepted_at = self.accepted_at or timezone.now()
        self.outcome_reported_at = timezone.now()
        self.outcome_reported_by = by

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.SENT, State.ACCEPTED, State.IN_PROGRESS, State.COMPLETED],
        target=RETURN_VALUE(State.IN_PROGRESS, State.COMPLETED),
        permission=permissions.can_report_outcome,
    )
    def report_outcome(
        self, *, contact_made, contact_date, resolution, comments="", by=None, description=""
    ):
        """The assister reported what happened (seed, "Reporting": the Preferred Assister
        Report, or the portal's outcome and resolution forms); a later report replaces it.
        "Contact made appointment scheduled" leaves the lead in progress, any other Resolution
        completes it (states.state_after_outcome)."""
        self.contact_made = contact_made
        self.contact_date = contact_date
        self.resolution = resolution
        self.comments = comments
        self.accepted_at = self.accepted_at or timezone.now()
        self.outcome_reported_at = timezone.now()
        self.outcome_reported_by = by
        return state_after_outcome(resolution)
