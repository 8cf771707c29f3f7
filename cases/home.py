"""The MCO tracker's part of the home page: each role's queue, from the queryset its list uses."""

from django.db.models import Count, Min, Q
from django.urls import reverse

from tracker.home import Queue, Tile, queue_target_days
from tracker.roles import CSR, QC_LEAD, STATE_MONITOR, SUPERVISOR, has_role, is_admin

from . import queues
from .filters import older_than_cutoff
from .states import NEXT_ACTOR


def _queue(label, url_name, queryset, *, late_label="") -> Queue:
    target = queue_target_days()
    summary = queryset.order_by().aggregate(
        count=Count("*"),
        oldest=Min("created_at"),
        late=Count("created_at", filter=Q(created_at__lt=older_than_cutoff(target))),
    )
    url = reverse(url_name)
    return Queue(
        label,
        url,
        summary["count"],
        oldest=summary["oldest"],
        late=summary["late"],
        late_label=late_label or f"waiting more than {target} business days",
        late_url=f"{url}?older_than={target}",
        key=url_name,
    )


def tiles(user) -> dict[str, Tile]:
    """role -> its tile. One aggregate query per queue."""
    out = {}
    if has_role(user, CSR):
        still_open = queues.csr_list(user).filter(state__in=list(NEXT_ACTOR))
        out[CSR] = Tile(
            CSR,
            [_queue("My cases still being worked", "cases:mine", still_open)],
            [("Log a case", reverse("cases:new"))],
        )
    if has_role(user, QC_LEAD) or is_admin(user):
        out[QC_LEAD] = Tile(
            QC_LEAD,
            [_queue("QC queue", "cases:qc_queue", queues.qc_queue(user))],
            [("QC report", reverse("reports:qc_report"))],
        )
    if has_role(user, STATE_MONITOR) or is_admin(user):
        out[STATE_MONITOR] = Tile(
            STATE_MONITOR,
            [_queue("True tracker cases", "cases:monitor_list", queues.monitor_list(user))],
            [("Hand-off", reverse("reports:handoff")), ("Uploads", reverse("reports:uploads"))],
        )
    if has_role(user, SUPERVISOR) or is_admin(user):
        out[SUPERVISOR] = Tile(
            SUPERVISOR, [_queue("Outreach", "cases:outreach", queues.outreach_open(user))]
        )
    return out
