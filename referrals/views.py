from functools import wraps

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog
from django_tables2 import RequestConfig

from . import permissions, services
from .filters import OwnReferralFilter, ReferralFilter
from .forms import (
    ChooseOrganizationForm,
    HandleRequestForm,
    NoteForm,
    OrganizationForm,
    OrganizationRequestForm,
    ReasonForm,
    ReassignForm,
    ReferralForm,
    SuspendForm,
)
from .models import AssisterOrganization, OrganizationRequest, UnmetRequest
from .permissions import referrals_visible_to
from .routing import eligible_organizations
from .rules import assister_type_for
from .services import ReferralConflict
from .states import OPEN
from .tables import OrganizationTable, ReferralTable


def require(check):
    """403 unless check(user) holds (anonymous users never get here: LoginRequiredMiddleware)."""

    def decorator(view):
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied("Your role does not give access to this page.")
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def can_list_referrals(user):
    return permissions.can_create_referral(user) or permissions.can_see_all_referrals(user)


def get_referral_for(user, pk):
    """The referral if this user may see it, else 404 (its existence is not revealed)."""
    queryset = referrals_visible_to(user).select_related("county", "organization", "created_by")
    return get_object_or_404(queryset, pk=pk)


# ---- referrals ------------------------------------------------------------------------------
@require(can_list_referrals)
def referral_list(request):
    queryset = referrals_visible_to(request.user).for_lists()
    everyone = permissions.can_see_all_referrals(request.user)
    filterset = (ReferralFilter if everyone else OwnReferralFilter)(
        request.GET or None, queryset=queryset
    )
    table = ReferralTable(filterset.qs)
    RequestConfig(request, paginate={"per_page": 50}).configure(table)
    title = "All referrals" if everyone else "My referrals"
    return render(
        request,
        "referrals/referral_list.html",
        {"table": table, "filter": filterset, "title": title},
    )


@require(permissions.can_create_referral)
def referral_new(request):
    """Two steps on one page: answer the questions → see the type, its reason and the eligible
    organizations (fewest open leads pre-selected) → send."""
    form = ReferralForm(request.POST or None)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        referral = form.instance
        decision = assister_type_for(
            has_application=referral.has_active_application,
            determinations=referral.determinations,
        )
        county = form.cleaned_data["county"]
        organizations = eligible_organizations(assister_type=decision.assister_type, county=county)
        context.update(decision=decision, county=county)
        if not organizations:
            if request.POST.get("step") == "route":
                services.record_unmet_request(
                    county=county,
                    assister_type=decision.assister_type,
                    language=form.cleaned_data["language"],
                    by=request.user,
                )
            context["unmet"] = True
            return render(request, "referrals/referral_form.html", context)
        sending = request.POST.get("step") == "send"
        choose = ChooseOrganizationForm(
            request.POST if sending else None,
            organizations=organizations,
            initial={"organization": organizations[0]},
        )
        context["choose"] = choose
        if sending and choose.is_valid():
            try:
                referral = services.referral_create(
                    referral=referral,
                    organization=choose.cleaned_data["organization"],
                    by=request.user,
                )
            except ValidationError as error:
                messages.error(request, "; ".join(error.messages))
            else:
                messages.success(
                    request,
                    f"{referral.number} created: the lead is on its way to "
                    f"{referral.organization}.",
                )
                return redirect(referral)
    return render(request, "referrals/referral_form.html", context)


def referral_actions(referral, user):
    """(name, label, form) for each step this user may take on the referral now."""
    allowed = {t.name for t in referral.get_available_user_state_transitions(user)}
    actions = []
    if "resend" in allowed:
        actions.append(("resend", "Resend the lead", NoteForm()))
    if "reassign" in allowed:
        others = eligible_organizations(
            assister_type=referral.assister_type, county=referral.county
        ).exclude(pk=referral.organization_id)
        if others:
            actions.append(
                ("reassign", "Reassign to another organization", ReassignForm(organizations=others))
            )
    if "withdraw" in allowed:
        actions.append(("withdraw", "Withdraw the referral", ReasonForm()))
    return actions


def referral_detail(request, pk):
    referral = get_referral_for(request.user, pk)
    from .emails import lead_questions

    deliveries = referral.deliveries.select_related("organization").prefetch_related("attempts")
    context = {
        "referral": referral,
        "questions": lead_questions(referral),
        "deliveries": deliveries if permissions.can_see_all_referrals(request.user) else None,
        "actions": referral_actions(referral, request.user),
        "timeline": StateLog.objects.for_(referral)
        .select_related("by")
        .order_by("timestamp", "pk"),
    }
    return render(request, "referrals/referral_detail.html", context)


@require_POST
def referral_action(request, pk, action):
    referral = get_referral_for(request.user, pk)
    allowed = {t.name for t in referral.get_available_user_state_transitions(request.user)}
    if action not in {"resend", "reassign", "withdraw"}:
        raise PermissionDenied("There is no such step.")
    if action not in allowed:
        if any(t.name == action for t in referral.get_available_state_transitions()):
            raise PermissionDenied("You may not take this step on this referral.")
        messages.error(
            request,
            f"{referral.number} is now {referral.get_state_display()}: that step is no longer "
            "possible. Nothing was changed.",
        )
        return redirect(referral)
    try:
        if action == "resend":
            form = NoteForm(request.POST)
            form.is_valid()
            services.referral_resend(
                referral=referral, by=request.user, note=form.cleaned_data.get("note", "")
            )
        elif action == "reassign":
            form = ReassignForm(
                request.POST,
                organizations=eligible_organizations(
                    assister_type=referral.assister_type, county=referral.county
                ),
            )
            if not form.is_valid():
                messages.error(request, "Choose an organization and give a reason.")
                return redirect(referral)
            services.referral_reassign(
                referral=referral,
                organization=form.cleaned_data["organization"],
                by=request.user,
                reason=form.cleaned_data["reason"],
            )
        else:
            form = ReasonForm(request.POST)
            if not form.is_valid():
                messages.error(request, "Give a reason to withdraw the referral.")
                return redirect(referral)
            services.referral_withdraw(
                referral=referral, by=request.user, reason=form.cleaned_data["reason"]
            )
    except (TransitionNotAllowed, ReferralConflict, ValueError) as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, f"{referral.number}: done.")
    return redirect(referral)


# ---- organizations --------------------------------------------------------------------------
@require(permissions.can_view_organizations)
def organization_list(request):
    queryset = AssisterOrganization.objects.prefetch_related("counties").annotate(
        open_leads=Count("referrals", filter=Q(referrals__state__in=OPEN))
    )
    table = OrganizationTable(queryset)
    RequestConfig(request, paginate=False).configure(table)
    return render(
        request,
        "referrals/organization_list.html",
        {
            "table": table,
            "open_requests": OrganizationRequest.objects.filter(handled_at__isnull=True)
            .select_related("organization")
            .count(),
            "unmet_count": UnmetRequest.objects.count(),
        },
    )


@require(permissions.can_view_organizations)
def organization_detail(request, pk):
    organization = get_object_or_404(AssisterOrganization, pk=pk)
    return render(
        request,
        "referrals/organization_detail.html",
        {
            "organization": organization,
            "counties": organization.counties.all(),
            "changes": organization.changes.select_related("changed_by"),
            "requests": organization.requests.select_related("logged_by", "handled_by"),
            "failed_count": organization.referrals.filter(state="failed").count(),
            "open_count": organization.referrals.filter(state__in=OPEN).count(),
            "can_manage": permissions.can_manage_organizations(request.user),
            "suspend_form": SuspendForm(),
            "request_form": OrganizationRequestForm(),
            "resume_form": NoteForm(),
        },
    )


@require(permissions.can_manage_organizations)
def organization_new(request):
    form = OrganizationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        organization = form.save(commit=False)
        try:
            services.organization_create(
                organization=organization, counties=form.cleaned_data["counties"], by=request.user
            )
        except ValidationError as error:
            messages.error(request, "; ".join(error.messages))
        else:
            organization.members.set(form.cleaned_data["members"])
            messages.success(request, f"{organization} added.")
            return redirect(organization)
    return render(request, "referrals/organization_form.html", {"form": form, "new": True})


@require(permissions.can_manage_organizations)
def organization_edit(request, pk):
    organization = get_object_or_404(AssisterOrganization, pk=pk)
    form = OrganizationForm(request.POST or None, instance=organization)
    if request.method == "POST" and form.is_valid():
        organization = form.save(commit=False)
        services.organization_update(
            organization=organization,
            by=request.user,
            note=form.cleaned_data["note"],
            counties=form.cleaned_data["counties"],
        )
        organization.members.set(form.cleaned_data["members"])
        messages.success(request, f"{organization} saved.")
        failed = organization.referrals.filter(state="failed").count()
        if failed:
            messages.warning(
                request,
                f"{organization} has {failed} failed lead(s): resend them from this page.",
            )
        return redirect(organization)
    return render(
        request,
        "referrals/organization_form.html",
        {"form": form, "organization": organization},
    )


@require_POST
@require(permissions.can_manage_organizations)
def organization_suspend(request, pk):
    organization = get_object_or_404(AssisterOrganization, pk=pk)
    form = SuspendForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Give a reason (and valid dates) to suspend the organization.")
        return redirect(organization)
    try:
        services.organization_suspend(
            organization=organization, by=request.user, **form.cleaned_data
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{organization} suspended: it gets no new leads.")
    return redirect(organization)


@require_POST
@require(permissions.can_manage_organizations)
def organization_resume(request, pk):
    organization = get_object_or_404(AssisterOrganization, pk=pk)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        services.organization_resume(
            organization=organization, by=request.user, note=form.cleaned_data.get("note", "")
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{organization} is active again.")
    return redirect(organization)


@require_POST
@require(permissions.can_manage_leads)
def organization_resend_failed(request, pk):
    organization = get_object_or_404(AssisterOrganization, pk=pk)
    try:
        count = services.organization_resend_failed(organization=organization, by=request.user)
    except (TransitionNotAllowed, ReferralConflict, ValueError) as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, f"{count} failed lead(s) queued again to {organization.lead_email}."
        )
    return redirect(organization)


# ---- requests from organizations and unmet needs --------------------------------------------
@require(permissions.can_manage_organizations)
def request_list(request):
    return render(
        request,
        "referrals/request_list.html",
        {
            "requests": OrganizationRequest.objects.select_related(
                "organization", "logged_by", "handled_by"
            ),
            "handle_form": HandleRequestForm(),
        },
    )


@require_POST
@require(permissions.can_manage_organizations)
def request_new(request, pk):
    organization = get_object_or_404(AssisterOrganization, pk=pk)
    form = OrganizationRequestForm(
        request.POST, instance=OrganizationRequest(organization=organization)
    )
    if form.is_valid():
        services.organization_request_log(request=form.instance, by=request.user)
        messages.success(request, "Request logged.")
    else:
        messages.error(request, "The request needs a kind, a date and its details.")
    return redirect(organization)


@require_POST
@require(permissions.can_manage_organizations)
def request_handle(request, pk):
    logged = get_object_or_404(OrganizationRequest, pk=pk)
    form = HandleRequestForm(request.POST)
    try:
        if not form.is_valid():
            raise ValueError("Say what was done.")
        services.organization_request_handle(
            request=logged, by=request.user, response=form.cleaned_data["response"]
        )
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "Request marked handled.")
    return redirect("referrals:requests")


@require(lambda user: user.has_perm("referrals.view_unmetrequest"))
def unmet_list(request):
    rows = (
        UnmetRequest.objects.values("county__name", "assister_type")
        .annotate(count=Count("pk"))
        .order_by("-count", "county__name")
    )
    return render(
        request,
        "referrals/unmet_list.html",
        {"rows": rows, "recent": UnmetRequest.objects.select_related("county", "recorded_by")[:50]},
    )
