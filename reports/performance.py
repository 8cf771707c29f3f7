"""How each assister organization performs, per reporting period or over a season.

What each figure means (one place, shown on the page and in the export):
- Leads received: leads sent to the organization in the period(s), not withdrawn, declined or
  moved to another organization since (the leads of its Preferred Assister Reports).
- Contacted: leads reported with Contact Made = Y. % of leads received.
- Contacted within 2 business days: Contact Date on or before the lead's contact due date (2
  business days after sending, US federal + Minnesota holidays). % of leads received.
- Median days to contact: calendar days from the day the lead was sent to its Contact Date, over
  contacted leads.
- Resolution mix: leads per Resolution (all nine, zeros included); not reported = no answer yet.
- Accepted: leads received that the organization took — accepted in the portal, or worked
  (contact or an outcome reported) without accepting first, which takes them then.
- Declined: leads the organization declined during the period(s) (by when it declined: a
  declined lead moves on to another organization, and its sending date with it). A lead
  declined by two organizations in turn counts for the later one.
- Acceptance rate: accepted ÷ (accepted + declined), the leads it answered.
- Median days to accept: calendar days from sending to accepting, over accepted leads.
- Decline reasons: declines per reason (all of them, zeros included).
- Appointments: leads received with an appointment date; within two weeks = on or before the
  referral's date + 14 days (the seed's "appointment within two weeks"). % of appointments.
- Reports: each period's Preferred Assister Report — returned on time (by the due date), returned
  late, missing (sent, not returned, past due), outstanding (sent, not yet due), not sent.
- Coverage by language, per preferred language of the leads received: leads; leads whose
  organization lists that language (number and % of the language's leads); active (not
  suspended) organizations that list it. A named language none of whose leads reached an
  organization listing it is a gap. "Other" names no language an organization can list (as in
  routing and the coverage page): its leads are counted, never matched, never a gap.

Everything comes from six queries (five aggregates and the organizations' names) whatever the
number of organizations and leads.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Case, Count, DurationField, F, Q, When
from django.db.models.functions import TruncDate
from django.utils import timezone

from referrals.models import (
    AssisterOrganization,
    AssisterReport,
    Referral,
    ReportingPeriod,
    appointment_in_time_q,
)
from referrals.rules import AssisterType
from referrals.states import REPORTABLE, TAKEN, DeclineReason, Resolution

from .scorecard_base import during, percent, sent_during
from .scorecard_languages import LanguageScore, language_scores

REPORT_OUTCOMES = {
    "on_time": "Returned on time",
    "late": "Returned late",
    "missing": "Missing (past due)",
    "outstanding": "Sent, not yet due",
    "not_sent": "Not sent yet",
}
# Resolution.values / .choices rebuild their lists on every use (an enum walk): read them once.
RESOLUTION_CHOICES = tuple(Resolution.choices)
RESOLUTIONS = tuple(value for value, _ in RESOLUTION_CHOICES)
DECLINE_CHOICES = tuple(DeclineReason.choices)
DECLINE_REASONS = tuple(value for value, _ in DECLINE_CHOICES)


@dataclass
class Score:
    """One organization's figures (or the total over all organizations)."""

    name: str
    kind: str = ""
    leads: int = 0
    contacted: int = 0
    contacted_in_time: int = 0
    # Days to contact -> contacted leads: the median needs only this histogram, not each lead.
    days_to_contact: Counter = field(default_factory=Counter)
    resolutions: dict[str, int] = field(default_factory=lambda: dict.fromkeys(RESOLUTIONS, 0))
    not_reported: int = 0
    reports: dict[str, int] = field(default_factory=lambda: dict.fromkeys(REPORT_OUTCOMES, 0))
    accepted: int = 0
    declined: int = 0
    # Days to accept -> accepted leads (as days_to_contact).
    days_to_accept: Counter = field(default_factory=Counter)
    decline_reasons: dict[str, int] = field(
        default_factory=lambda: dict.fromkeys(DECLINE_REASONS, 0)
    )
    appointments: int = 0
    appointments_in_time: int = 0

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
        return histogram_median(self.days_to_contact)

    @property
    def acceptance_pct(self) -> float | None:
        return percent(self.accepted, self.accepted + self.declined)

    @property
    def median_days_to_accept(self) -> float | None:
        return histogram_median(self.days_to_accept)

    @property
    def appointments_in_time_pct(self) -> float | None:
        return percent(self.appointments_in_time, self.appointments)

    @property
    def decline_mix(self) -> list[tuple[str, str, int]]:
        """(value, label, count) for every decline reason, in the list's order."""
        return [(value, label, self.decline_reasons[value]) for value, label in DECLINE_CHOICES]

    @property
    def resolution_mix(self) -> list[tuple[str, str, int]]:
        """(value, label, count) in the report's order."""
        return [(value, label, self.resolutions[value]) for value, label in RESOLUTION_CHOICES]

    def add(self, other: "Score") -> None:
        self.leads += other.leads
        self.contacted += other.contacted
        self.contacted_in_time += other.contacted_in_time
        self.days_to_contact.update(other.days_to_contact)
        self.not_reported += other.not_reported
        for key, count in other.resolutions.items():
            self.resolutions[key] += count
        for key, count in other.reports.items():
            self.reports[key] += count
        self.accepted += other.accepted
        self.declined += other.declined
        self.days_to_accept.update(other.days_to_accept)
        for key, count in other.decline_reasons.items():
            self.decline_reasons[key] += count
        self.appointments += other.appointments
        self.appointments_in_time += other.appointments_in_time


def histogram_median(counts: Counter) -> float | None:
    """statistics.median of the values `counts` holds (value -> how many times): the middle
    value, or the mean of the two middle ones — the same number, of the same type."""
    size = sum(counts.values())
    if not size:
        return None

    def value_at(position: int):  # 0-based, in ascending order
        seen = 0
        for value in sorted(counts):
            seen += counts[value]
            if position < seen:
                return value

    if size % 2:
        return value_at(size // 2)
    return (value_at(size // 2 - 1) + value_at(size // 2)) / 2


@dataclass
class Scorecard:
    periods: list[ReportingPeriod]
    rows: list[Score]
    total: Score
    languages: list[LanguageScore] = field(default_factory=list)

    @property
    def language_gaps(self) -> list[str]:
        return [row.language for row in self.languages if row.gap]


def scorecard(periods: list[ReportingPeriod], today: date | None = None) -> Scorecard:
    """Per organization over `periods` (one period, or a season's): leads and reports.

    Counted in the database, a row per organization (and, for the median, per number of days
    to contact), so a season of 200,000 leads costs two aggregate queries, a few hundred rows
    and a query for the organizations' names, not a Python loop over every lead."""
    today = today or timezone.localdate()
    scores: dict[int, Score] = {}

    def score_for(organization_id):
        # Not setdefault: that built a Score (four dicts) for each of a season's 3,000 rows.
        score = scores.get(organization_id)
        if score is None:
            score = scores[organization_id] = Score(name="")
        return score

    for row in _lead_counts(periods):
        score = score_for(row["organization_id"])
        score.leads += row["leads"]
        score.contacted += row["contacted"]
        score.contacted_in_time += row["in_time"]
        score.not_reported += row["not_reported"]
        if row["days"] is not None:
            score.days_to_contact[row["days"].days] += row["contacted"]
        for value in RESOLUTIONS:
            score.resolutions[value] += row[f"res_{value}"]
        score.accepted += row["accepted"]
        if row["accept_days"] is not None:
            score.days_to_accept[row["accept_days"].days] += row["accepted"]
        score.appointments += row["appointments"]
        score.appointments_in_time += row["appointments_in_time"]
    for row in _decline_counts(periods):
        score = score_for(row["declined_organization_id"])
        score.declined += row["declined"]
        score.decline_reasons[row["decline_reason"]] += row["declined"]
    for row in _report_counts(periods, today):
        reports = score_for(row["organization_id"]).reports
        reports["on_time"] += row["on_time"]
        reports["late"] += row["returned"] - row["on_time"]
        reports["missing"] += row["missing"]
        reports["outstanding"] += row["outstanding"]
        reports["not_sent"] += row["total"] - row["returned"] - row["missing"] - row["outstanding"]
    if scores:
        names = AssisterOrganization.objects.filter(pk__in=scores).values_list("pk", "name", "kind")
        for pk, name, kind in names:
            scores[pk].name, scores[pk].kind = name, kind
    rows = sorted(scores.values(), key=lambda score: score.name)
    total = Score(name="All organizations")
    for row in rows:
        total.add(row)
    return Scorecard(
        periods=list(periods), rows=rows, total=total, languages=language_scores(periods)
    )


def _lead_counts(periods):
    """A row per (organization, calendar days from sending to contact — None when not
    contacted —, calendar days from sending to accepting — None when not accepted) with that
    group's counts. Both day counts are small numbers, so the rows stay a few hundred."""
    contacted = Q(contact_made=True, contact_date__isnull=False)
    days = Case(
        When(contacted, then=F("contact_date") - TruncDate("sent_at")),
        output_field=DurationField(),
    )
    accepted = Q(state__in=TAKEN, accepted_at__isnull=False)
    accept_days = Case(
        When(accepted, then=TruncDate("accepted_at") - TruncDate("sent_at")),
        output_field=DurationField(),
    )
    resolutions = {f"res_{value}": Count("pk", filter=Q(resolution=value)) for value in RESOLUTIONS}
    return (
        Referral.objects.filter(sent_during(periods), state__in=REPORTABLE)
        .annotate(days=days, accept_days=accept_days)
        .order_by()
        .values("organization_id", "days", "accept_days")
        .annotate(
            accepted=Count("pk", filter=accepted),
            appointments=Count("pk", filter=Q(appointment_on__isnull=False)),
            appointments_in_time=Count("pk", filter=appointment_in_time_q()),
            leads=Count("pk"),
            contacted=Count("pk", filter=contacted),
            in_time=Count(
                "pk",
                filter=contacted
                & Q(contact_due_on__isnull=False)
                & Q(contact_date__lte=F("contact_due_on")),
            ),
            not_reported=Count("pk", filter=Q(resolution="") | Q(resolution__isnull=True)),
            **resolutions,
        )
    )


def _decline_counts(periods):
    """A row per (declining organization, reason): declines made during the periods."""
    return (
        Referral.objects.filter(during(periods, "declined_at"), declined_organization__isnull=False)
        .order_by()
        .values("declined_organization_id", "decline_reason")
        .annotate(declined=Count("pk"))
    )


def _report_counts(periods, today):
    """A row per organization: its reports for the periods, by outcome — returned on time
    (returned on or before the due date, local time) or late, sent and past due (missing) or
    not (outstanding), the rest not sent."""
    sent = Q(status=AssisterReport.Status.SENT)
    returned = Q(status=AssisterReport.Status.RETURNED)
    return (
        AssisterReport.objects.filter(period__in=periods)
        .order_by()
        .values("organization_id")
        .annotate(
            total=Count("pk"),
            returned=Count("pk", filter=returned),
            on_time=Count("pk", filter=returned & Q(returned_at__date__lte=F("period__due_on"))),
            missing=Count("pk", filter=sent & Q(period__due_on__lt=today)),
            outstanding=Count("pk", filter=sent & Q(period__due_on__gte=today)),
        )
    )


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
