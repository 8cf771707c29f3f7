"""Rows to tables, fast, through the models' own field definitions.

A row is a dict of attribute names to Python values, as a model constructor would take them.
Each value goes through its field the way Django's save does (`pre_save` where a field
overrides it, then `get_db_prep_save`), so an encrypted field encrypts, a blind index is
filled and a phone number normalised without this module knowing about any of them. Fields
of Django's plain types skip the calls: they would return the value unchanged.

PostgreSQL gets COPY (psycopg 3); any other database gets bulk_create of model instances.
"""

from collections.abc import Iterable
from contextlib import contextmanager

from django.db import connection, models
from django.db.models.fields import NOT_PROVIDED
from django.utils import timezone

# Exact types whose value needs no conversion for psycopg (subclasses are converted).
PLAIN = {
    models.AutoField,
    models.BigAutoField,
    models.BooleanField,
    models.CharField,
    models.DateField,
    models.DateTimeField,
    models.ForeignKey,
    models.IntegerField,
    models.PositiveIntegerField,
    models.PositiveSmallIntegerField,
    models.PositiveBigIntegerField,
    models.SmallIntegerField,
    models.TextField,
    models.EmailField,
}
_BASE_PRE_SAVE = {models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save}


class _Row:
    """A stand-in instance for fields whose pre_save reads other attributes of the row."""

    def __init__(self, values):
        self.__dict__.update(values)


class Table:
    """How to turn row dicts of one model into database tuples."""

    def __init__(self, model):
        self.model = model
        self.fields = list(model._meta.concrete_fields)
        self.columns = [f.column for f in self.fields]
        now = timezone.now()
        self.defaults = {}
        for f in self.fields:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                self.defaults[f.attname] = now
            elif f.default is not NOT_PROVIDED:
                self.defaults[f.attname] = f.get_default()
            elif f.null:
                self.defaults[f.attname] = None
            elif f.blank and isinstance(f, models.CharField | models.TextField):
                self.defaults[f.attname] = ""
        self.pre_save = [f for f in self.fields if type(f).pre_save not in _BASE_PRE_SAVE]
        self.convert = [None if type(f) in PLAIN else f for f in self.fields]  # None: plain value

    def tuples(self, rows: Iterable[dict]) -> list[tuple]:
        out = []
        defaults, fields, convert = self.defaults, self.fields, self.convert
        for row in rows:
            values = {**defaults, **row}
            if self.pre_save:
                stand_in = _Row(values)
                for f in self.pre_save:
                    values[f.attname] = f.pre_save(stand_in, True)
            out.append(
                tuple(
                    values[f.attname]
                    if c is None
                    else c.get_db_prep_save(values[f.attname], connection)
                    for f, c in zip(fields, convert, strict=True)
                )
            )
        return out


_tables: dict[type, Table] = {}


def table(model) -> Table:
    if model not in _tables:
        _tables[model] = Table(model)
    return _tables[model]


def convert(model_label: str, rows: list[dict]) -> list[tuple]:
    """Pool entry point: rows of `app_label.ModelName` to tuples (runs in a worker process)."""
    from django.apps import apps

    return table(apps.get_model(model_label)).tuples(rows)


def copy_tuples(model, tuples: list[tuple]) -> None:
    """COPY already converted tuples into the model's table (PostgreSQL)."""
    t = table(model)
    columns = ", ".join(connection.ops.quote_name(c) for c in t.columns)
    sql = f"COPY {connection.ops.quote_name(model._meta.db_table)} ({columns}) FROM STDIN"
    with connection.cursor() as cursor:
        with cursor.cursor.copy(sql) as copy:
            for values in tuples:
                copy.write_row(values)


def write(model, rows: list[dict]) -> int:
    """Insert `rows` (primary keys included) into the model's table; returns how many."""
    if not rows:
        return 0
    if connection.vendor == "postgresql":
        copy_tuples(model, table(model).tuples(rows))
    else:
        model.objects.bulk_create([model(**row) for row in rows], batch_size=500)
    return len(rows)


def next_id(model) -> int:
    """The first free primary key (rows are written with their keys, so FKs need no lookup)."""
    last = model.objects.order_by("-pk").values_list("pk", flat=True).first()
    return (last or 0) + 1


def reset_sequences(model_list) -> None:
    from django.core.management.color import no_style

    statements = connection.ops.sequence_reset_sql(no_style(), model_list)
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)


@contextmanager
def indexes_built_after(model_list):
    """Drop the tables' plain indexes while loading and build them again at the end
    (PostgreSQL): one sorted build is far cheaper than millions of random insertions into
    b-trees such as the SSN blind index. Indexes backing a constraint (primary keys, unique)
    stay. Inside the caller's transaction, so a failed seed leaves every index in place."""
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in model_list]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i "
            "WHERE i.schemaname = current_schema() AND i.tablename = ANY(%s) AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [tables],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
    yield
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL maintenance_work_mem = '256MB'")
        for _name, definition in indexes:
            cursor.execute(definition)
