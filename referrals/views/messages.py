"""The coordinators' side of self-service (issue 14): organizations' message threads, answered
in the app (MNsure's single point of contact), and contact changes waiting for approval."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from tracker.forms import problems

from .. import services
from ..forms import DecisionForm
from ..models import ContactChange, Thread
from ..permissions import can_answer_threads, threads_visible_to
from .access import require
from .self_service import thread_page

SHOWS = {
    "unanswered": Q(status=Thread.Status.OPEN, awaiting_exchange=True),
    "open": Q(status=Thread.Status.OPEN),
    "closed": Q(status=Thread.Status.CLOSED),
    "all": Q(),
}


@require(can_answer_threads)
def thread_list(request):
    """Unanswered threads first (oldest question first), then the other open ones."""
    show = request.GET.get("show", "open")
    if show not in SHOWS:
        show = "open"
    threads = threads_visible_to(request.user)
    counts = threads.aggregate(
        unanswered=Count("pk", filter=SHOWS["unanswered"]), open=Count("pk", filter=SHOWS["open"])
    )
    listed = threads.filter(SHOWS[show]).order_by("-awaiting_exchange", "last_message_at", "pk")
    per_page = 50
    try:
        page_number = max(1, int(request.GET.get("page", "1")))
    except ValueError:
        page_number = 1
    if page_number > 10_000:
        page_number = 1
    start = (page_number - 1) * per_page
    page_threads = list(listed[start : start + per_page + 1])
    return render(
        request,
        "referrals/thread_list.html",
        {
            "threads": page_threads[:per_page],
            "has_next": len(page_threads) > per_page,
            "page_number": page_number,
            "show": show,
            "shows": list(SHOWS),
            "counts": counts,
            "contact_changes": ContactChange.objects.filter(status=ContactChange.Status.PENDING)
            .select_related("organization", "requested_by")
            .order_by("requested_at"),
            "decision_form": DecisionForm(),
        },
    )


@require(can_answer_threads)
def thread_detail(request, pk):
    thread = get_object_or_404(threads_visible_to(request.user), pk=pk)
    return thread_page(
        request,
        thread,
        from_exchange=True,
        reply_url=reverse("referrals:thread", args=[thread.pk]),
        back_url=reverse("referrals:threads"),
    )


@require_POST
@require(can_answer_threads)
def thread_close(request, pk):
    thread = get_object_or_404(threads_visible_to(request.user), pk=pk)
    services.thread_close(thread=thread, by=request.user)
    messages.success(request, f"“{thread.subject}” closed.")
    return redirect("referrals:threads")


@require_POST
@require(can_answer_threads)
def contact_change_decide(request, pk, decision):
    change = get_object_or_404(ContactChange.objects.select_related("organization"), pk=pk)
    form = DecisionForm(request.POST)
    back = request.POST.get("next") == "threads"
    target = redirect("referrals:threads") if back else redirect(change.organization)
    if not form.is_valid():
        messages.error(request, "Nothing was changed. " + problems(form))
        return target
    note = form.cleaned_data["note"]
    try:
        if decision == "approve":
            services.contact_change_approve(change=change, by=request.user, note=note)
            messages.success(
                request,
                f"{change.organization}: leads now go to {change.lead_email}.",
            )
        else:
            services.contact_change_reject(change=change, by=request.user, note=note)
            messages.success(request, f"{change.organization}: contact change rejected.")
    except ValueError as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, "Nothing was changed. " + "; ".join(error.messages))
    return target
