"""Recording access to full identifiers (unmasked SSNs)."""

from collections.abc import Iterable

from .models import IdentifierAccess


def record_identifier_access(*, user, action: str, what: str, object_ids: Iterable[int]):
    return IdentifierAccess.objects.create(
        user=user, action=action, what=what, object_ids=sorted(set(object_ids))
    )
