import logging

from django.db import transaction
from django.utils import timezone

from .models import Lockout

log = logging.getLogger("signin")


@transaction.atomic
def lockout_clear(*, lockout: Lockout, by) -> bool:
    """Release a lockout before it runs out (AC-7: "or until released by an administrator").

    Returns False if it had already ended (expired, or cleared by someone else meanwhile).
    """
    lockout = Lockout.objects.select_for_update().get(pk=lockout.pk)
    now = timezone.now()
    if not lockout.is_active(now):
        return False
    lockout.cleared_at = now
    lockout.cleared_by = by
    lockout.save(update_fields=["cleared_at", "cleared_by"])
    log.warning(
        "Sign-in lockout cleared: %s %s by %s",
        lockout.kind,
        lockout.subject,
        by.get_username() if by else "a management command",
    )
    return True
