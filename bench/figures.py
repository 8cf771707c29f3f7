"""One row of issue 12's benchmark table, and the table itself (bench/all.py prints it).

Every figure is printed beside its target and its floor: the same work done by the part we
cannot make faster (the dominant SQL query run alone, the bare sheet writer or reader on the
same rows), so a figure reads "how far from the best this machine can do", not just "fast".
"""

from dataclasses import dataclass

LOWER, HIGHER = "lower", "higher"


@dataclass(frozen=True)
class Figure:
    section: str  # "lists", "scorecard", "exports", "imports", "seed"
    name: str
    measured: float
    unit: str  # "ms", "s", "rows/s", "MB", "queries"
    target: float | None = None
    better: str = LOWER
    floor: float | None = None  # same unit as measured
    floor_what: str = ""
    max_ratio: float | None = None  # e.g. a page within 3x its dominant query

    @property
    def ratio(self) -> float | None:
        """How many times the floor's cost the figure is (1.0 = as fast as the floor)."""
        if not self.floor or not self.measured:
            return None
        return self.measured / self.floor if self.better == LOWER else self.floor / self.measured

    @property
    def met(self) -> bool | None:
        if self.target is None and self.max_ratio is None:
            return None
        ok = True
        if self.target is not None:
            ok = (
                self.measured <= self.target
                if self.better == LOWER
                else self.measured >= self.target
            )
        if self.max_ratio is not None and self.ratio is not None:
            ok = ok and self.ratio <= self.max_ratio
        return ok


def _number(value: float, unit: str) -> str:
    if unit in {"ms", "rows/s", "queries"} or value >= 100:
        return f"{value:,.0f} {unit}"
    return f"{value:,.1f} {unit}" if value >= 10 else f"{value:,.2f} {unit}"


def row(figure: Figure) -> str:
    sign = "≤" if figure.better == LOWER else "≥"
    target = f"{sign} {_number(figure.target, figure.unit)}" if figure.target is not None else ""
    if figure.max_ratio is not None:
        target = f"{target}, ≤ {figure.max_ratio:g}× floor".lstrip(", ")
    floor = f"{_number(figure.floor, figure.unit)} ({figure.floor_what})" if figure.floor else ""
    ratio = f"{figure.ratio:,.1f}×" if figure.ratio is not None else ""
    met = {True: "yes", False: "**no**", None: ""}[figure.met]
    return (
        f"| {figure.section} | {figure.name} | {_number(figure.measured, figure.unit)} | "
        f"{target} | {floor} | {ratio} | {met} |"
    )


HEADER = (
    "| part | figure | measured | target | floor | ratio | met |\n|---|---|---|---|---|---|---|"
)


def table(figures: list[Figure]) -> str:
    return "\n".join([HEADER, *(row(f) for f in figures)])
