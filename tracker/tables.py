"""A lean body for django-tables2 tables (issue 12).

django-tables2 renders each cell through `BoundRow.get_cell`, which calls `inspect.signature` on
the render method, checks the model field for choices and recomputes the column's attributes —
for every cell — and the template then loops over the cells. A profile of the QC queue at 100
rows put 78% of the request there. `LeanTable` works out once per column what django-tables2
works out per cell (which render method, which arguments it takes, the `<td>` attributes, whether
to show a choice's label, the link) and builds the `<tbody>` in Python; the header, sorting and
pagination stay django-tables2's own.

What it does not support, and refuses at render time rather than rendering wrongly: column
`td` attributes that are callables (they would depend on the row) and pinned rows.
"""

import django_tables2 as tables
from django.core.exceptions import FieldDoesNotExist
from django.urls import reverse
from django.utils.encoding import force_str
from django.utils.html import conditional_escape, format_html
from django.utils.safestring import mark_safe
from django_tables2.rows import BoundRow
from django_tables2.utils import A, AttributeDict, signature

from .markup import escape_text as _escape

# The arguments django-tables2 offers a render method, in its words.
_OFFERED = ("value", "record", "column", "bound_column", "bound_row", "table")


_MISSING = object()


def url_maker(viewname: str):
    """`reverse(viewname, args=[pk])` for many pks: reversed once, each pk put in by string
    formatting (reverse costs tens of µs; a 100-row page called it up to 200 times)."""
    marker = 2147483647
    prefix, _, suffix = reverse(viewname, args=[marker]).rpartition(str(marker))
    return lambda pk: f"{prefix}{int(pk)}{suffix}"


def _static(attrs) -> bool:
    return not any(callable(value) or isinstance(value, dict) for value in attrs.values())


class _Cell:
    """How one column's cells are rendered, worked out once per table."""

    def __init__(self, table, bound_column):
        column = bound_column.column
        self.bound_column, self.column = bound_column, column
        raw_td = {**dict(table.attrs), **dict(column.attrs)}
        raw_td = raw_td.get("td", raw_td.get("cell", {}))
        if not _static(raw_td):
            raise ValueError(f"LeanTable: column {bound_column.name!r} has computed td attrs")
        td = bound_column.attrs["td"].as_html()
        self.open = mark_safe(f"<td {td}>" if td else "<td>")
        self.render = bound_column.render
        args, catch_all = signature(self.render)
        self.args = None if catch_all else tuple(a for a in args if a in _OFFERED)
        # A render method that needs an argument nobody offers is not called (django-tables2).
        self.callable = catch_all or all(a in _OFFERED for a in args)
        self.link = bound_column.link
        self.empty_values = column.empty_values
        self.default = conditional_escape(bound_column.default)
        self.accessor = A(bound_column.accessor)
        # A plain attribute is read with getattr, not Accessor.resolve's chain of lookups; a
        # field with choices shows its label, as get_FOO_display does, from a dict made once
        # (get_FOO_display makes it again on every call).
        self.choices = self.attname = None
        name = str(bound_column.accessor)
        self.attribute = name if name.isidentifier() and "__" not in name else None
        model = getattr(table._meta, "model", None)
        if model is not None and self.attribute:
            try:
                field = model._meta.get_field(name)
            except FieldDoesNotExist:
                field = None
            if field is not None and getattr(field, "choices", None):
                self.attname = field.attname
                self.choices = {
                    key: force_str(label, strings_only=True) for key, label in field.flatchoices
                }

    def value(self, record):
        if self.choices is not None:
            raw = getattr(record, self.attname)
            return self.choices.get(raw, raw)
        if self.attribute is not None and not isinstance(record, dict):
            value = getattr(record, self.attribute, _MISSING)
            # Callables are Accessor's to call (or not): it knows which are meant for templates.
            if value is not _MISSING and not callable(value):
                return value
        try:
            return self.accessor.resolve(record)
        except Exception:  # a column that is not a field (django-tables2 does the same)
            return None

    def html(self, table, record):
        value = self.value(record)
        if value in self.empty_values:
            return self.default
        offered = {
            "value": value,
            "record": record,
            "column": self.column,
            "bound_column": self.bound_column,
            "table": table,
        }
        if self.args is None or "bound_row" in self.args:
            offered["bound_row"] = BoundRow(record, table)
        if not self.callable:
            content = None
        elif self.args is None:
            content = self.render(**offered)
        else:
            content = self.render(**{name: offered[name] for name in self.args})
        if self.link:
            content = self.link(content, **offered)
        return _escape(content)


class LeanTable(tables.Table):
    """A django-tables2 table whose body is built once per column plan, not per cell."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("template_name", "tracker/table.html")
        super().__init__(*args, **kwargs)

    def tbody_html(self):
        """The rows of the current page as HTML (the template's `<tbody>`)."""
        if getattr(self, "pinned_data", None) and any(self.pinned_data.values()):
            raise ValueError("LeanTable does not render pinned rows")
        cells = [_Cell(self, column) for column in self.columns]
        row_attrs = [
            (key, value, None if not callable(value) else signature(value))
            for key, value in (self.row_attrs or {}).items()
        ]
        out = []
        for number, row in enumerate(self.paginated_rows):
            record = row.record
            out.append(self._open_row(record, row_attrs, number))
            for cell in cells:
                out.append(cell.open)
                out.append(cell.html(self, record))
                out.append("</td>")
            out.append("</tr>")
        if not out and self.empty_text:
            return format_html(
                '<tr><td colspan="{}">{}</td></tr>', len(self.columns), self.empty_text
            )
        return mark_safe("".join(out))

    def _open_row(self, record, row_attrs, number):
        attrs = {}
        for key, value, sig in row_attrs:
            if sig is None:
                attrs[key] = value
            else:
                args, catch_all = sig
                offered = {"table": self, "record": record}
                attrs[key] = value(**(offered if catch_all else {a: offered[a] for a in args}))
        # django-tables2's even/odd class after the row's own (BoundRow.attrs).
        parity = "odd" if number % 2 else "even"
        attrs["class"] = f"{attrs['class']} {parity}" if attrs.get("class") else parity
        # AttributeDict.as_html's markup (key="value", None left out), without a format_html
        # per attribute.
        pairs = " ".join(
            f'{_escape(key)}="{_escape(value)}"'
            for key, value in attrs.items()
            if value is not None and key not in AttributeDict.blacklist
        )
        return f"<tr {pairs}>"
