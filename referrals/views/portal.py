"""The assister portal (our addition to the seed): an assister organization's staff see their
own leads with due dates, record outcomes under the report's rules, and reach their Preferred
Assister Reports. Every page starts from `portal_leads(user)`; anything outside it is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog
from django_tables2 import RequestConfig

from tracker.lists import filter_status
from tracker.pagination import paginate

from .. import services
from ..emails import lead_questions
from ..filters import PortalLeadFilter
from ..forms import OutcomeForm
from ..models import AssisterReport, overdue_q
from ..permissions import can_use_portal, portal_leads
from ..services import ReferralConflict
from ..tables import PortalLeadTable
from .access import require


@require(can_use_portal)
def portal_home(request):
    leads = portal_leads(request.user)
    filterset = PortalLeadFilter(request.GET or None, queryset=leads, user=request.user)
    table = PortalLeadTable(filterset.qs.for_portal().order_by("contact_due_on", "pk"))
    RequestConfig(request, paginate=paginate(50)).configure(table)
    today = timezone.localdate()
    # Both figures of the summary in one pass over the organization's leads.
    counts = leads.aggregate(
        awaiting=Count("pk", filter=Q(contact_made__isnull=True)),
        overdue=Count("pk", filter=overdue_q(today)),
    )
    reports = (
        AssisterReport.objects.filter(organization__members=request.user)
        .exclude(status=AssisterReport.Status.PENDING)
        .select_related("organization", "period")
        .order_by("-period__start")[:6]
    )
    return render(
        request,
        "referrals/portal/home.html",
        {
            "table": table,
            "filter": filterset,
            "organizations": filterset.organizations,
            "awaiting": counts["awaiting"],
            "overdue": counts["overdue"],
            "reports": [(report, report.status_for(today)) for report in reports],
        },
        status=filter_status(filterset),
    )


@require(can_use_portal)
def portal_lead(request, pk):
    referral = get_object_or_404(
        portal_leads(request.user).select_related("county", "organization", "created_by"), pk=pk
    )
    form = OutcomeForm.for_referral(referral, request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.referral_report_outcome(
                referral=referral,
                by=request.user,
                source="Recorded in the assister portal",
                **form.answers(),
            )
        except ValidationError as error:
            for field, problems in error.message_dict.items():
                form.add_error(field if field in form.fields else None, problems)
        except (ReferralConflict, TransitionNotAllowed, PermissionDenied) as error:
            messages.error(request, str(error))
            return redirect("portal:lead", pk=referral.pk)
        else:
            messages.success(request, f"{referral.number}: outcome recorded.")
            return redirect("portal:home")
    return render(
        request,
        "referrals/portal/lead.html",
        {
            "referral": referral,
            "questions": lead_questions(referral),
            "form": form,
            "timeline": StateLog.objects.for_(referral)
            .select_related("by")
            .order_by("timestamp", "pk"),
        },
    )
