"""Rows for the case exports, built from `values()`, no model instance per row (issue 12: 3,700
rows/s with instances and prefetching, the goal ≥ 50,000 rows/s). On PostgreSQL each case's
participants come with it as one array; elsewhere one more query per CHUNK cases reads them.

SSNs: a masked export reads the clear last four digits kept beside each encrypted SSN
(`Participant.ssn_last4`) and never decrypts; a full one reads the raw tokens and decrypts them
with one decrypter for the whole export (`crypto.text_decrypter`), ~8 µs an SSN.

The exports' query count does not grow with their rows (beyond one query per CHUNK cases).
"""

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import NamedTuple

import psycopg
from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import F, Func, OuterRef, TextField
from django.db.models.functions import Cast
from django.utils import timezone

from cases.models import Participant
from cases.validators import format_ssn
from tracker import crypto

CHUNK = 2000
MASK = "***-**-"
# The annotation carrying a case's participants on PostgreSQL (not a field name of Case).
PEOPLE = "export_people"


class People(NamedTuple):
    """A case's participants, in the order they were entered."""

    names: list[str]
    ma_numbers: list[str]
    ssns: list[str]  # as the export shows them: 123-45-6789, or ***-**-6789 when masked


NOBODY = People([], [], [])


def full_name(first: str, last: str, username: str) -> str:
    """User.__str__ from values(): the full name, else the username."""
    return f"{first} {last}".strip() or username


def local_date_function() -> Callable:
    """timezone.localdate for many datetimes: the zone looked up once, not per row."""
    zone = timezone.get_current_timezone()
    return lambda moment: moment.astimezone(zone).date()


def _batches(iterable: Iterable, size: int) -> Iterator[list]:
    iterator = iter(iterable)
    while batch := list(islice(iterator, size)):
        yield batch


def _masked(last4: str) -> str:
    return MASK + (last4 or "****")


def _ssn_column(*, full_ssn: bool):
    """What a participant's SSN column reads: the raw token, to decrypt here (the field would
    decrypt through the slower per-call path: settings and key lookup for every SSN), or the
    clear last four digits."""
    return Cast("ssn", TextField()) if full_ssn else F("ssn_last4")


def _ssn_display(*, full_ssn: bool) -> Callable[[str], str]:
    """How the export shows what _ssn_column read: decrypted in full, or masked."""
    if not full_ssn:
        return _masked
    decrypt = crypto.text_decrypter()
    return lambda token: format_ssn(decrypt(token)) if token else ""


def participants_of(case_ids: list[int], *, full_ssn: bool) -> dict[int, People]:
    """Each case's participants in one query, where PostgreSQL's arrays are missing (SQLite);
    SSNs shown in full (decrypted) or masked (from the clear last four digits, nothing
    decrypted)."""
    people: dict[int, People] = {}
    rows = (
        Participant.objects.filter(case_id__in=case_ids)
        .order_by("pk")
        .values_list("case_id", "name", "ma_number", _ssn_column(full_ssn=full_ssn))
    )
    show = _ssn_display(full_ssn=full_ssn)
    for case_id, name, ma_number, ssn in rows:
        entry = people.get(case_id)
        if entry is None:
            entry = people[case_id] = People([], [], [])
        entry.names.append(name)
        entry.ma_numbers.append(ma_number)
        entry.ssns.append(show(ssn))
    return people


def _people_subquery(*, full_ssn: bool):
    """Each case's participants as one array of [name, MA number, SSN] in entry order, read with
    the case by one correlated subquery (PostgreSQL): no second query and no Python grouping of
    participant rows (issue 12 asks for participants aggregated in SQL)."""
    triple = Func(
        F("name"),
        F("ma_number"),
        _ssn_column(full_ssn=full_ssn),
        template="ARRAY[%(expressions)s]",
        output_field=ArrayField(TextField()),
    )
    return ArraySubquery(
        Participant.objects.filter(case_id=OuterRef("pk")).order_by("pk").values_list(triple)
    )


def _binary_values(queryset) -> Iterator[dict]:
    """The rows of a values() queryset, as `iterator(chunk_size=CHUNK)` gives them, read from
    PostgreSQL in its binary format: psycopg parses binary dates, numbers and arrays in a
    fraction of the time it spends on their text (the hand-off's 100,000 rows: 0.8 → 0.2 s of
    CPU, a third of the rows' cost).

    Django's cursors bind parameters on the client, which rules binary results out, so this is
    psycopg's own server-side cursor (a plain one where server-side cursors are disabled),
    wrapped by Django's cursor wrapper: its error translation, query logging and counting still
    apply, and so do the fields' converters."""
    query = queryset.query
    compiler = query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:
        return
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    converters = compiler.get_converters([column[0] for column in compiler.select])
    database = connections[queryset.db]
    database.ensure_connection()
    with database.wrap_database_errors:
        if database.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS"):
            raw = psycopg.Cursor(database.connection)
        else:
            # Held past the transaction's end only where there is none (as Django's own).
            raw = psycopg.ServerCursor(
                database.connection,
                f"export_rows_{id(queryset):x}",
                withhold=database.get_autocommit(),
            )
        raw.format = psycopg.pq.Format.BINARY
    make = database.make_debug_cursor if database.queries_logged else database.make_cursor
    with make(raw) as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            if converters:
                rows = compiler.apply_converters(rows, converters)
            for row in rows:
                yield dict(zip(names, row, strict=True))


def _with_people(rows: Iterable[dict], *, full_ssn: bool) -> Iterator[tuple]:
    """(row, People) from rows carrying PEOPLE (see _people_subquery)."""
    show = _ssn_display(full_ssn=full_ssn)
    for row in rows:
        triples = row.pop(PEOPLE)
        if not triples:
            yield row, NOBODY
            continue
        yield (
            row,
            People(
                [name for name, _, _ in triples],
                [ma_number for _, ma_number, _ in triples],
                [show(ssn) for _, _, ssn in triples],
            ),
        )


def case_values(queryset, fields: Iterable[str], *, full_ssn: bool) -> Iterator[tuple]:
    """(the case's `values()` dict, its participants) for every case of `queryset`, in its
    order. `fields` must include "pk"."""
    # prefetch_related(None): the list querysets prefetch participants for model instances,
    # which values() has none of; select_related is moot for values().
    queryset = queryset.prefetch_related(None)
    if connections[queryset.db].vendor == "postgresql":
        # The participants come with each case (70,000 against 49,000 rows a second for the
        # QC report's 100,000 rows with a second query per chunk).
        rows = queryset.annotate(**{PEOPLE: _people_subquery(full_ssn=full_ssn)})
        yield from _with_people(_binary_values(rows.values(*fields, PEOPLE)), full_ssn=full_ssn)
        return
    rows = queryset.values(*fields).iterator(chunk_size=CHUNK)
    for batch in _batches(rows, CHUNK):
        people = participants_of([row["pk"] for row in batch], full_ssn=full_ssn)
        for row in batch:
            yield row, people.get(row["pk"], NOBODY)
