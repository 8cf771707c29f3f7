"""The assister portal (our addition to the seed): an assister organization's staff see their
own leads with due dates, record outcomes under the report's rules, and reach their Preferred
Assister Reports. Every page starts from `portal_leads(user)`; anything outside it is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog
from django_tables2 import RequestConfig

from tracker.lists import filter_status
from tracker.pagination import paginate

from .. import services
from ..emails import lead_questions
from ..filters import PortalLeadFilter
from ..forms import ContactForm, DeclineForm, OutcomeForm, ResolutionForm
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


def _portal_lead(user, pk):
    return get_object_or_404(
        portal_leads(user).select_related("county", "organization", "created_by"), pk=pk
    )


# The steps an assister takes on a lead, one form each (issue 14): step -> (transition, form).
# Each form is prefixed with its step, so the forms on one page keep distinct field ids.
STEPS = {
    "accept": ("accept", None),
    "decline": ("decline", DeclineForm),
    "contact": ("record_contact", ContactForm),
    "resolution": ("report_outcome", ResolutionForm),
}


def _step_forms(referral, user, bound: dict | None = None) -> dict:
    """step -> form (None for accept) for each step this assister may take on the lead now;
    `bound` replaces one of them with the submitted (invalid) form."""
    allowed = {t.name for t in referral.get_available_user_state_transitions(user)}
    forms = {}
    if "accept" in allowed:
        forms["accept"] = None
    if "decline" in allowed:
        forms["decline"] = DeclineForm(prefix="decline")
    if "record_contact" in allowed:
        forms["contact"] = ContactForm.for_referral(referral)
        forms["contact"].prefix = "contact"
    if "report_outcome" in allowed and referral.contact_made:
        forms["resolution"] = ResolutionForm(
            prefix="resolution",
            initial={"resolution": referral.resolution, "comments": referral.comments},
        )
    forms.update(bound or {})
    return forms


def _render_lead(request, referral, form, steps, status=200):
    return render(
        request,
        "referrals/portal/lead.html",
        {
            "referral": referral,
            "questions": lead_questions(referral),
            "form": form,
            "steps": steps,
            "timeline": StateLog.objects.for_(referral)
            .select_related("by")
            .order_by("timestamp", "pk"),
        },
        status=status,
    )


@require(can_use_portal)
def portal_lead(request, pk):
    referral = _portal_lead(request.user, pk)
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
    return _render_lead(request, referral, form, _step_forms(referral, request.user))


@require(can_use_portal)
@require_POST
def portal_lead_step(request, pk, step):
    """Accept, decline, record the contact (and appointment) or the resolution of a lead."""
    referral = _portal_lead(request.user, pk)
    if step not in STEPS:
        raise PermissionDenied("There is no such step.")
    transition, form_class = STEPS[step]
    allowed = {t.name for t in referral.get_available_user_state_transitions(request.user)}
    if transition not in allowed:
        messages.error(
            request,
            f"{referral.number} is now {referral.get_state_display()}: that step is not "
            "possible. Nothing was changed.",
        )
        return redirect("portal:lead", pk=referral.pk)
    form = form_class(request.POST, prefix=step) if form_class else None
    if form is not None and not form.is_valid():
        return _render_lead(
            request,
            referral,
            OutcomeForm.for_referral(referral),
            _step_forms(referral, request.user, {step: form}),
            status=400,
        )
    data = form.cleaned_data if form is not None else {}
    try:
        if step == "accept":
            services.referral_accept(referral=referral, by=request.user)
            done = "accepted: contact the consumer by the due date"
        elif step == "decline":
            services.referral_decline(
                referral=referral, by=request.user, reason=data["reason"], note=data["note"]
            )
            done = "declined: the PAL coordinators will reassign it"
        elif step == "contact":
            services.referral_record_contact(
                referral=referral,
                by=request.user,
                contact_date=data["contact_date"],
                appointment_on=data["appointment_on"],
            )
            done = "contact recorded"
        else:
            services.referral_record_resolution(
                referral=referral,
                by=request.user,
                resolution=data["resolution"],
                comments=data["comments"],
            )
            done = "resolution recorded: the lead is completed"
    except ValidationError as error:
        for field, problems in error.message_dict.items():
            form.add_error(field if field in form.fields else None, problems)
        return _render_lead(
            request,
            referral,
            OutcomeForm.for_referral(referral),
            _step_forms(referral, request.user, {step: form}),
            status=400,
        )
    except (ReferralConflict, TransitionNotAllowed, PermissionDenied) as error:
        messages.error(request, str(error))
        return redirect("portal:lead", pk=referral.pk)
    messages.success(request, f"{referral.number} {done}.")
    if step == "decline":
        return redirect("portal:home")  # no longer theirs
    return redirect("portal:lead", pk=referral.pk)
