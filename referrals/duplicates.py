"""The referral form's duplicate warning (issue 13): the same phone number or email referred in
the last DUPLICATE_DAYS days. A consumer who calls back is usually still waiting for the first
assister; a second lead to another organization wastes both."""

from datetime import timedelta

from django.db.models import Q
from django.utils import timezone

from .models import Referral
from .permissions import referrals_visible_to
from .states import State

DUPLICATE_DAYS = 30
SHOWN = 10


def recent_referrals_to(*, phone: str, email: str) -> list[Referral]:
    """Referrals sent (or on their way) in the last DUPLICATE_DAYS days to this phone or
    email, newest first, whoever made them."""
    match = Q(pk__in=[])
    if phone:
        match |= Q(phone=phone)
    if email:
        match |= Q(email__iexact=email)
    since = timezone.now() - timedelta(days=DUPLICATE_DAYS)
    queryset = (
        Referral.objects.filter(match, created_at__gte=since)
        .exclude(state=State.NEW)
        .select_related("organization")
        .order_by("-created_at", "-pk")
    )
    return list(queryset[:SHOWN])


def mark_visible(referrals: list[Referral], user) -> list[Referral]:
    """Set `visible`: the warning links only to the referral pages this user may open."""
    ids = set(
        referrals_visible_to(user)
        .filter(pk__in=[r.pk for r in referrals])
        .values_list("pk", flat=True)
    )
    for referral in referrals:
        referral.visible = referral.pk in ids
    return referrals
