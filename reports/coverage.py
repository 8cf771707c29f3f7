"""Coverage: for each of Minnesota's counties and each assister type, the organizations serving
it and taking new leads, the consumers nobody could be referred to (seed: "Fill geographic
gaps"), and the languages consumers asked for that no such organization in the county speaks
(issue 14)."""

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count
from django.utils import timezone

from referrals.languages import SERVED_LANGUAGES
from referrals.models import AssisterOrganization, County, Referral, UnmetRequest
from referrals.rules import AssisterType


@dataclass
class Cell:
    active: list[str] = field(default_factory=list)
    suspended: list[str] = field(default_factory=list)
    paused: list[str] = field(default_factory=list)
    unmet: int = 0

    @property
    def gap(self) -> bool:
        return not self.active


@dataclass
class CountyRow:
    county: str
    cells: dict[str, Cell]  # assister type -> cell
    # (language, consumers who asked for it) that no organization taking leads here speaks.
    language_gaps: list[tuple[str, int]] = field(default_factory=list)

    @property
    def by_type(self) -> list[tuple[str, Cell]]:
        return [(kind, self.cells[kind]) for kind in AssisterType.values]


@dataclass
class LanguageRow:
    language: str
    asked: int  # consumers (referrals and unmet requests) who asked for it
    counties_with_gap: int
    consumers_in_gaps: int  # of `asked`, those in a county where nobody speaks it


@dataclass
class Coverage:
    rows: list[CountyRow]
    gaps: dict[str, int]  # assister type -> counties with no organization taking leads
    unmet: dict[str, int]  # assister type -> unmet requests
    languages: list[LanguageRow] = field(default_factory=list)

    @property
    def unmet_total(self) -> int:
        return sum(self.unmet.values())

    @property
    def language_gap_total(self) -> int:
        return sum(len(row.language_gaps) for row in self.rows)


def coverage(*, since: date | None = None, today: date | None = None) -> Coverage:
    """Five queries whatever the number of organizations, referrals and requests.

    An organization covers a county when it is active and not paused today (it would be
    offered a lead now); suspended and paused ones are named in the cell but leave a gap.
    Languages "asked for" are the preferred languages of referrals and unmet requests (since
    `since`); "Other" names no language and is left out."""
    today = today or timezone.localdate()
    cells: dict[int, dict[str, Cell]] = defaultdict(
        lambda: {kind: Cell() for kind in AssisterType.values}
    )
    spoken_by: dict[int, set[str]] = defaultdict(set)
    for org_id, language in AssisterOrganization.languages.through.objects.values_list(
        "assisterorganization_id", "language__name"
    ):
        spoken_by[org_id].add(language)
    memberships = AssisterOrganization.counties.through.objects.values_list(
        "county_id",
        "assisterorganization_id",
        "assisterorganization__name",
        "assisterorganization__kind",
        "assisterorganization__status",
        "assisterorganization__paused_from",
        "assisterorganization__paused_until",
    ).order_by("assisterorganization__name")
    spoken_in: dict[int, set[str]] = defaultdict(set)
    for county_id, org_id, name, kind, status, paused_from, paused_until in memberships:
        cell = cells[county_id][kind]
        pause = AssisterOrganization(paused_from=paused_from, paused_until=paused_until)
        if status != AssisterOrganization.Status.ACTIVE:
            cell.suspended.append(name)
        elif pause.is_paused_on(today):
            cell.paused.append(name)
        else:
            cell.active.append(name)
            spoken_in[county_id] |= spoken_by[org_id]
    unmet = UnmetRequest.objects.all()
    referrals = Referral.objects.exclude(state="new")
    if since:
        unmet = unmet.filter(recorded_at__date__gte=since)
        referrals = referrals.filter(created_at__date__gte=since)
    asked: dict[int, Counter] = defaultdict(Counter)
    for row in unmet.values("county_id", "assister_type", "language").annotate(count=Count("pk")):
        cells[row["county_id"]][row["assister_type"]].unmet += row["count"]
        asked[row["county_id"]][row["language"]] += row["count"]
    for row in referrals.values("county_id", "language").annotate(count=Count("pk")).order_by():
        asked[row["county_id"]][row["language"]] += row["count"]
    rows = []
    for pk, name in County.objects.values_list("pk", "name"):
        gaps = sorted(
            (
                (language, count)
                for language, count in asked[pk].items()
                if language in SERVED_LANGUAGES and language not in spoken_in[pk]
            ),
            key=lambda item: (-item[1], item[0]),
        )
        rows.append(CountyRow(name, cells[pk], gaps))
    languages = []
    for language in SERVED_LANGUAGES:
        total = sum(counter[language] for counter in asked.values())
        if not total:
            continue
        in_gaps = [count for row in rows for lang, count in row.language_gaps if lang == language]
        languages.append(LanguageRow(language, total, len(in_gaps), sum(in_gaps)))
    return Coverage(
        rows=rows,
        gaps={kind: sum(row.cells[kind].gap for row in rows) for kind in AssisterType.values},
        unmet={kind: sum(row.cells[kind].unmet for row in rows) for kind in AssisterType.values},
        languages=languages,
    )
