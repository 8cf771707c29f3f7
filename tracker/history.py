"""Field history (django-simple-history, docs/decisions/0002) turned into timeline entries.

Each saved version of a record is a historical row; an entry is what changed between one row and
the one before it for the same record: who, when, and each field from what to what, in the
users' words (choice labels, names of related records, local dates). Rows where nothing shown
changed (a transition that only moved `state`) give no entry.

Query count is constant: the caller passes the historical rows (one query, `history_user`
selected), and related records named in the changes are fetched with one query per related
model, however long the history.
"""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from simple_history.models import HistoricalRecords

EMPTY = "—"
BASELINE_MISSING = (
    "Changed before field history was recorded for it: the earlier values are not known."
)
# Fields simple-history adds to every historical row, never shown as changes.
HISTORY_FIELDS = {
    "history_id",
    "history_date",
    "history_change_reason",
    "history_type",
    "history_user",
    "history_user_id",
}


def attribute_to(obj, by, *, reason: str = "") -> None:
    """Make `obj`'s next history row name `by` (and why), wherever the save happens: a request,
    a worker or a management command. `by=None` is the system (the lead-delivery worker), even
    when the worker runs inside someone's request (the immediate task backend)."""
    obj._history_user = by
    if reason:
        obj._change_reason = bounded_reason(reason)


def bounded_reason(reason: str) -> str:
    """simple-history keeps at most 100 characters of a reason."""
    return reason if len(reason) <= 100 else reason[:99] + "…"


def forget_attribution(obj) -> None:
    """After the save: a later save of the same object must not reuse this user or reason."""
    for name in ("_history_user", "_change_reason"):
        obj.__dict__.pop(name, None)


@dataclass
class Change:
    label: str
    old: str
    new: str


@dataclass
class HistoryEntry:
    at: object
    by: object
    kind: str  # "+" created, "~" changed, "-" deleted (simple-history's history_type)
    reason: str
    record: object  # the historical row
    changes: list[Change] = field(default_factory=list)
    # A change with no earlier row to compare with: history began after the record was created.
    baseline_missing: bool = False


@dataclass
class HistorySpec:
    """How one model's history is shown.

    `hidden`: tracked fields never shown as changes (bookkeeping). `custom`: field name →
    function(previous_row, row) returning a Change or None, for fields shown another way (the
    masked SSN). `m2m`: many-to-many field names tracked with simple-history's m2m_fields.
    """

    model: type[models.Model]
    hidden: tuple[str, ...] = ()
    custom: dict = field(default_factory=dict)
    m2m: tuple[str, ...] = ()
    # Field name → label, where the model's verbose name is not what the pages call it.
    labels: dict = field(default_factory=dict)

    def shown_fields(self) -> list[models.Field]:
        history_model = self.model.history.model
        tracked = {f.attname for f in history_model._meta.concrete_fields}
        skip = HISTORY_FIELDS | set(self.hidden) | set(self.custom) | {self.model._meta.pk.attname}
        return [
            f
            for f in self.model._meta.concrete_fields
            if f.attname in tracked and f.attname not in skip and f.name not in skip
        ]


def entries(spec: HistorySpec, rows) -> list[HistoryEntry]:
    """Timeline entries for historical `rows` (any order, any number of records of the model)."""
    rows = sorted(rows, key=lambda r: (r.history_date, r.history_id))
    fields = spec.shown_fields()
    pk_name = spec.model._meta.pk.attname
    previous: dict = {}
    pending: list[tuple[HistoryEntry, list[tuple[models.Field, object, object]]]] = []
    for row in rows:
        before = previous.get(getattr(row, pk_name))
        previous[getattr(row, pk_name)] = row
        entry = HistoryEntry(
            at=row.history_date,
            by=row.history_user,
            kind=row.history_type,
            reason=row.history_change_reason or "",
            record=row,
        )
        raw: list[tuple[models.Field, object, object]] = []
        if row.history_type == "~" and before is not None:
            for f in fields:
                old, new = getattr(before, f.attname), getattr(row, f.attname)
                if old != new:
                    raw.append((f, old, new))
            for describe in spec.custom.values():
                change = describe(before, row)
                if change is not None:
                    entry.changes.append(change)
            for name in spec.m2m:
                old, new = _m2m_values(spec, before, name), _m2m_values(spec, row, name)
                if old != new:
                    raw.append((spec.model._meta.get_field(name), old, new))
        elif row.history_type == "~":
            entry.baseline_missing = True  # say so rather than guess what changed
        pending.append((entry, raw))
    names = _related_names([raw for _, raw in pending])
    result = []
    for entry, raw in pending:
        entry.changes[:0] = [
            _m2m_change(f, old, new, names, spec.labels.get(f.name))
            if f.many_to_many
            else Change(
                spec.labels.get(f.name) or _label(f),
                _display(f, old, names),
                _display(f, new, names),
            )
            for f, old, new in raw
        ]
        if entry.kind != "~" or entry.changes or (entry.baseline_missing and not entry.reason):
            result.append(entry)
    return result


def _label(f: models.Field) -> str:
    label = str(f.verbose_name)
    return label[:1].upper() + label[1:]


def _related_names(changes) -> dict:
    """{(model, pk): str(record)} for every related record a change names: one query a model."""
    wanted = defaultdict(set)
    for raw in changes:
        for f, old, new in raw:
            if f.many_to_many:
                wanted[f.related_model].update(old | new)
            elif f.is_relation:
                wanted[f.related_model].update(v for v in (old, new) if v is not None)
    names = {}
    for model, pks in wanted.items():
        for pk, obj in model._default_manager.in_bulk(pks).items():
            names[(model, pk)] = str(obj)
    return names


def _display(f: models.Field, value, names) -> str:
    if value is None or value == "":
        return EMPTY
    if f.is_relation:
        return names.get((f.related_model, value), f"#{value} (deleted)")
    if f.flatchoices:
        return str(dict(f.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if isinstance(f, models.DateTimeField):
        return date_format(timezone.localtime(value), "DATETIME_FORMAT")
    if isinstance(f, models.DateField):
        return date_format(value, "m/d/Y")
    return str(value)


def m2m_accessor(model, name: str) -> str:
    """The historical row's accessor for the m2m snapshot rows of field `name`, for
    `prefetch_related` (simple-history stores them in a model of their own)."""
    history_model = model.history.model
    through = HistoricalRecords.m2m_models[model._meta.get_field(name)]
    for rel in history_model._meta.related_objects:
        if rel.related_model is through:
            return rel.get_accessor_name()
    raise LookupError(f"{model.__name__}.{name} has no m2m history")


def _m2m_values(spec: HistorySpec, row, name: str) -> frozenset:
    target = spec.model._meta.get_field(name).m2m_reverse_field_name()
    # Prefetched by the caller: prefetch_related(m2m_accessor(model, name)).
    snapshot = getattr(row, m2m_accessor(spec.model, name)).all()
    return frozenset(getattr(item, f"{target}_id") for item in snapshot)


def _m2m_change(f, old: frozenset, new: frozenset, names, label=None) -> Change:
    def listed(pks):
        return ", ".join(sorted(names.get((f.related_model, pk), f"#{pk}") for pk in pks)) or EMPTY

    added, removed = new - old, old - new
    parts = []
    if added:
        parts.append(f"added {listed(added)}")
    if removed:
        parts.append(f"removed {listed(removed)}")
    return Change(label or _label(f), listed(old), "; ".join(parts))


def fold_transition_changes(entries: list[dict]) -> list[dict]:
    """Sort by time; attach each history entry written by a transition's save (its reason is
    the transition's name, tracker.workflow) to the latest entry of that transition."""
    timeline: list[dict] = []
    for entry in sorted(entries, key=lambda entry: entry["at"]):
        reason = entry.get("reason")
        if entry["kind"] == "edit" and reason:
            target = next((e for e in reversed(timeline) if e.get("transition") == reason), None)
            if target is not None:
                target["changes"] = target["changes"] + entry["changes"]
                continue
        timeline.append(entry)
    return timeline


def as_timeline(entry: HistoryEntry, title: str) -> dict:
    """A history entry in the shape of the timelines' entries (templates/tracker/timeline.html)."""
    return {
        "at": entry.at,
        "title": title,
        "what": "edit",
        "by": entry.by,
        "source": "",
        "detail": BASELINE_MISSING if entry.baseline_missing else "",
        "kind": "edit",
        "changes": entry.changes,
        "reason": entry.reason,
    }


def transition_timeline(obj) -> list[dict]:
    """Every transition of `obj` (django-fsm-log), oldest first, as timeline entries."""
    from django_fsm_log.models import StateLog

    return [
        {
            "at": log.timestamp,
            "title": log.get_state_display(),
            "what": log.transition.replace("_", " "),
            "by": log.by,
            "source": log.get_source_state_display() if log.source_state else "",
            "detail": log.description or "",
            "kind": "transition",
            "transition": log.transition,
            "changes": [],
        }
        for log in StateLog.objects.for_(obj)
        .select_related("by", "content_type")
        .order_by("timestamp", "pk")
    ]
