from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition
from django_fsm_log.decorators import fsm_log_by, fsm_log_description
from simple_history.models import HistoricalRecords

from tracker import limits
from tracker.fields import BlindIndexField, ClearSuffixField, EncryptedCharField
from tracker.limits import bounded_text
from tracker.phones import UsPhoneField, tel_uri
from tracker.search_text import FoldedTextField

from . import permissions
from .states import NEXT_ACTOR, WITHDRAWABLE, State, Taxonomy, taxonomy_of
from .validators import format_ssn, mask_ssn, normalize_digits, validate_ma_number, validate_ssn


class Mco(models.Model):
    """A HealthChoice managed care organization."""

    name = models.CharField(max_length=120, unique=True)
    active = models.BooleanField(default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "MCO"
        verbose_name_plural = "MCOs"

    def __str__(self):
        return self.name


class ProviderTermination(models.Model):
    """An MCO ending its relationship with a provider ("Angela Melody"): affected consumers may
    change PCP or MCO only inside the enrollment window."""

    mco = models.ForeignKey(Mco, on_delete=models.PROTECT, related_name="provider_terminations")
    provider_name = models.CharField(max_length=limits.NAME)
    window_start = models.DateField("enrollment window start")
    window_end = models.DateField("enrollment window end")

    class Meta:
        ordering = ["-window_start", "provider_name"]

    def __str__(self):
        return (
            f"{self.provider_name} leaving {self.mco} "
            f"(window {self.window_start:%m/%d/%Y}–{self.window_end:%m/%d/%Y})"
        )

    def clean(self):
        if self.window_start and self.window_end and self.window_end < self.window_start:
            raise ValidationError({"window_end": "The window must end on or after its start."})

    def is_open_on(self, day) -> bool:
        return self.window_start <= day <= self.window_end


class Kind(models.TextChoices):
    PROVIDER_TERMINATION = "provider_termination", "Angela Melody"
    MCT_SPAN = "mct_span", "MCT Span"
    FOR_CAUSE = "for_cause", "For Cause Reason"
    INCORRECT_SELECTION = "incorrect_selection", "Incorrect Selection (Exchange Error)"


class ForCauseReason(models.TextChoices):
    HOMELESS = "homeless", "Homeless Consumer"
    FOSTER_CARE = "foster_care", "Foster Care Consumer"
    ARC = "arc", "ARC"
    NEW_COUNTY = "new_county", "New County"
    FAMILY_UNIFICATION = "family_unification", "Family Unification"


class ErredBy(models.TextChoices):
    CSC = "csc", "CSC"
    CONSUMER_ASSISTANCE_WORKER = "caw", "Consumer Assistance Worker"


class AngelaMelodyOutcome(models.TextChoices):
    QUESTION_ANSWERED = "question_answered", "Question Answered"
    MCO_UPDATED = "mco_updated", "MCO Updated"


# The derived texts below are plain functions of column values, so exports built from
# `values()` (no model instance per row) and the model's own properties share one rule.
_SUBJECTS = {
    Kind.PROVIDER_TERMINATION: "Angela Melody",
    Kind.MCT_SPAN: "MCT Span",
    Kind.FOR_CAUSE: "For Cause Reason",
    Kind.INCORRECT_SELECTION: "Incorrect Selection",
}
_FOR_CAUSE_LABELS = dict(ForCauseReason.choices)


def case_number(pk: int) -> str:
    return f"MCO-{pk:06d}"


def case_subject(kind: str, for_cause_reason: str) -> str:
    if kind == Kind.FOR_CAUSE and for_cause_reason:
        return f"For Cause Reason – {_FOR_CAUSE_LABELS.get(for_cause_reason, for_cause_reason)}"
    return _SUBJECTS[kind]


def crm_line(
    *, kind, names, ma_numbers, ssns, mco: str, new_provider_name: str, for_cause_reason: str
) -> str:
    """The seed's "CRM:" documentation line for the kind, from the participants' names, MA
    numbers and SSNs (already masked or not) in order."""
    names, mas, ssns = ", ".join(names), ", ".join(ma_numbers), ", ".join(ssns)
    if kind == Kind.PROVIDER_TERMINATION:
        return "/".join([names, mas, ssns, mco or new_provider_name])
    if kind == Kind.FOR_CAUSE:
        reason = _FOR_CAUSE_LABELS.get(for_cause_reason, for_cause_reason)
        return "/".join([names, reason, mas, ssns, mco])
    return "/".join([names, mas, ssns, mco])


# The consumer's contact on a case: captured at intake, correctable like the participants.
CONTACT_FIELDS = ("consumer_phone", "best_time_to_call", "consumer_email")
SORT_NAME_FIELDS = ["csr_last_name", "csr_first_name", "team_name", "mco_name"]
# Which sort copy follows which foreign key (cases.sort_names).
SORT_NAMES_OF = {
    "csr": {"csr_last_name": "last_name", "csr_first_name": "first_name"},
    "team": {"team_name": "name"},
    "target_mco": {"mco_name": "name"},
}

# Each work list's rows (its scoping condition) and the orders its table offers, each ending in
# the id so that pages never overlap (cases.tables). One partial index per (list, order): the
# page is read off the index in order, first page or the 400th, instead of sorting the list.
LIST_CONDITIONS = {
    "qc": ["escalated", "mco_updated", "returned_by_monitor"],  # queues.QC_QUEUE_STATES
    "sm": ["true_tracker"],  # queues.monitor_list
    "out": ["outreach_required", "outreach_first_attempt"],  # queues.supervisor_list
}
# The outreach list is one supervisor's team: its indexes start with the team, and its table
# has no "returned" column.
LIST_PREFIX = {"out": ["team"]}
LIST_WITHOUT = {"out": {"returned"}}
# The QC queue's filters that no other index serves, each with the default order, so that the
# filtered first page and the bounded count (tracker.pagination) read only the index.
LIST_FILTERS = {
    "qc": {
        "kind": ["kind", "created_at", "id"],
        "mco": ["target_mco", "created_at", "id"],
        # A team's cases, or a team's cases of one kind: the bounded count read off the index
        # (it walked the whole queue's index and the table's rows: 154 ms at a million cases).
        "team": ["team", "kind", "id"],
    }
}
LIST_ORDERS = {
    "created": ["created_at", "id"],
    "csr": ["csr_last_name", "csr_first_name", "id"],
    "team": ["team_name", "id"],
    "mco": ["mco_name", "id"],
    "returned": ["returned_count", "id"],
    "id": ["id"],
}


def list_indexes():
    from django.db.models import Q

    indexes = []
    for name, states in LIST_CONDITIONS.items():
        condition = Q(state__in=states) if len(states) > 1 else Q(state=states[0])
        orders = dict(LIST_ORDERS)
        if len(states) > 1:
            orders["state"] = ["state", "id"]
        prefix = LIST_PREFIX.get(name, [])
        for order, fields in orders.items():
            if order in LIST_WITHOUT.get(name, ()):
                continue
            indexes.append(
                models.Index(
                    fields=[*prefix, *fields], condition=condition, name=f"case_{name}_by_{order}"
                )
            )
        for key, fields in LIST_FILTERS.get(name, {}).items():
            indexes.append(
                models.Index(fields=fields, condition=condition, name=f"case_{name}_for_{key}")
            )
    return indexes


def _sort_keys(case):
    """What the sort copies of names were taken from (Case.save)."""
    return (case.csr_id, case.team_id, case.target_mco_id)


class CaseQuerySet(models.QuerySet):
    def for_lists(self, *, ssn: bool = False):
        """What a list row shows. SSNs are decrypted (~65 µs each) only for lists that show
        them (`ssn=True`: the State Monitor's)."""
        people = Participant.objects.all() if ssn else Participant.objects.defer("ssn")
        return self.select_related("csr", "team", "target_mco").prefetch_related(
            models.Prefetch("participants", queryset=people)
        )


class Case(ConcurrentTransitionMixin, models.Model):
    kind = models.CharField(max_length=30, choices=Kind.choices)
    state = FSMField(default=State.NEW, choices=State.choices, protected=True, db_index=True)
    csr = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="logged_cases"
    )
    # The CSR's team when the case was logged: its supervisor owns the outreach.
    team = models.ForeignKey(
        "tracker.Team", on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    # Indexed with the state (Meta.indexes): date-range counts (the dashboard's weekly inflow)
    # are then answered by the index alone, and every date-range lookup still leads with it.
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    provider_termination = models.ForeignKey(
        ProviderTermination, on_delete=models.PROTECT, null=True, blank=True, related_name="cases"
    )
    angela_melody_outcome = models.CharField(
        "CSR outcome", max_length=30, choices=AngelaMelodyOutcome.choices, blank=True
    )
    new_provider_name = models.CharField("new provider name", max_length=limits.NAME, blank=True)
    for_cause_reason = models.CharField(max_length=30, choices=ForCauseReason.choices, blank=True)
    erred_by = models.CharField(
        "who made the error", max_length=10, choices=ErredBy.choices, blank=True
    )
    auto_assigned = models.BooleanField("the MCO was auto-assigned", default=False)
    # New MCO / Requested MCO / Correct MCO Choice, depending on the kind.
    target_mco = models.ForeignKey(
        Mco, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    issues_resolved = models.BooleanField("were the consumer's issues resolved?", default=False)
    supervisor_requested = models.BooleanField(
        "did the consumer request a supervisor?", default=False
    )
    notes = bounded_text(blank=True, limit=limits.NOTE)
    # Why the CSR logged it although an open case held one of its MA numbers (the intake's
    # duplicate warning); empty when there was none.
    duplicate_reason = bounded_text(
        "reason for logging despite an open case", blank=True, limit=limits.REASON
    )

    # The consumer's contact, for the supervisor's outreach (issue 13). Personal data: shown on
    # the case page and the outreach form only; never in lists, exports, emails or logs.
    # Required for cases that may need outreach (rules.may_need_outreach).
    consumer_phone = UsPhoneField("consumer's phone", blank=True)
    best_time_to_call = models.CharField(
        "best time to call", max_length=limits.BEST_TIME_TO_CALL, blank=True
    )
    consumer_email = models.EmailField("consumer's email", max_length=limits.EMAIL, blank=True)

    # The state a withdrawn case was in: its taxonomy is that state's, closed (states.taxonomy_of).
    withdrawn_from = models.CharField(
        "withdrawn from", max_length=30, choices=State.choices, blank=True
    )

    returned_count = models.PositiveSmallIntegerField("times returned by State Monitor", default=0)
    mmis_date = models.DateField("MMIS date", null=True, blank=True)
    mmis_reference = models.CharField(
        "MMIS reference", max_length=limits.MMIS_REFERENCE, blank=True
    )

    # Copies of the CSR's, team's and MCO's names, only so that the lists sort by them through
    # an index instead of joining and sorting a million rows (issue 12). Kept in step by save()
    # and by cases.sort_names when a name changes; never shown, never edited.
    csr_last_name = models.CharField(max_length=150, blank=True, default="", editable=False)
    csr_first_name = models.CharField(max_length=150, blank=True, default="", editable=False)
    team_name = models.CharField(max_length=100, blank=True, default="", editable=False)
    mco_name = models.CharField(max_length=120, blank=True, default="", editable=False)

    objects = CaseQuerySet.as_manager()
    # Field history (docs/decisions/0002). `state` is left out: django-fsm-log already records
    # every transition, and the timeline shows it once; the sort copies are not the case's.
    history = HistoricalRecords(excluded_fields=["state", "updated_at", *SORT_NAME_FIELDS])

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["state", "created_at"]),
            models.Index(fields=["created_at", "state"], name="case_created_state"),
            models.Index(fields=["team", "state"]),
            models.Index(fields=["csr", "state"]),
            *list_indexes(),
            # The search box finds a case by the consumer's phone (issue 13); most older cases
            # have none, so only the ones that do are indexed.
            models.Index(
                fields=["consumer_phone"],
                condition=~models.Q(consumer_phone=""),
                name="case_consumer_phone_idx",
            ),
        ]
        permissions = [
            ("vet_case", "Vet cases true or false (QC)"),
            ("process_case", "Mark true tracker cases processed or not (State Monitor)"),
            ("record_outreach", "Record outreach attempts on own team's cases (Supervisor)"),
            ("view_full_identifiers", "See unmasked SSNs"),
            ("export_qc_report", "Export the QC report"),
            ("exchange_handoff", "Export and import the State Monitor hand-off"),
        ]

    def __str__(self):
        return f"{self.number} {self.subject}"

    def save(self, *args, **kwargs):
        # Keep the sort copies of the names in step when the CSR, team or MCO is set or changed
        # (the related objects are usually loaded already: no extra query).
        if getattr(self, "_sort_names_for", None) != _sort_keys(self):
            from .sort_names import copy_names

            changed = copy_names(self)
            update_fields = kwargs.get("update_fields")
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, *changed}
        super().save(*args, **kwargs)
        self._sort_names_for = _sort_keys(self)

    def get_absolute_url(self):
        return reverse("cases:detail", args=[self.pk])

    @classmethod
    def from_db(cls, db, field_names, values):
        case = super().from_db(db, field_names, values)
        case._sort_names_for = _sort_keys(case)
        return case

    @property
    def number(self) -> str:
        return case_number(self.pk) if self.pk else "MCO-(new)"

    # ---- derived, never stored -------------------------------------------------------------
    @property
    def taxonomy(self) -> Taxonomy | None:
        return taxonomy_of(self.state, self.withdrawn_from)

    @property
    def next_actor(self) -> str:
        return NEXT_ACTOR.get(self.state, "—")

    @property
    def subject(self) -> str:
        return case_subject(self.kind, self.for_cause_reason)

    def documentation_line(self, *, full_ssn: bool = False, participants=None) -> str:
        """The seed's "CRM:" line for the kind; SSNs masked unless `full_ssn`."""
        people = list(self.participants.all() if participants is None else participants)
        return crm_line(
            kind=self.kind,
            names=[p.name for p in people],
            ma_numbers=[p.ma_number for p in people],
            ssns=[p.ssn_display(full=full_ssn) for p in people],
            mco=self.target_mco.name if self.target_mco_id else "",
            new_provider_name=self.new_provider_name,
            for_cause_reason=self.for_cause_reason,
        )

    @property
    def consumer_phone_uri(self) -> str:
        return tel_uri(self.consumer_phone)

    def clean(self):
        from .rules import validate_case, validate_contact

        # The seed's rules judge the case the day it is logged; a correction later (or an
        # Admin's edit) re-checks only the consumer's contact (rules.validate_contact).
        if self.state == State.NEW:
            validate_case(self)
        else:
            validate_contact(self)

    # ---- the state machine (DESIGN.md "The state machine"), top to bottom ------------------
    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.NEW,
        target=RETURN_VALUE(State.ESCALATED, State.QUESTION_ANSWERED, State.MCO_UPDATED),
        permission=permissions.can_log,
    )
    def log(self, *, by=None, description=""):
        """CSR logs the case. Angela Melody closes as Question Answered or MCO Updated; every
        other kind is escalated as Plan Selected in Error (seed: "all manual reasons except
        Angela Melody")."""
        if self.kind == Kind.PROVIDER_TERMINATION:
            if self.angela_melody_outcome == AngelaMelodyOutcome.MCO_UPDATED:
                return State.MCO_UPDATED
            return State.QUESTION_ANSWERED
        return State.ESCALATED

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.ESCALATED, State.MCO_UPDATED],
        target=State.TRUE_TRACKER,
        permission=permissions.can_vet,
    )
    def vet_true(self, *, by=None, description=""):
        """QC: a "true" tracker case goes to the State Monitors."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.ESCALATED, State.MCO_UPDATED],
        target=State.OUTREACH_REQUIRED,
        permission=permissions.can_vet,
    )
    def vet_false(self, *, by=None, description=""):
        """QC: not a "true" case; relabelled and sent to the CSR's supervisor for outreach."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.TRUE_TRACKER,
        target=State.PROCESSED,
        permission=permissions.can_process,
    )
    def mark_processed(self, *, mmis_date, mmis_reference, by=None, description=""):
        """State Monitor processed the change in MMIS."""
        self.mmis_date = mmis_date
        self.mmis_reference = mmis_reference

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.TRUE_TRACKER,
        target=State.RETURNED_BY_MONITOR,
        permission=permissions.can_process,
    )
    def return_unprocessed(self, *, by=None, description=""):
        """State Monitor could not process it: back to QC for supervisor notification."""
        self.returned_count += 1

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=State.RETURNED_BY_MONITOR,
        target=State.OUTREACH_REQUIRED,
        permission=permissions.can_vet,
    )
    def require_outreach(self, *, by=None, description=""):
        """QC relabels a case the State Monitor could not process: supervisor outreach."""

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=[State.OUTREACH_REQUIRED, State.OUTREACH_FIRST_ATTEMPT],
        target=RETURN_VALUE(
            State.OUTREACH_FIRST_ATTEMPT, State.OUTREACH_MAX_ATTEMPTS, State.OUTREACH_COMPLETED
        ),
        permission=permissions.can_record_outreach,
    )
    def record_attempt(self, *, reached: bool, by=None, description=""):
        """Supervisor outreach: at most two attempts (seed: "two (2) outreach attempts")."""
        if reached:
            return State.OUTREACH_COMPLETED
        if self.state == State.OUTREACH_REQUIRED:
            return State.OUTREACH_FIRST_ATTEMPT
        return State.OUTREACH_MAX_ATTEMPTS

    @fsm_log_by
    @fsm_log_description
    @transition(
        field=state,
        source=WITHDRAWABLE,
        target=State.WITHDRAWN,
        permission=permissions.can_withdraw,
    )
    def withdraw(self, *, by=None, description=""):
        """A case logged in error (DESIGN.md "New states"): terminal, out of every work list. It
        keeps the state it left, whose taxonomy it shows, closed (states.taxonomy_of)."""
        self.withdrawn_from = self.state


class ParticipantQuerySet(models.QuerySet):
    def with_ssn(self, ssn: str):
        """Participants with this SSN (any formatting), found through the blind index: the SSN
        itself is encrypted and cannot be searched."""
        field = self.model._meta.get_field("ssn_index")
        return self.filter(ssn_index=field.index_of(normalize_digits(ssn)))


class ParticipantHistoryFields(models.Model):
    """What the field history keeps of an SSN: the masked form and whether it changed, never
    the SSN itself (not in clear, and no second encrypted copy to re-key). Filled in by
    cases.history."""

    ssn_masked = models.CharField("SSN", max_length=11, blank=True)
    ssn_changed = models.BooleanField(default=False)

    class Meta:
        abstract = True


class Participant(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="participants")
    name = models.CharField(max_length=limits.NAME)
    # The name as the search box compares it (tracker.search_text.fold); trigram-indexed on
    # PostgreSQL (migration 0010).
    name_search = FoldedTextField(max_length=limits.NAME, source="name")
    ma_number = models.CharField(
        "MA number", max_length=11, validators=[validate_ma_number], db_index=True
    )
    # Encrypted at rest; the clear digits in Python (docs/decisions/0001-field-encryption.md).
    ssn = EncryptedCharField("SSN", max_length=9, validators=[validate_ssn])
    ssn_index = BlindIndexField("SSN blind index", source="ssn", purpose="ssn")
    # In clear, filled from `ssn` on every save: masked SSNs (lists, the QC report) never
    # decrypt (docs/decisions/0008-sheet-writer.md).
    ssn_last4 = ClearSuffixField("SSN last four digits", source="ssn")

    objects = ParticipantQuerySet.as_manager()

    history = HistoricalRecords(
        excluded_fields=["ssn", "ssn_index", "ssn_last4", "name_search"],
        bases=[ParticipantHistoryFields],
    )

    class Meta:
        ordering = ["pk"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.ma_number = normalize_digits(self.ma_number)
        self.ssn = normalize_digits(self.ssn)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "ssn" in update_fields:
            kwargs["update_fields"] = update_fields = {*update_fields, "ssn_index", "ssn_last4"}
        if update_fields is not None and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "name_search"}
        super().save(*args, **kwargs)

    @property
    def ssn_formatted(self) -> str:
        return format_ssn(self.ssn)

    @property
    def ssn_masked(self) -> str:
        return mask_ssn(self.ssn)

    def ssn_display(self, *, full: bool) -> str:
        return format_ssn(self.ssn) if full else self.ssn_masked


class CaseComment(models.Model):
    """A note anyone who may see the case adds to its timeline (issue 13)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = bounded_text(limit=limits.NOTE)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["case", "created_at", "pk"]

    def __str__(self):
        return f"Comment on {self.case.number} by {self.author}"


class OutreachAttempt(models.Model):
    class Method(models.TextChoices):
        PHONE = "phone", "Phone"
        EMAIL = "email", "Email"
        MAIL = "mail", "Mail"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="outreach_attempts")
    number = models.PositiveSmallIntegerField()
    made_on = models.DateField()
    method = models.CharField(max_length=10, choices=Method.choices)
    reached = models.BooleanField("consumer reached")
    note = bounded_text(blank=True, limit=limits.NOTE)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["case", "number"]
        constraints = [
            models.UniqueConstraint(fields=["case", "number"], name="one_attempt_per_number"),
            models.CheckConstraint(
                condition=models.Q(number__gte=1, number__lte=2), name="at_most_two_attempts"
            ),
        ]

    def __str__(self):
        return f"Attempt {self.number} on {self.case.number}"
