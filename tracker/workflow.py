"""Running a django-fsm-2 transition on behalf of a person: the one way services do it."""

from django.core.exceptions import PermissionDenied
from django_fsm import ConcurrentTransition, TransitionNotAllowed, has_transition_perm

from .history import attribute_to, bounded_reason, forget_attribution
from .metrics import count_transitions


class Conflict(Exception):
    """Someone else moved the record first; the user should reload and look again."""

    noun = "record"

    def __init__(self, label: str):
        super().__init__(
            f"{label} was changed by someone else while you were working on it. "
            f"Nothing was saved: reload the {self.noun} to see where it stands now."
        )


def run_transition(
    obj, name: str, *, by, label: str, conflict: type[Conflict], description: str = "", **kwargs
):
    """Check `by` may take transition `name` from `obj`'s current state, run it and save.

    Raises TransitionNotAllowed (wrong state), PermissionDenied (not this user) or `conflict`
    (a concurrent transition saved first; ConcurrentTransitionMixin detected it).
    """
    method = getattr(obj, name)
    step = name.replace("_", " ")
    if not any(t.name == name for t in obj.get_available_state_transitions()):
        raise TransitionNotAllowed(
            f"{label} is {obj.get_state_display()}: “{step}” is not possible from there."
        )
    if not has_transition_perm(method, by):
        raise PermissionDenied(f"You may not {step} {label}.")
    method(by=by, description=description, **kwargs)
    # The field-history row of this save names the person and the transition, so the timeline
    # shows the fields it set on the transition's entry (tracker.history).
    attribute_to(obj, by, reason=name)
    try:
        obj.save()
    except ConcurrentTransition:
        raise conflict(label) from None
    finally:
        forget_attribution(obj)
    count_transitions(type(obj), name)
    return obj


class StepFailed(Exception):
    """One record of a bulk transition could not take it: `index` says which, `error` is what
    run_transition would have raised for it alone. Nothing of the bulk was saved."""

    def __init__(self, index: int, error: Exception):
        super().__init__(str(error))
        self.index, self.error = index, error


# Records saved per UPDATE / INSERT: big enough to cost a few queries per thousand rows, small
# enough that one statement stays cheap to build (bulk_update writes a CASE per field).
BULK_BATCH = 500


def _insert_history(model, pks: list, *, by, reason: str, when) -> None:
    """The rows simple-history's bulk_history_create(update=True) writes — each record's tracked
    fields as saved, the moment, the person and why, type "~" — copied by the database from the
    rows just updated, in one INSERT … SELECT. bulk_history_create builds a historical model
    instance per record first: ~1.3 s of a 10,000-row hand-off confirm (issue 12, part 5)."""
    from django.conf import settings
    from django.db import connections, router

    if not getattr(settings, "SIMPLE_HISTORY_ENABLED", True):
        return
    historical = model.history.model
    connection = connections[router.db_for_write(historical)]
    quote = connection.ops.quote_name
    meta, history_meta = model._meta, historical._meta
    tracked = historical.tracked_fields
    targets = [quote(history_meta.get_field(field.name).column) for field in tracked]
    sources = [quote(field.column) for field in tracked]
    extra = {
        "history_date": when,
        "history_user": by.pk if by is not None else None,
        "history_change_reason": bounded_reason(reason),
        "history_type": "~",
    }
    for name in extra:
        targets.append(quote(history_meta.get_field(name).column))
    params = [
        history_meta.get_field(name).get_db_prep_save(value, connection)
        for name, value in extra.items()
    ]
    sql = (
        f"INSERT INTO {quote(history_meta.db_table)} ({', '.join(targets)}) "
        f"SELECT {', '.join(sources)}, {', '.join(['%s'] * len(extra))} "
        f"FROM {quote(meta.db_table)} WHERE {quote(meta.pk.column)} IN "
        f"({', '.join(['%s'] * len(pks))})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *pks])


def _update_values(model, columns: list, rows: list[list], *, state) -> int:
    """One UPDATE … FROM a VALUES list: each row is the pk, then one value per field of
    `columns` (in Python form: a date, a pk for a foreign key), written where the record is
    still in `state` (what ConcurrentTransitionMixin checks on save). Returns the rows updated.
    Django's bulk_update builds a CASE expression per field and record, which cost ~10 ms a
    record here; this costs what the values do."""
    from django.db import connections, router

    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    pk = meta.pk
    columns = [pk, *columns]
    # PostgreSQL types a VALUES list from its text; SQLite must not cast (dates are text).
    if connection.vendor == "postgresql":
        cells = [f"CAST(%s AS {column.db_type(connection)})" for column in columns]
    else:
        cells = ["%s"] * len(columns)
    row = "(" + ", ".join(cells) + ")"
    params = []
    for values in rows:
        params.append(pk.get_db_prep_value(values[0], connection))
        for column, value in zip(columns[1:], values[1:], strict=True):
            params.append(column.get_db_prep_save(value, connection))
    table, key = quote(meta.db_table), quote(pk.column)
    # A VALUES list's columns are column1, column2, … on both PostgreSQL and SQLite (no WITH:
    # Python's sqlite3 reports no row count for a statement that starts with one).
    assignments = ", ".join(
        f"{quote(column.column)} = v.column{number}"
        for number, column in enumerate(columns[1:], start=2)
    )
    state_column = quote(meta.get_field("state").column)
    sql = (
        f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(rows))}) AS v "
        f"WHERE {table}.{key} = v.column1 AND {table}.{state_column} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, state])
        return cursor.rowcount


# ---- the same transitions, computed as values ------------------------------------------------
class _Draft:
    """Stands in for a record while its transition method's body runs: reads fall through to
    the record (a model instance or a row of its values), writes are kept, not applied."""

    __slots__ = ("_record", "_set")

    def __init__(self, record):
        object.__setattr__(self, "_record", record)
        object.__setattr__(self, "_set", {})

    def __getattr__(self, name):
        written = object.__getattribute__(self, "_set")
        if name in written:
            return written[name]
        return getattr(object.__getattribute__(self, "_record"), name)

    def __setattr__(self, name, value):
        self._set[name] = value


def run_transitions_as_values(
    model, steps, name: str, *, by, conflict: type[Conflict], permission_key=None, batch=BULK_BATCH
) -> list:
    """The bulk form of run_transition, without a model instance or django-fsm's machinery per
    record: for a bulk service over thousands of rows (the Preferred Assister Report and
    hand-off confirms, issue 12 part 5).

    `steps` is a list of (record, label, description, kwargs); each record may be a model
    instance or a plain row holding its pk, its state and whatever the transition's permission
    and method body read. Raises StepFailed (nothing saved; the caller's transaction rolls the
    rest back) or `conflict` when a record moved since it was read. The rules are
    django-fsm's own, asked as pure functions of the record's state: the transition exists
    from it (FSMMeta.has_transition, conditions_met), `by` may take it (has_transition_perm, once
    per `permission_key`), and the target is the transition's (RETURN_VALUE: the method's
    result, checked against its allowed states). The method's own body runs on a stand-in
    that records the fields it sets, so what a transition changes is still written once, on
    the model. Per `batch` records: one UPDATE of those fields and the state (guarded by the
    source state, as ConcurrentTransitionMixin guards a save), one field-history INSERT … SELECT;
    then the transition-log rows django-fsm-log's post_transition receiver would have built.
    No pre/post_transition signal is sent: django-fsm-log's is the only receiver
    (tests/tracker/test_workflow_values.py fails if another appears). The records given are
    updated in place with what was saved."""
    from django.utils import timezone
    from django_fsm_log.backends import BaseBackend
    from django_fsm_log.conf import settings as fsm_log_settings

    from .transition_log import save_collected

    method = getattr(model, name)
    meta = method._django_fsm
    field = meta.field
    labels = dict(field.flatchoices)
    step = name.replace("_", " ")
    by_name = {}
    for concrete in model._meta.concrete_fields:
        by_name[concrete.name] = by_name[concrete.attname] = concrete
    auto_now = [f for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    logged = (
        BaseBackend._get_model_qualified_name__(model)
        not in fsm_log_settings.DJANGO_FSM_LOG_IGNORED_MODELS
    )
    content_type = None
    if logged:
        from django.contrib.contenttypes.models import ContentType

        content_type = ContentType.objects.get_for_model(model).pk
    by_pk = by.pk if by is not None else None

    allowed: dict = {}
    done = []  # (record, label, source, {field: value})
    logs = []
    for index, (record, label, description, kwargs) in enumerate(steps):
        source = getattr(record, field.attname)
        transition = meta.get_transition(source) if meta.has_transition(source) else None
        try:
            if transition is None or not meta.conditions_met(record, source):
                raise TransitionNotAllowed(
                    f"{label} is {labels.get(source, source)}: “{step}” is not possible from there."
                )
            key = permission_key(record) if permission_key else (record.pk,)
            if key not in allowed:
                allowed[key] = meta.has_transition_perm(record, source, by)
            if not allowed[key]:
                raise PermissionDenied(f"You may not {step} {label}.")
            draft = _Draft(record)
            result = transition.method(draft, by=by, description=description, **kwargs)
            target = transition.target
            if hasattr(target, "get_state"):
                target = target.get_state(draft, transition, result, args=(), kwargs=kwargs)
        except (TransitionNotAllowed, PermissionDenied, ValueError) as error:
            raise StepFailed(index, error) from None
        values = {}
        for written, value in draft._set.items():
            concrete = by_name.get(written)
            if concrete is None:
                raise TypeError(f"{model.__name__}.{name} sets {written}, not a field")
            if concrete.is_relation and written == concrete.name:
                value = value.pk if value is not None else None
            values[concrete] = value
        if target is not None:
            values[field] = target
            if logged:
                # The row django-fsm-log's SimpleBackend would create (transition_log.COLUMNS).
                logs.append(
                    (
                        timezone.now(),
                        by_pk,
                        source,
                        target,
                        name,
                        content_type,
                        record.pk,
                        description or None,
                    )
                )
        done.append((record, label, source, values))
    for first in range(0, len(done), batch):
        _save_values(
            model, done[first : first + batch], auto_now, conflict=conflict, by=by, reason=name
        )
    save_collected(logs, batch=batch)
    if done:
        count_transitions(model, name, len(done))
    return [record for record, *_ in done]


def _save_values(model, batch: list, auto_now: list, *, conflict, by, reason: str) -> None:
    from django.utils import timezone

    now = timezone.now()
    state_field = model._meta.get_field("state")
    columns = {column: None for _, _, _, values in batch for column in values}
    for column in auto_now:
        columns[column] = None
    columns = list(columns)
    by_source: dict = {}
    for item in batch:
        record, _, source, values = item
        for column in auto_now:
            values[column] = now
        by_source.setdefault(source, []).append(item)
    for source, items in by_source.items():
        rows = [
            [
                record.pk,
                *(
                    values[column] if column in values else getattr(record, column.attname)
                    for column in columns
                ),
            ]
            for record, _, _, values in items
        ]
        saved = _update_values(model, columns, rows, state=source)
        if saved != len(rows):
            moved = set(
                model._default_manager.filter(pk__in=[row[0] for row in rows])
                .exclude(**{state_field.name: source})
                .values_list("pk", flat=True)
            )
            raise conflict(next((i[1] for i in items if i[0].pk in moved), items[0][1]))
    _insert_history(model, [record.pk for record, *_ in batch], by=by, reason=reason, when=now)
    for record, _, _, values in batch:
        for column, value in values.items():
            if column is state_field and isinstance(record, model):
                record.__dict__[column.attname] = value  # past a protected field's guard
            else:
                setattr(record, column.attname, value)
        if hasattr(record, "_update_initial_state"):
            record._update_initial_state()
