"""Problems found in an uploaded sheet, kept within a bound.

A hostile or badly broken sheet can have a problem in every cell; storing and showing each one
made a single upload cost megabytes of JSON and minutes of page time (issue 11). Past
`SHEET_MAX_ERRORS` only a count per column is kept, summarised as "…and N more".
"""

from collections import Counter
from dataclasses import dataclass

from django.conf import settings

# Cell values quoted in a message are cut to this many characters, so a stored problem stays
# small whatever the cell held.
QUOTE_MAX = 60
WHOLE_FILE = "the whole file"


def quote(value) -> str:
    """A cell value as a message quotes it: “…”, cut short and with control characters shown."""
    text = "".join(ch if ch.isprintable() else "�" for ch in str(value))
    if len(text) > QUOTE_MAX:
        text = text[: QUOTE_MAX - 1] + "…"
    return f"“{text}”"


@dataclass
class SheetError:
    message: str
    row: int | None = None
    column: str | None = None

    def __str__(self):
        where = []
        if self.row is not None:
            where.append(f"Row {self.row}")
        if self.column:
            where.append(f"“{self.column}”")
        return f"{', '.join(where)}: {self.message}" if where else self.message


class Problems:
    """An append-only list of SheetErrors that keeps the first `limit` and counts the rest by
    column. Iterating gives the kept ones; `len()` and truth count them all."""

    def __init__(self, errors=(), *, limit: int | None = None):
        self.limit = settings.SHEET_MAX_ERRORS if limit is None else limit
        self.kept: list[SheetError] = []
        self.total = 0
        self.more_by_column: Counter[str] = Counter()
        self.rows: set[int] = set()
        self.extend(errors)

    def append(self, error: SheetError) -> None:
        self.total += 1
        if error.row is not None:
            self.rows.add(error.row)
        if len(self.kept) < self.limit:
            self.kept.append(error)
        else:
            self.more_by_column[error.column or WHOLE_FILE] += 1

    def add(self, message: str, *, row: int | None = None, column: str | None = None) -> None:
        self.append(SheetError(message, row=row, column=column))

    def extend(self, errors) -> None:
        for error in errors:
            self.append(error)

    def __iter__(self):
        return iter(self.kept)

    def __len__(self):
        return self.total

    def __bool__(self):
        return self.total > 0

    @property
    def more(self) -> int:
        return self.total - len(self.kept)

    def messages(self) -> list[str]:
        """What is stored on the upload: the kept problems, then one line for the rest."""
        lines = [str(error) for error in self.kept]
        if self.more:
            by_column = ", ".join(
                f"{count:,} in “{column}”" if column != WHOLE_FILE else f"{count:,} about {column}"
                for column, count in self.more_by_column.most_common()
            )
            lines.append(
                f"…and {self.more:,} more problem{'s' if self.more != 1 else ''} "
                f"({by_column}). Correct the ones above, upload again, and the rest will be shown."
            )
        return lines
