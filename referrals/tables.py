"""The referral lists. Each sort is its column then the id, so that equal values keep one
order from page to page and a page is read straight from the matching index (models.Referral's
Meta); county and organization sort by name. Cells are formatted in Python (no template per
cell) and "today" is read once per table, not once per row (issue 12)."""

import django_tables2 as tables
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from tracker.tables import LeanTable

from .models import AssisterOrganization, Referral
from .states import AWAITING_CONTACT, State


def _sorted(*fields):
    """A column's sort: its fields, then the id as the tie-breaker."""
    return (*fields, "pk")


# A lead number that no referral has, reversed in place of each row's own (see LeadTable).
_ANY_PK = 2_147_483_647


class LeadTable(LeanTable):
    """What the referral and portal tables share: the lead's link and the overdue flag, each
    worked out once for the page (a reverse() per row was a fifth of the list's Python), and a
    body built by LeanTable (django-tables2's per-cell rendering was most of a first page)."""

    lead_url = None  # the URL name of a lead's page

    def __init__(self, *args, **kwargs):
        # LeanTable's body in django-tables2's frame, with the notice a refused deep page gives.
        kwargs.setdefault("template_name", "tracker/table.html")
        super().__init__(*args, **kwargs)
        self.today = timezone.localdate()
        self._url_head, _, self._url_tail = reverse(self.lead_url, args=[_ANY_PK]).partition(
            str(_ANY_PK)
        )

    def render_number(self, record):
        url = f"{self._url_head}{record.pk}{self._url_tail}"
        return format_html('<a href="{}">{}</a>', url, record.number)

    def overdue(self, record) -> bool:
        # Referral.is_overdue, with today's date read once for the whole page.
        return (
            record.state in AWAITING_CONTACT
            and record.contact_made is None
            and record.contact_due_on is not None
            and record.contact_due_on < self.today
        )

    def render_contact_due_on(self, record, value):
        if self.overdue(record):
            return format_html('{} <span class="badge bad">overdue</span>', f"{value:%m/%d/%Y}")
        return f"{value:%m/%d/%Y}"


def _overdue_row(record, table):
    return "overdue" if table.overdue(record) else ""


STATE_TONES = {
    State.SENT: "ok",
    State.ACCEPTED: "ok",
    State.IN_PROGRESS: "ok",
    State.COMPLETED: "ok",
    State.FAILED: "bad",
    State.DECLINED: "bad",
    State.WITHDRAWN: "",
}


class ReferralTable(LeadTable):
    lead_url = "referrals:detail"

    number = tables.Column("Lead", accessor="pk", order_by="pk", attrs={"td": {"class": "nowrap"}})
    created_at = tables.Column("Created", order_by=_sorted("created_at"))
    consumer_name = tables.Column("Consumer", order_by=_sorted("consumer_name"))
    county = tables.Column(order_by=_sorted("county__name"))
    assister_type = tables.Column("Type", order_by=_sorted("assister_type"))
    organization = tables.Column("Organization", order_by=_sorted("organization__name"))
    state = tables.Column("Status", order_by=_sorted("state"))
    contact_due_on = tables.Column("Contact due", order_by=_sorted("contact_due_on"))

    class Meta:
        model = Referral
        fields = []
        sequence = [
            "number",
            "created_at",
            "consumer_name",
            "county",
            "assister_type",
            "organization",
            "state",
            "contact_due_on",
        ]
        row_attrs = {"class": _overdue_row}
        attrs = {"class": "table"}
        empty_text = "No referrals match."

    def render_state(self, record):
        tone = STATE_TONES.get(record.state, "warn")
        badge = format_html('<span class="badge {}">{}</span>', tone, record.get_state_display())
        if record.state == State.DECLINED and record.decline_reason:
            # The coordinators' queue shows why, so the reassignment can be chosen from the list.
            return format_html(
                '{} <span class="muted">{}</span>', badge, record.get_decline_reason_display()
            )
        if getattr(record, "retrying", False):
            return format_html('{} <span class="badge bad">email failed, retrying</span>', badge)
        return badge

    def render_created_at(self, value):
        # One format for timestamps everywhere, the zone named (tracker/formats, issue 17).
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")


class OrganizationTable(LeanTable):
    """The directory: every organization on one page, its body built by LeanTable."""

    name = tables.Column(linkify=True)
    kind = tables.Column("Type")
    lead_email = tables.EmailColumn(verbose_name="Designated lead email")
    county_names = tables.Column("Counties served", orderable=False, empty_values=())
    language_names = tables.Column("Languages served", orderable=False, empty_values=())
    status = tables.Column()
    open_leads = tables.Column("Open leads")

    class Meta:
        model = AssisterOrganization
        fields = []
        sequence = [
            "name",
            "kind",
            "lead_email",
            "county_names",
            "language_names",
            "status",
            "open_leads",
        ]
        attrs = {"class": "table"}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("template_name", "tracker/lean_table.html")
        super().__init__(*args, **kwargs)

    def render_county_names(self, record):
        return ", ".join(county.name for county in record.counties.all())

    def render_language_names(self, record):
        return ", ".join(language.name for language in record.languages.all()) or "—"

    def render_open_leads(self, record, value):
        if record.max_open_leads is None:
            return value
        return f"{value} of at most {record.max_open_leads}"

    def render_status(self, record):
        if record.is_active and record.is_paused:
            until = (
                f"until {record.paused_until:%m/%d/%Y}" if record.paused_until else "until resumed"
            )
            return format_html(
                '<span class="badge warn">No new leads</span> <span class="muted">{}: {}</span>',
                until,
                record.pause_reason,
            )
        if record.is_active:
            return mark_safe('<span class="badge ok">Active</span>')
        return format_html(
            '<span class="badge bad">Suspended</span> <span class="muted">{}</span>',
            record.suspension_reason,
        )


class PortalLeadTable(LeadTable):
    """An assister's leads: who to call, by when, and what was reported."""

    lead_url = "portal:lead"

    number = tables.Column("Lead", accessor="pk", order_by="pk", attrs={"td": {"class": "nowrap"}})
    consumer_name = tables.Column("Consumer", order_by=_sorted("consumer_name"))
    phone = tables.Column(orderable=False, attrs={"td": {"class": "nowrap"}})
    county = tables.Column(order_by=_sorted("county__name"))
    language = tables.Column(order_by=_sorted("language"))
    sent_at = tables.Column("Sent", order_by=_sorted("sent_at"))
    contact_due_on = tables.Column("Contact due", order_by=_sorted("contact_due_on"))
    resolution = tables.Column("Outcome", empty_values=(), order_by=_sorted("resolution"))

    class Meta:
        model = Referral
        fields = []
        sequence = [
            "number",
            "consumer_name",
            "phone",
            "county",
            "language",
            "sent_at",
            "contact_due_on",
            "resolution",
        ]
        row_attrs = {"class": _overdue_row}
        attrs = {"class": "table", "id": "leads"}
        empty_text = "No leads match."

    def render_sent_at(self, value):
        return f"{timezone.localtime(value):%m/%d/%Y}"

    def render_resolution(self, record):
        if record.contact_made is None:
            waiting = "Accepted, awaiting contact" if record.state == State.ACCEPTED else "New lead"
            return format_html('<span class="badge warn">{}</span>', waiting)
        return format_html(
            '<span class="badge ok">{}</span> {}',
            "Y" if record.contact_made else "N",
            record.get_resolution_display(),
        )
