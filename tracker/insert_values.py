"""Rows inserted as plain values, for bulk writes where a model instance per row costs more than
the row itself (bulk_create of 10,000 hand-off AppliedRows: ~0.5 s, issue 12 part 5)."""

from django.db import connections, models, router

_PLAIN_PRE_SAVE = {models.Field.pre_save, models.DateField.pre_save, models.DateTimeField.pre_save}


def insert_values(model, names: tuple[str, ...], rows, *, batch: int = 500) -> int:
    """INSERT `rows` into `model`'s table, `batch` rows a statement. Each row holds one Python
    value per field named in `names` (a foreign key by its pk), prepared by the field as a save
    prepares it (get_db_prep_save). No instance, no signal, no pk read back: only for fields
    whose pre_save would change nothing, and every field but the pk named (refused otherwise).
    Returns the rows inserted."""
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in names]
    for field in fields:
        if type(field).pre_save not in _PLAIN_PRE_SAVE or (
            getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False)
        ):
            raise TypeError(f"{model.__name__}.{field.name} sets its value on save")
    # Every column gets a value: one left out would be stored empty (NULL), not with the
    # field's default, which only a model instance fills in.
    missing = [
        field.name
        for field in model._meta.concrete_fields
        if not field.primary_key and field not in fields
    ]
    if missing:
        raise TypeError(f"{model.__name__}: no value given for {', '.join(missing)}")
    head = (
        f"INSERT INTO {quote(model._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) VALUES "
    )
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    rows = list(rows)
    with connection.cursor() as cursor:
        for first in range(0, len(rows), batch):
            chunk = rows[first : first + batch]
            params = [
                field.get_db_prep_save(value, connection)
                for values in chunk
                for field, value in zip(fields, values, strict=True)
            ]
            cursor.execute(head + ", ".join([row] * len(chunk)), params)
    return len(rows)
