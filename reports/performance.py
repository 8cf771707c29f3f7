"""How each assister organization performs, per reporting period or over a season.

What each figure means (one place, shown on the page and in the export):
- Leads received: leads sent to the organization in the period(s), not withdrawn or moved to
  another organization since (the leads of its Preferred Assister Reports).
- Contacted: leads reported with Contact Made = Y. % of leads received.
- Contacted within 2 business days: Contact Date on or before the lead's contact due date (2
  business days after sending, US federal + Minnesota holidays). % of leads received.
- Median days to contact: calendar days from the day the lead was sent to its Contact Date, over
  contacted leads.
- Resolution mix: leads per Resolution (all nine, zeros included); not reported = no answer yet.
- Reports: each period's Preferred Assister Report — returned on time (by the due date), returned
  late, missing (sent, not returned, past due), outstanding (sent, not yet due), not sent.

Everything comes from two queries whatever the number of organizations and leads.
"""

from dataclasses import dataclass, field
from datetime import date
from statistics import median

from django.utils import timezone

from referrals.models import AssisterOrganization, AssisterReport, Referral, ReportingPeriod
from referrals.rules import AssisterType
from referrals.states import Resolution

REPORT_OUTCOMES = {
    "on_time": "Returned on time",
    "late": "Returned late",
    "missing": "Missing (past due)",
    "outstanding": "Sent, not yet due",
    "not_sent": "Not sent yet",
}


def report_outcome(report: AssisterReport, today: date) -> str:
    if report.status == AssisterReport.Status.RETURNED:
        return "on_time" if report.returned_on_time else "late"
    if report.status == AssisterReport.Status.SENT:
        return "missing" if report.is_overdue(today) else "outstanding"
    return "not_sent"


def percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


@dataclass
class Score:
    """One organization's figures (or the total over all organizations)."""

    name: str
    kind: str = ""
    leads: int = 0
    contacted: int = 0
    contacted_in_time: int = 0
    days_to_contact: list[int] = field(default_factory=list)
    resolutions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(Resolution.values, 0))
    not_reported: int = 0
    reports: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORT_OUTCOMES, 0))

    @property
    def kind_label(self) -> str:
        """ "Navigator grantee" / "Broker enrollment center", as the directory says it."""
        return AssisterType(self.kind).label if self.kind else ""

    @property
    def contacted_pct(self) -> float | None:
        return percent(self.contacted, self.leads)

    @property
    def in_time_pct(self) -> float | None:
        return percent(self.contacted_in_time, self.leads)

    @property
    def median_days(self) -> float | None:
        return median(self.days_to_contact) if self.days_to_contact else None

    @property
    def resolution_mix(self) -> list[tuple[str, str, int]]:
        """(value, label, count) in the report's order."""
        return [(value, label, self.resolutions[value]) for value, label in Resolution.choices]

    def add_lead(self, *, sent_on, contact_made, contact_date, contact_due_on, resolution):
        self.leads += 1
        if resolution:
            self.resolutions[resolution] += 1
        else:
            self.not_reported += 1
        if contact_made and contact_date:
            self.contacted += 1
            self.days_to_contact.append((contact_date - sent_on).days)
            if contact_due_on and contact_date <= contact_due_on:
                self.contacted_in_time += 1


@dataclass
class Scorecard:
    periods: list[ReportingPeriod]
    rows: list[Score]
    total: Score


def scorecard(periods: list[ReportingPeriod], today: date | None = None) -> Scorecard:
    """Per organization over `periods` (one period, or a season's): leads and reports."""
    today = today or timezone.localdate()
    scores: dict[int, Score] = {}

    def score_for(organization_id, name, kind):
        if organization_id not in scores:
            scores[organization_id] = Score(name=name, kind=kind)
        return scores[organization_id]

    leads = Referral.objects.reported_in(*periods).values_list(
        "organization_id",
        "organization__name",
        "organization__kind",
        "sent_at",
        "contact_made",
        "contact_date",
        "contact_due_on",
        "resolution",
    )
    for org_id, name, kind, sent_at, made, on, due, resolution in leads:
        score_for(org_id, name, kind).add_lead(
            sent_on=timezone.localdate(sent_at),
            contact_made=made,
            contact_date=on,
            contact_due_on=due,
            resolution=resolution,
        )
    reports = AssisterReport.objects.filter(period__in=periods).select_related(
        "organization", "period"
    )
    for report in reports:
        org = report.organization
        score_for(org.pk, org.name, org.kind).reports[report_outcome(report, today)] += 1
    rows = sorted(scores.values(), key=lambda score: score.name)
    return Scorecard(periods=list(periods), rows=rows, total=_total(rows))


def _total(rows: list[Score]) -> Score:
    total = Score(name="All organizations")
    for row in rows:
        total.leads += row.leads
        total.contacted += row.contacted
        total.contacted_in_time += row.contacted_in_time
        total.days_to_contact += row.days_to_contact
        total.not_reported += row.not_reported
        for key, count in row.resolutions.items():
            total.resolutions[key] += count
        for key, count in row.reports.items():
            total.reports[key] += count
    return total


def default_period(today: date) -> ReportingPeriod | None:
    """The latest period whose report has gone out, else the latest period."""
    return (
        ReportingPeriod.objects.filter(send_on__lte=today).order_by("-start").first()
        or ReportingPeriod.objects.order_by("-start").first()
    )


def organizations_without_leads(score_card: Scorecard):
    """Active organizations that received no lead in these periods (shown, so none is missed)."""
    names = {row.name for row in score_card.rows}
    return [
        org
        for org in AssisterOrganization.objects.filter(status=AssisterOrganization.Status.ACTIVE)
        if org.name not in names
    ]
