"""The work lists' tables (django-tables2). Age is counted in business days (US federal
holidays) and rows older than settings.CASE_AGE_ALERT_BUSINESS_DAYS are highlighted."""

from functools import cached_property

import django_tables2 as tables
from django.conf import settings
from django.utils import timezone
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe

from tracker.business_days import add_business_days, business_days_between
from tracker.tables import LeanTable, url_maker

from .models import Case

# Seed: supervisors make two outreach attempts; it gives no deadline, so we expect each attempt
# within this many business days of the previous step (configurable, our choice).
OUTREACH_ATTEMPT_BUSINESS_DAYS = getattr(settings, "OUTREACH_ATTEMPT_BUSINESS_DAYS", 2)


def case_age(case) -> int:
    if not hasattr(case, "_age"):
        case._age = business_days_between(case.created_at, timezone.localdate())
    return case._age


def is_overdue(case) -> bool:
    return case_age(case) > settings.CASE_AGE_ALERT_BUSINESS_DAYS


def _row_class(record):
    return "overdue" if is_overdue(record) else ""


class CaseTable(LeanTable):
    number = tables.Column(
        accessor="pk", verbose_name="Case", order_by=("pk",), attrs={"td": {"class": "id"}}
    )
    subject = tables.Column(empty_values=(), orderable=False)
    participants = tables.Column(empty_values=(), orderable=False, verbose_name="Participants")
    # Every order ends in the id, so that pages never overlap, and sorts by names use the
    # case's own copies of them: each (list, order) pair has a partial index that hands the page
    # over in order (cases.models.LIST_ORDERS; issue 12).
    csr = tables.Column(verbose_name="CSR", order_by=("csr_last_name", "csr_first_name", "pk"))
    team = tables.Column(order_by=("team_name", "pk"))
    target_mco = tables.Column(verbose_name="MCO", order_by=("mco_name", "pk"))
    state = tables.Column(verbose_name="Status", order_by=("state", "pk"))
    created_at = tables.DateTimeColumn(
        verbose_name="Logged", format="m/d/Y", order_by=("created_at", "pk")
    )
    age = tables.Column(
        empty_values=(),
        verbose_name="Age (business days)",
        order_by=("-created_at", "-pk"),
        attrs={"td": {"class": "age"}},
    )

    full_identifiers = False

    class Meta:
        model = Case
        fields = ()
        attrs = {"class": "table"}
        row_attrs = {"class": _row_class, "data-case": lambda record: record.number}
        empty_text = "No cases here right now."
        order_by = ("-created_at",)

    @cached_property
    def case_url(self):
        """Case.get_absolute_url for this page's rows, reversed once."""
        return url_maker("cases:detail")

    def render_number(self, record):
        # The link written here, not by linkify: django-tables2's link transform costs more than
        # the rest of the cell.
        return format_html('<a href="{}">{}</a>', self.case_url(record.pk), record.number)

    def render_created_at(self, value):
        # Not DateTimeColumn's template: one template render per cell (issue 12).
        return f"{timezone.localtime(value):%m/%d/%Y}"

    def render_subject(self, record):
        return record.subject

    def render_participants(self, record):
        people = record.participants.all()  # prefetched by Case.objects.for_lists()
        if self.full_identifiers:
            return format_html_join(
                mark_safe("<br>"),
                '{} · MA <span class="id">{}</span> · SSN <span class="id">{}</span>',
                ((p.name, p.ma_number, p.ssn_formatted) for p in people),
            )
        return ", ".join(p.name for p in people)

    def render_age(self, record):
        age = case_age(record)
        if is_overdue(record):
            return format_html(
                '<span class="badge bad" title="Older than {} business days">{}</span>',
                settings.CASE_AGE_ALERT_BUSINESS_DAYS,
                age,
            )
        return age


class SelectCaseColumn(tables.CheckBoxColumn):
    """The QC queue's row checkbox, named after its case for screen readers (WCAG 4.1.2):
    "Select MCO-000123". CheckBoxColumn's own markup, written at once: its render evaluates its
    attributes and their callables cell by cell (a sixth of a 100-row page's time)."""

    def render(self, value, bound_column, record):
        return format_html(
            '<input type="checkbox" name="{}" value="{}"{} aria-label="Select {}" />',
            bound_column.name,
            value,
            mark_safe(' checked="checked"') if self.is_checked(value, record) else "",
            record.number,
        )


class QcQueueTable(CaseTable):
    selection = SelectCaseColumn(
        accessor="pk",
        attrs={
            "th__input": {"data-select-all": "selection", "aria-label": "Select every case here"},
        },
    )
    returned_count = tables.Column(verbose_name="Returned by SM", order_by=("returned_count", "pk"))

    class Meta(CaseTable.Meta):
        sequence = ("selection", "number", "subject", "state", "...")

    def __init__(self, *args, selected=(), **kwargs):
        super().__init__(*args, **kwargs)
        chosen = frozenset(selected)
        self.columns["selection"].column.checked = lambda value, record: value in chosen

    def render_returned_count(self, value):
        if value:
            return format_html('<span class="badge warn">{}×</span>', value)
        return "0"


class MonitorTable(CaseTable):
    full_identifiers = True
    documentation = tables.Column(empty_values=(), orderable=False, verbose_name="CRM")
    returned_count = tables.Column(
        verbose_name="Returned before", order_by=("returned_count", "pk")
    )
    process = tables.Column(empty_values=(), orderable=False, verbose_name="")

    class Meta(CaseTable.Meta):
        exclude = ("state",)

    def render_process(self, record):
        return format_html(
            '<a class="button" href="{}#actions">Processed / not processed</a>',
            self.case_url(record.pk),
        )

    def render_documentation(self, record):
        return record.documentation_line(full_ssn=True, participants=record.participants.all())


class SupervisorTable(CaseTable):
    # Sorted by state, which says the same: a case enters outreach once, with no attempt
    # (Outreach Required), and leaves it at the second attempt, so every case on this list has
    # made 0 (outreach_required) or 1 (outreach_first_attempt) attempts. The state order has a
    # partial index; the count (a subquery per row) could only be sorted by computing it for
    # every case of the team (issue 12: 355 ms at a million cases).
    attempts_made = tables.Column(verbose_name="Attempts made", order_by=("-state", "-pk"))
    next_due = tables.Column(empty_values=(), orderable=False, verbose_name="Next attempt due")

    class Meta(CaseTable.Meta):
        pass

    def render_next_due(self, record):
        last = record.last_attempt_on or (
            timezone.localtime(record.outreach_since).date() if record.outreach_since else None
        )
        if last is None:
            return "—"
        due = add_business_days(last, OUTREACH_ATTEMPT_BUSINESS_DAYS)
        label = f"Attempt {record.attempts_made + 1} by {due:%m/%d/%Y}"
        if due < timezone.localdate():
            return format_html('<span class="badge bad">{} (late)</span>', label)
        return label


class CsrTable(CaseTable):
    next_actor = tables.Column(empty_values=(), orderable=False, verbose_name="Who acts next")

    class Meta(CaseTable.Meta):
        exclude = ("csr", "team")

    def render_next_actor(self, record):
        return record.next_actor
