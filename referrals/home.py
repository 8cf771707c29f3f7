"""The PAL part of the home page: each role's queues, from the querysets its lists use."""

from django.db.models import Count, Min, Q
from django.urls import reverse
from django.utils import timezone

from tracker.home import Queue, Tile
from tracker.roles import ASSISTER, PAL_COORDINATOR, PAL_REPRESENTATIVE, has_role, is_admin

from .models import AssisterReport, OrganizationRequest, Thread, overdue_q
from .permissions import assister_reports_visible_to, portal_leads, referrals_visible_to
from .states import OPEN, State


def _representative(user) -> Tile:
    mine = referrals_visible_to(user).filter(created_by=user, state__in=OPEN)
    summary = mine.order_by().aggregate(
        count=Count("*"),
        oldest=Min("created_at"),
        late=Count("state", filter=Q(state=State.FAILED)),
    )
    url = reverse("referrals:list")
    queue = Queue(
        "My referrals still open",
        url,
        summary["count"],
        oldest=summary["oldest"],
        late=summary["late"],
        late_label="lead emails that failed (a coordinator resends them)",
        late_url=f"{url}?state={State.FAILED}",
        key="referrals:list",
    )
    return Tile(PAL_REPRESENTATIVE, [queue], [("Refer a consumer", reverse("referrals:new"))])


def _coordinator(user) -> Tile:
    url = reverse("referrals:list")
    leads = (
        referrals_visible_to(user)
        .order_by()
        .aggregate(
            failed=Count("state", filter=Q(state=State.FAILED)),
            failed_oldest=Min("created_at", filter=Q(state=State.FAILED)),
            declined=Count("state", filter=Q(state=State.DECLINED)),
            declined_oldest=Min("declined_at", filter=Q(state=State.DECLINED)),
            overdue=Count("state", filter=overdue_q(timezone.localdate())),
            overdue_oldest=Min("contact_due_on", filter=overdue_q(timezone.localdate())),
        )
    )
    requests = OrganizationRequest.objects.filter(handled_at__isnull=True).aggregate(
        count=Count("*"), oldest=Min("received_on")
    )
    today = timezone.localdate()
    reports = AssisterReport.objects.filter(
        status=AssisterReport.Status.SENT, period__due_on__lt=today
    ).aggregate(count=Count("*"), oldest=Min("period__due_on"))
    # Issue 14: organizations' messages MNsure has not answered (the single point of contact).
    unanswered = Thread.objects.filter(status=Thread.Status.OPEN, awaiting_exchange=True).aggregate(
        count=Count("*"), oldest=Min("last_message_at")
    )
    queues = [
        Queue(
            "Failed lead emails",
            f"{url}?state={State.FAILED}",
            leads["failed"],
            oldest=leads["failed_oldest"],
            key="referrals:failed",
        ),
        Queue(
            "Declined leads to reassign",
            f"{url}?state={State.DECLINED}",
            leads["declined"],
            oldest=leads["declined_oldest"],
            key="referrals:declined",
        ),
        Queue(
            "Contacts overdue",
            f"{url}?overdue=true",
            leads["overdue"],
            oldest=leads["overdue_oldest"],
            key="referrals:overdue",
        ),
        Queue(
            "Requests from organizations",
            reverse("referrals:requests"),
            requests["count"],
            oldest=requests["oldest"],
            key="referrals:requests",
        ),
        Queue(
            "Unanswered messages from organizations",
            reverse("referrals:threads"),
            unanswered["count"],
            oldest=unanswered["oldest"],
            key="referrals:threads",
        ),
        Queue(
            "Preferred Assister Reports past due",
            reverse("reports:assister_reports"),
            reports["count"],
            oldest=reports["oldest"],
        ),
    ]
    actions = [
        ("Assister directory", reverse("referrals:organizations")),
        ("Reporting calendar", reverse("reports:assister_calendar")),
        ("Performance", reverse("reports:performance")),
        ("Coverage by county", reverse("reports:coverage")),
    ]
    return Tile(PAL_COORDINATOR, queues, actions)


def _assister(user) -> Tile:
    url = reverse("portal:home")
    leads = (
        portal_leads(user)
        .order_by()
        .aggregate(
            count=Count("state", filter=Q(contact_made__isnull=True)),
            oldest=Min("sent_at", filter=Q(contact_made__isnull=True)),
            late=Count("state", filter=overdue_q(timezone.localdate())),
        )
    )
    today = timezone.localdate()
    due = assister_reports_visible_to(user).filter(status=AssisterReport.Status.SENT)
    reports = due.order_by().aggregate(
        count=Count("*"), late=Count("pk", filter=Q(period__due_on__lt=today))
    )
    queues = [
        Queue(
            "Leads awaiting an outcome",
            f"{url}?status=awaiting",
            leads["count"],
            oldest=leads["oldest"],
            late=leads["late"],
            late_label="contact overdue (due within 2 business days of the lead)",
            late_url=f"{url}?status=overdue",
            key="portal:home",
        ),
        Queue(
            "Preferred Assister Reports to return",
            reverse("reports:assister_reports"),
            reports["count"],
            late=reports["late"],
            late_label="past their due date",
            late_url=reverse("reports:assister_reports"),
            key="reports:assister_reports",
        ),
    ]
    return Tile(ASSISTER, queues)


def tiles(user) -> dict[str, Tile]:
    out = {}
    if has_role(user, PAL_REPRESENTATIVE):
        out[PAL_REPRESENTATIVE] = _representative(user)
    if has_role(user, PAL_COORDINATOR) or (
        is_admin(user) and user.has_perm("referrals.view_all_referrals")
    ):
        out[PAL_COORDINATOR] = _coordinator(user)
    if has_role(user, ASSISTER):
        out[ASSISTER] = _assister(user)
    return out
