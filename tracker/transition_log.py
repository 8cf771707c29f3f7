"""Transition logs written by a bulk service (tracker.workflow.run_transitions_as_values): the
rows django-fsm-log's SimpleBackend would create one by one — same fields, same values — in
one INSERT of plain values per chunk, with no StateLog instance per row (building and
bulk-creating 10,000 instances was a fifth of a 10,000-row report confirm's time, issue 12
part 5). Every other transition is logged by SimpleBackend as it runs.
"""

# StateLog's columns, in the order a bulk service gives each row's values.
COLUMNS = (
    "timestamp",
    "by",
    "source_state",
    "state",
    "transition",
    "content_type",
    "object_id",
    "description",
)


def save_collected(pending: list, *, batch: int) -> None:
    """Insert transition-log rows (tuples of COLUMNS' values), `batch` rows a statement."""
    from django.db import connections, router
    from django_fsm_log.models import StateLog

    connection = connections[router.db_for_write(StateLog)]
    quote = connection.ops.quote_name
    fields = [StateLog._meta.get_field(name) for name in COLUMNS]
    timestamp = fields[0]
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    head = (
        f"INSERT INTO {quote(StateLog._meta.db_table)} "
        f"({', '.join(quote(field.column) for field in fields)}) VALUES "
    )
    with connection.cursor() as cursor:
        for first in range(0, len(pending), batch):
            chunk = pending[first : first + batch]
            params = []
            for values in chunk:
                params.append(timestamp.get_db_prep_save(values[0], connection))
                params.extend(values[1:])
            cursor.execute(head + ", ".join([row] * len(chunk)), params)
