"""The home page's "day's work" (issue 13): for each role, its queues with how many items wait,
how old the oldest is and how many are past their target, plus the user's own recent activity.

Each app says what its roles' queues are (cases/home.py, referrals/home.py) from the same
querysets its lists use, so a count on the home page and the list it links to cannot disagree.
"""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from .business_days import business_days_between


@dataclass(frozen=True)
class Queue:
    """One line of a role's tile: "QC queue — 42 · oldest 9 business days · 3 past target"."""

    label: str
    url: str
    count: int
    oldest: datetime | date | None = None
    late: int = 0
    late_label: str = ""
    late_url: str = ""
    key: str = ""  # names the queue in the page (data-queue), for tests and scripts

    @property
    def oldest_age(self) -> int | None:
        """Business days since the oldest item arrived (0 = today)."""
        if self.oldest is None or not self.count:
            return None
        return business_days_between(self.oldest, timezone.localdate())


@dataclass(frozen=True)
class Tile:
    role: str
    queues: list[Queue] = field(default_factory=list)
    actions: list[tuple[str, str]] = field(default_factory=list)  # (label, url)


def queue_target_days() -> int:
    """Business days an item may wait in a work queue before the home page calls it late."""
    return settings.QUEUE_TARGET_BUSINESS_DAYS


@dataclass(frozen=True)
class Activity:
    when: datetime
    what: str
    number: str
    url: str


def recent_activity(user, limit: int = 8) -> list[Activity]:
    """The user's last transitions on cases and referrals, newest first (one query)."""
    from django.contrib.contenttypes.models import ContentType
    from django_fsm_log.models import StateLog

    from cases.models import Case, case_number
    from referrals.models import Referral, referral_number

    kinds = {
        ContentType.objects.get_for_model(Case).pk: ("cases:detail", case_number),
        ContentType.objects.get_for_model(Referral).pk: ("referrals:detail", referral_number),
    }
    logs = (
        StateLog.objects.filter(by=user, content_type_id__in=kinds)
        .order_by("-timestamp")
        .only("timestamp", "transition", "object_id", "content_type_id")[:limit]
    )
    activity = []
    for log in logs:
        url_name, number = kinds[log.content_type_id]
        what = log.transition.replace("_", " ").capitalize()
        url = reverse(url_name, args=[log.object_id])
        activity.append(Activity(log.timestamp, what, number(log.object_id), url))
    return activity
