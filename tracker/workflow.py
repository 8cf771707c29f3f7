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


def run_transitions(
    steps, name: str, *, by, conflict: type[Conflict], permission_key=None, batch=BULK_BATCH
) -> list:
    """The bulk form of run_transition, for imports: `steps` is a list of
    (obj, label, description, kwargs). Each record gets the same checks (state, then
    permission) and runs the same transition method, with the same history attribution; what
    differs is only how the rows reach the database: per `batch` records, one UPDATE of the
    fields the transitions changed (guarded by the state each record had, as
    ConcurrentTransitionMixin guards a save), one insert of field-history rows and, at the
    end, the transition-log rows.

    `permission_key(obj)`, when given, names what the permission rule depends on besides the
    person (e.g. the referral's organization): the rule is asked once per distinct key.
    Raises StepFailed (nothing saved; the caller's transaction rolls the rest back) or
    `conflict` when a record moved since it was read."""
    from .transition_log import collecting, save_collected

    allowed: dict = {}
    done = []
    with collecting() as logs:
        for index, (obj, label, description, kwargs) in enumerate(steps):
            method = getattr(obj, name)
            step = name.replace("_", " ")
            try:
                if not any(t.name == name for t in obj.get_available_state_transitions()):
                    raise TransitionNotAllowed(
                        f"{label} is {obj.get_state_display()}: “{step}” is not possible from "
                        "there."
                    )
                key = permission_key(obj) if permission_key else (obj.pk,)
                if key not in allowed:
                    allowed[key] = has_transition_perm(method, by)
                if not allowed[key]:
                    raise PermissionDenied(f"You may not {step} {label}.")
                before = _values(obj)
                method(by=by, description=description, **kwargs)
            except (TransitionNotAllowed, PermissionDenied, ValueError) as error:
                raise StepFailed(index, error) from None
            done.append(_Done(obj, label, before))
    for first in range(0, len(done), batch):
        _save_batch(done[first : first + batch], conflict=conflict, by=by, reason=name)
    save_collected(logs, batch=batch)
    if done:
        count_transitions(type(done[0].obj), name, len(done))
    return [item.obj for item in done]


class _Done:
    __slots__ = ("obj", "label", "before")

    def __init__(self, obj, label: str, before: dict):
        self.obj, self.label, self.before = obj, label, before

    @property
    def source(self):
        return self.before["state"]

    def changed(self) -> set[str]:
        after = _values(self.obj)
        return {name for name, value in after.items() if self.before[name] != value}


def _values(obj) -> dict:
    return {f.name: f.value_from_object(obj) for f in obj._meta.concrete_fields}


def _save_batch(batch: list[_Done], *, conflict: type[Conflict], by, reason: str) -> None:
    from django.utils import timezone

    model = type(batch[0].obj)
    now = timezone.now()
    auto_now = [f.name for f in model._meta.concrete_fields if getattr(f, "auto_now", False)]
    fields = set(auto_now)
    by_source: dict = {}
    for item in batch:
        fields |= item.changed()
        for name in auto_now:
            setattr(item.obj, name, now)  # what save() does (pre_save), bulk_update does not
        by_source.setdefault(item.source, []).append(item)
    for source, items in by_source.items():
        objs = [item.obj for item in items]
        saved = _update_rows(model, objs, sorted(fields), state=source)
        if saved != len(objs):
            moved = set(
                model._default_manager.filter(pk__in=[o.pk for o in objs])
                .exclude(state=source)
                .values_list("pk", flat=True)
            )
            raise conflict(next((i.label for i in items if i.obj.pk in moved), items[0].label))
    _insert_history(model, [item.obj.pk for item in batch], by=by, reason=reason, when=now)
    for item in batch:
        item.obj._update_initial_state()


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


def _update_rows(model, objs, fields: list[str], *, state) -> int:
    """One UPDATE … FROM a VALUES list: each record's `fields`, where it is still in `state`
    (what ConcurrentTransitionMixin checks on save). Returns the rows updated. Django's
    bulk_update builds a CASE expression per field and record, which cost ~10 ms a record
    here; this costs what the values do."""
    from django.db import connections, router

    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    meta = model._meta
    pk = meta.pk
    columns = [pk, *(meta.get_field(name) for name in fields)]
    # PostgreSQL types a VALUES list from its text; SQLite must not cast (dates are text).
    if connection.vendor == "postgresql":
        cells = [f"CAST(%s AS {column.db_type(connection)})" for column in columns]
    else:
        cells = ["%s"] * len(columns)
    row = "(" + ", ".join(cells) + ")"
    params = []
    for obj in objs:
        params.append(pk.get_db_prep_value(obj.pk, connection))
        for column in columns[1:]:
            params.append(column.get_db_prep_save(getattr(obj, column.attname), connection))
    table, key = quote(meta.db_table), quote(pk.column)
    # A VALUES list's columns are column1, column2, … on both PostgreSQL and SQLite (no WITH:
    # Python's sqlite3 reports no row count for a statement that starts with one).
    assignments = ", ".join(
        f"{quote(column.column)} = v.column{number}"
        for number, column in enumerate(columns[1:], start=2)
    )
    state_column = quote(meta.get_field("state").column)
    sql = (
        f"UPDATE {table} SET {assignments} FROM (VALUES {', '.join([row] * len(objs))}) AS v "
        f"WHERE {table}.{key} = v.column1 AND {table}.{state_column} = %s"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, state])
        return cursor.rowcount
