"""Coverage: for each of Minnesota's counties and each assister type, the active organizations
serving it and the consumers nobody could be referred to (seed: "Fill geographic gaps")."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count

from referrals.models import AssisterOrganization, County, UnmetRequest
from referrals.rules import AssisterType


@dataclass
class Cell:
    active: list[str] = field(default_factory=list)
    suspended: list[str] = field(default_factory=list)
    unmet: int = 0

    @property
    def gap(self) -> bool:
        return not self.active


@dataclass
class CountyRow:
    county: str
    cells: dict[str, Cell]  # assister type -> cell

    @property
    def by_type(self) -> list[tuple[str, Cell]]:
        return [(kind, self.cells[kind]) for kind in AssisterType.values]


@dataclass
class Coverage:
    rows: list[CountyRow]
    gaps: dict[str, int]  # assister type -> counties with no active organization
    unmet: dict[str, int]  # assister type -> unmet requests

    @property
    def unmet_total(self) -> int:
        return sum(self.unmet.values())


def coverage(*, since: date | None = None) -> Coverage:
    """Three queries whatever the number of organizations and requests."""
    cells: dict[int, dict[str, Cell]] = defaultdict(
        lambda: {kind: Cell() for kind in AssisterType.values}
    )
    memberships = AssisterOrganization.counties.through.objects.values_list(
        "county_id",
        "assisterorganization__name",
        "assisterorganization__kind",
        "assisterorganization__status",
    ).order_by("assisterorganization__name")
    for county_id, name, kind, status in memberships:
        cell = cells[county_id][kind]
        (cell.active if status == AssisterOrganization.Status.ACTIVE else cell.suspended).append(
            name
        )
    unmet = UnmetRequest.objects.all()
    if since:
        unmet = unmet.filter(recorded_at__date__gte=since)
    for row in unmet.values("county_id", "assister_type").annotate(count=Count("pk")):
        cells[row["county_id"]][row["assister_type"]].unmet = row["count"]
    rows = [CountyRow(name, cells[pk]) for pk, name in County.objects.values_list("pk", "name")]
    return Coverage(
        rows=rows,
        gaps={kind: sum(row.cells[kind].gap for row in rows) for kind in AssisterType.values},
        unmet={kind: sum(row.cells[kind].unmet for row in rows) for kind in AssisterType.values},
    )
