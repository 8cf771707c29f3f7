import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from .models import AssisterOrganization, Referral


class ReferralTable(tables.Table):
    number = tables.Column(
        "Lead", linkify=True, accessor="pk", order_by="pk", attrs={"td": {"class": "nowrap"}}
    )
    created_at = tables.DateTimeColumn(verbose_name="Created")  # DATETIME_FORMAT (tracker/formats)
    consumer_name = tables.Column("Consumer")
    county = tables.Column()
    assister_type = tables.Column("Type")
    organization = tables.Column("Organization")
    state = tables.Column("Status")
    contact_due_on = tables.Column("Contact due")

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
        row_attrs = {"class": lambda record: "overdue" if record.is_overdue else ""}
        attrs = {"class": "table"}
        empty_text = "No referrals match."

    def render_number(self, record):
        return record.number

    def render_state(self, record):
        tone = {"sent": "ok", "failed": "bad", "withdrawn": "", "outcome_reported": "ok"}.get(
            record.state, "warn"
        )
        badge = format_html('<span class="badge {}">{}</span>', tone, record.get_state_display())
        if getattr(record, "retrying", False):
            return format_html('{} <span class="badge bad">email failed, retrying</span>', badge)
        return badge

    def render_contact_due_on(self, record, value):
        if record.is_overdue:
            return format_html('{} <span class="badge bad">overdue</span>', f"{value:%m/%d/%Y}")
        return f"{value:%m/%d/%Y}"


class OrganizationTable(tables.Table):
    name = tables.Column(linkify=True)
    kind = tables.Column("Type")
    lead_email = tables.EmailColumn(verbose_name="Designated lead email")
    county_names = tables.Column("Counties served", orderable=False, empty_values=())
    status = tables.Column()
    open_leads = tables.Column("Open leads")

    class Meta:
        model = AssisterOrganization
        fields = []
        sequence = ["name", "kind", "lead_email", "county_names", "status", "open_leads"]
        attrs = {"class": "table"}

    def render_county_names(self, record):
        return ", ".join(county.name for county in record.counties.all())

    def render_status(self, record):
        if record.is_active:
            return mark_safe('<span class="badge ok">Active</span>')
        return format_html(
            '<span class="badge bad">Suspended</span> <span class="muted">{}</span>',
            record.suspension_reason,
        )


class PortalLeadTable(tables.Table):
    """An assister's leads: who to call, by when, and what was reported."""

    number = tables.Column(
        "Lead",
        linkify=("portal:lead", {"pk": tables.A("pk")}),
        accessor="pk",
        order_by="pk",
        attrs={"td": {"class": "nowrap"}},
    )
    consumer_name = tables.Column("Consumer")
    phone = tables.Column(orderable=False, attrs={"td": {"class": "nowrap"}})
    county = tables.Column()
    language = tables.Column()
    sent_at = tables.DateTimeColumn(verbose_name="Sent", format="m/d/Y")
    contact_due_on = tables.Column("Contact due")
    resolution = tables.Column("Outcome", empty_values=())

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
        row_attrs = {"class": lambda record: "overdue" if record.is_overdue else ""}
        attrs = {"class": "table", "id": "leads"}
        empty_text = "No leads match."

    def render_number(self, record):
        return record.number

    render_contact_due_on = ReferralTable.render_contact_due_on

    def render_resolution(self, record):
        if record.contact_made is None:
            return format_html('<span class="badge warn">{}</span>', "Awaiting outcome")
        return format_html(
            '<span class="badge ok">{}</span> {}',
            "Y" if record.contact_made else "N",
            record.get_resolution_display(),
        )
