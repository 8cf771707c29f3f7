"""One table for every figure of issue 12 (not run by CI).

Each bench keeps printing its own detailed table; besides, each figure it measures against a
target is `record`ed here — its value, its floor (the dominant query alone; the bare writer or
reader on the same rows), the target and whether it was met — to the file named by the
BENCH_SUMMARY environment variable (one JSON object a line; nothing when it is unset).
bench/all.py sets it, runs every bench, and prints the lines as one table with `table`.
"""

import json
import os


def record(
    figure: str,
    value: float,
    unit: str,
    *,
    target: float | None = None,
    floor: float | None = None,
    higher_is_better: bool = False,
) -> None:
    path = os.environ.get("BENCH_SUMMARY")
    if not path:
        return
    line = {
        "figure": figure,
        "value": value,
        "unit": unit,
        "target": target,
        "floor": floor,
        "higher_is_better": higher_is_better,
    }
    with open(path, "a", encoding="utf-8") as out:
        out.write(json.dumps(line) + "\n")


def _number(value: float, unit: str) -> str:
    if value is None:
        return "—"
    digits = 1 if unit == "ms" and value < 10 else 2 if unit == "s" else 0
    return f"{value:,.{digits}f} {unit}"


def met(line: dict) -> bool | None:
    target = line["target"]
    if target is None:
        return None
    if line["higher_is_better"]:
        return line["value"] >= target
    return line["value"] <= target


def table(lines: list[dict]) -> str:
    """The recorded figures as one Markdown table, with a count of the targets met."""
    out = [
        "| figure | measured | floor | ratio to floor | target | met |",
        "|---|---|---|---|---|---|",
    ]
    for line in lines:
        value, unit, floor = line["value"], line["unit"], line["floor"]
        if floor:
            ratio = floor / value if line["higher_is_better"] else value / floor
            ratio = f"{ratio:,.1f}×"
        else:
            ratio = "—"
        target = line["target"]
        sign = "≥" if line["higher_is_better"] else "≤"
        verdict = {True: "yes", False: "**no**", None: "—"}[met(line)]
        out.append(
            f"| {line['figure']} | {_number(value, unit)} | {_number(floor, unit)} | {ratio} | "
            f"{'' if target is None else sign + ' ' + _number(target, unit)} | {verdict} |"
        )
    judged = [m for m in map(met, lines) if m is not None]
    out.append(f"\n{sum(judged)} of {len(judged)} targets met.")
    return "\n".join(out)


def read(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as source:
        return [json.loads(line) for line in source if line.strip()]
