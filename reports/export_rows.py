"""Rows for the case exports, built from `values()` in chunks: one query for the cases and one
for the participants of each chunk, no model instance per row (issue 12: 3,700 rows/s with
instances and prefetching, the goal ≥ 50,000 rows/s). On PostgreSQL the cases come straight
from a server-side cursor and the participants aggregated per case by the database.

SSNs: a masked export reads the clear last four digits kept beside each encrypted SSN
(`Participant.ssn_last4`) and never decrypts; a full one reads the raw tokens and decrypts them
with one MultiFernet for the whole export (`crypto.text_decrypter`), ~12 µs an SSN.

The exports' query count does not grow with their rows beyond one query per CHUNK cases.
"""

from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import NamedTuple

from django.db import connection
from django.db.models import TextField
from django.db.models.functions import Cast
from django.utils import timezone

from cases.models import Participant
from cases.validators import format_ssn
from tracker import crypto

CHUNK = 2000
MASK = "***-**-"


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


def _aggregated(case_ids: list[int], *, full_ssn: bool) -> dict[int, People]:
    """participants_of on PostgreSQL: one row per case with its participants' names, MA numbers
    and SSNs as arrays in entry order (psycopg makes the lists), masked SSNs written by the
    database: a row of Python per case instead of per participant (issue 12, part 4)."""
    quote = connection.ops.quote_name
    meta = Participant._meta
    column = lambda name: quote(meta.get_field(name).column)  # noqa: E731
    ssn = (
        f"{column('ssn')}::text"
        if full_ssn
        else f"'{MASK}' || COALESCE(NULLIF({column('ssn_last4')}, ''), '****')"
    )
    order = f"ORDER BY {quote(meta.pk.column)}"
    sql = (
        f"SELECT {column('case')}, array_agg({column('name')} {order}), "
        f"array_agg({column('ma_number')} {order}), array_agg({ssn} {order}) "
        f"FROM {quote(meta.db_table)} WHERE {column('case')} = ANY(%s) GROUP BY 1"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [case_ids])
        rows = cursor.fetchall()
    if not full_ssn:
        return {case_id: People(names, mas, ssns) for case_id, names, mas, ssns in rows}
    decrypt = crypto.text_decrypter()
    return {
        case_id: People(
            names, mas, [format_ssn(decrypt(token)) if token else "" for token in tokens]
        )
        for case_id, names, mas, tokens in rows
    }


def participants_of(case_ids: list[int], *, full_ssn: bool) -> dict[int, People]:
    """Each case's participants in one query; SSNs shown in full (decrypted) or masked (from
    the clear last four digits, nothing decrypted)."""
    if connection.vendor == "postgresql":
        return _aggregated(case_ids, full_ssn=full_ssn)
    people: dict[int, People] = {}
    rows = Participant.objects.filter(case_id__in=case_ids).order_by("pk")
    if full_ssn:
        decrypt = crypto.text_decrypter()
        # The raw token, not the field's value: the field would decrypt through the slower
        # per-call path (settings and key lookup for every SSN).
        rows = rows.annotate(token=Cast("ssn", TextField())).values_list(
            "case_id", "name", "ma_number", "token"
        )
        show = lambda token: format_ssn(decrypt(token)) if token else ""  # noqa: E731
    else:
        rows = rows.values_list("case_id", "name", "ma_number", "ssn_last4")
        show = _masked
    for case_id, name, ma_number, ssn in rows:
        entry = people.get(case_id)
        if entry is None:
            entry = people[case_id] = People([], [], [])
        entry.names.append(name)
        entry.ma_numbers.append(ma_number)
        entry.ssns.append(show(ssn))
    return people


def _values(queryset) -> Iterator[dict]:
    """`queryset` (a values() queryset) row by row, CHUNK rows fetched at a time. On PostgreSQL
    straight from a server-side cursor: its values need no conversion there, and Django's
    per-row work was a third of an export's rows (12 µs of them against 8 µs)."""
    if connection.vendor != "postgresql":  # SQLite hands dates back as text: Django parses them
        yield from queryset.iterator(chunk_size=CHUNK)
        return
    query = queryset.query
    names = [*query.extra_select, *query.values_select, *query.annotation_select]
    sql, params = query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while rows := cursor.fetchmany(CHUNK):
            for row in rows:
                yield dict(zip(names, row, strict=True))


def case_values(queryset, fields: Iterable[str], *, full_ssn: bool) -> Iterator[tuple]:
    """(the case's `values()` dict, its participants) for every case of `queryset`, in its
    order. `fields` must include "pk"."""
    # prefetch_related(None): the list querysets prefetch participants for model instances,
    # which values() has none of; select_related is moot for values().
    rows = _values(queryset.prefetch_related(None).values(*fields))
    for batch in _batches(rows, CHUNK):
        people = participants_of([row["pk"] for row in batch], full_ssn=full_ssn)
        for row in batch:
            yield row, people.get(row["pk"], NOBODY)
