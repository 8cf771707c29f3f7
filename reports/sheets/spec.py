"""The declarative description of one spreadsheet report: its identity and its columns."""

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class Kind(StrEnum):
    """What a column holds, which decides how it is written, validated in Excel and read back."""

    TEXT = "text"
    YES_NO = "yes_no"  # "Y" / "N", with a dropdown
    DATE = "date"  # a typed date cell, with Excel date validation
    LIST = "list"  # one of `choices`, with a dropdown fed from the hidden list sheet
    NUMBER = "number"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    width: float = 16
    # Turns one row object into the cell's value; editable columns are usually left empty.
    accessor: Callable[[Any], Any] | None = None
    editable: bool = False
    kind: Kind = Kind.TEXT
    required: bool = False
    choices: tuple[str, ...] = ()
    # Dates: refuse days after today (an MMIS date or a contact date cannot be in the future).
    not_future: bool = False
    hidden: bool = False
    # Shown as an input message when the cell is selected in Excel.
    help: str = ""
    # Text: the most characters the reader accepts. Take it from the model field the column
    # fills (`Model._meta.get_field(name).max_length`) so the bound is declared once.
    max_length: int | None = None

    def value_for(self, obj) -> Any:
        return self.accessor(obj) if self.accessor else None


@dataclass(frozen=True)
class SheetSpec:
    """One report layout. `report_id` and `version` are written into a hidden cell and checked
    on upload, so a sheet from another report (or an older layout) is refused."""

    report_id: str
    version: int
    title: str  # the users' name for the report; also the data sheet's title
    columns: tuple[Column, ...]
    # The column whose value identifies the row's record (e.g. the case number).
    key: str = ""
    filename_stem: str = ""

    def __post_init__(self):
        keys = [c.key for c in self.columns]
        if len(keys) != len(set(keys)):
            raise ValueError(f"{self.report_id}: column keys must be unique")
        if self.key and self.key not in keys:
            raise ValueError(f"{self.report_id}: key column {self.key!r} is not a column")
        for column in self.columns:
            if column.kind == Kind.LIST and not column.choices:
                raise ValueError(f"{self.report_id}: list column {column.key!r} has no choices")

    @property
    def headers(self) -> list[str]:
        return [c.header for c in self.columns]

    @property
    def sheet_title(self) -> str:
        # Excel sheet names: at most 31 characters, none of []:*?/\
        cleaned = "".join(ch for ch in self.title if ch not in "[]:*?/\\")
        return cleaned[:31]

    def column(self, key: str) -> Column:
        for column in self.columns:
            if column.key == key:
                return column
        raise KeyError(key)
