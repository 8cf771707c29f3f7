"""Key rotation (docs/decisions/0001-field-encryption.md): re-encrypt every stored value and kept
file under the first key of FIELD_ENCRYPTION_KEYS, so older keys can then be removed, and
recompute every blind index, so a new BLIND_INDEX_KEY takes effect (and every clear suffix, such
as an SSN's last four digits, that a row lacks).

Resumable by design: a value already under the first key with a correct index is left alone,
so a rotation that stopped half-way is finished by running it again. Each batch of rows is
locked while it is rewritten, so an edit made meanwhile is never overwritten with old data.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.apps import apps
from django.db import models, transaction
from django.db.models.functions import Cast

from . import crypto
from .fields import BlindIndexField, ClearSuffixField, EncryptedCharField


@dataclass
class Progress:
    label: str
    total: int
    checked: int = 0
    changed: int = 0
    missing: int = 0


Report = Callable[[Progress], None]


def _text(value: str) -> models.Value:
    # A Value with a plain TextField output is written as is: the encrypted field's own
    # get_prep_value would encrypt the token a second time.
    return models.Value(value, output_field=models.TextField())


def rotate_model(model, *, batch: int, report: Report) -> Progress:
    fields = [f for f in model._meta.concrete_fields if isinstance(f, EncryptedCharField)]
    indexes = [
        f for f in model._meta.concrete_fields if isinstance(f, BlindIndexField | ClearSuffixField)
    ]
    raw = {f"raw_{f.attname}": Cast(f.attname, models.TextField()) for f in fields}
    manager = model._base_manager
    progress = Progress(f"{model._meta.label} rows", manager.count())
    last = None
    while True:
        with transaction.atomic():
            rows = manager.order_by("pk").select_for_update()
            if last is not None:
                rows = rows.filter(pk__gt=last)
            rows = list(
                rows.annotate(**raw).values("pk", *raw, *(f.attname for f in indexes))[:batch]
            )
            for row in rows:
                updates = _row_updates(row, fields, indexes)
                if updates:
                    manager.filter(pk=row["pk"]).update(**updates)
                    progress.changed += 1
        if not rows:
            break
        last = rows[-1]["pk"]
        progress.checked += len(rows)
        report(progress)
    return progress


def _row_updates(row: dict, fields, indexes) -> dict:
    updates = {}
    clear = {}
    for field in fields:
        token = row[f"raw_{field.attname}"]
        if token is None:
            continue
        clear[field.name] = crypto.decrypt_text(token)
        if not crypto.is_current(token.encode("ascii")):
            updates[field.attname] = _text(crypto.rotate_bytes(token.encode("ascii")).decode())
    for index in indexes:
        if index.source in clear:
            derive = index.index_of if isinstance(index, BlindIndexField) else index.suffix_of
            expected = derive(clear[index.source])
            if row[index.attname] != expected:
                updates[index.attname] = expected
    return updates


def rotate_files(model, field, *, batch: int, report: Report) -> Progress:
    manager = model._base_manager
    kept = manager.exclude(**{field.attname: ""}).exclude(**{f"{field.attname}__isnull": True})
    progress = Progress(f"{model._meta.label} files", kept.count())
    last = None
    while True:
        page = kept.order_by("pk")
        if last is not None:
            page = page.filter(pk__gt=last)
        rows = list(page.values_list("pk", field.attname)[:batch])
        if not rows:
            break
        for _pk, name in rows:
            try:
                progress.changed += field.storage.rotate(name)
            except FileNotFoundError:
                progress.missing += 1
        last = rows[-1][0]
        progress.checked += len(rows)
        report(progress)
    return progress


def rotate_everything(*, batch: int = 500, report: Report = lambda progress: None):
    """Every encrypted column and every kept file in every installed app."""
    results = []
    for model in apps.get_models():
        concrete = model._meta.concrete_fields
        if any(isinstance(f, EncryptedCharField | BlindIndexField) for f in concrete):
            results.append(rotate_model(model, batch=batch, report=report))
        for field in concrete:
            if isinstance(field, models.FileField) and hasattr(field.storage, "rotate"):
                results.append(rotate_files(model, field, batch=batch, report=report))
    return results
