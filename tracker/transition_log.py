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
    from django_fsm_log.models import StateLog

    from .insert_values import insert_values

    insert_values(StateLog, COLUMNS, pending, batch=batch)
