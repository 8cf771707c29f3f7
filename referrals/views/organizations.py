"""Coordinator pages: the assister directory, requests from organizations, unmet needs."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed
from django_tables2 import RequestConfig

from tracker.forms import problems

from .. import permissions, services
from ..forms import (
    HandleRequestForm,
    NoteForm,
    OrganizationForm,
    OrganizationRequestForm,
    SuspendForm,
)
from ..history import organization_timeline
from ..models import (
    AssisterOrganization,
    ContactChange,
    OrganizationRequest,
    Referral,
    UnmetRequest,
)
from ..rules import AssisterType
from ..services import ReferralConflict
from ..states import OPEN
from ..tables import OrganizationTable
from .access import require


@require(permissions.can_view_organizations)
def organization_list(request):
    # Each organization's open leads counted from the (organization, state) index alone
    # (COUNT(*): counting ids would read them from elsewhere), not by joining and grouping all
    # 200,000 referrals.
    open_leads = (
        Referral.objects.filter(organization=OuterRef("pk"), state__in=OPEN)
        .order_by()
        .values("organization")
        .annotate(n=Count("*"))
        .values("n")
    )
    queryset = (
        permissions.organizations_visible_to(request.user)
        .prefetch_related("counties", "languages")
        .annotate(open_leads=Coalesce(Subquery(open_leads), 0))
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
    organization = get_object_or_404(permissions.organizations_visible_to(request.user), pk=pk)
    return render(
        request,
        "referrals/organization_detail.html",
        {
            "organization": organization,
            "counties": organization.counties.all(),
            "languages": organization.languages.all(),
            "pending_change": organization.contact_changes.filter(
                status=ContactChange.Status.PENDING
            )
            .select_related("requested_by")
            .first(),
            "changes": organization.changes.select_related("changed_by"),
            "history": organization_timeline(organization),
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
                organization=organization,
                counties=form.cleaned_data["counties"],
                languages=form.cleaned_data["languages"],
                by=request.user,
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
            languages=form.cleaned_data["languages"],
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
        messages.error(
            request,
            "Give a reason (and valid dates) to suspend the organization. " + problems(form),
        )
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
    if not form.is_valid():
        messages.error(request, "Nothing was changed. " + problems(form))
        return redirect(organization)
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
        messages.error(
            request, "The request needs a kind, a date and its details. " + problems(form)
        )
    return redirect(organization)


@require_POST
@require(permissions.can_manage_organizations)
def request_handle(request, pk):
    logged = get_object_or_404(OrganizationRequest, pk=pk)
    form = HandleRequestForm(request.POST)
    try:
        if not form.is_valid():
            raise ValueError("Say what was done. " + problems(form))
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
    labels = dict(AssisterType.choices)
    rows = [
        {**row, "assister_type": labels.get(row["assister_type"], row["assister_type"])}
        for row in UnmetRequest.objects.values("county__name", "assister_type")
        .annotate(count=Count("pk"))
        .order_by("-count", "county__name")
    ]
    return render(
        request,
        "referrals/unmet_list.html",
        {"rows": rows, "recent": UnmetRequest.objects.select_related("county", "recorded_by")[:50]},
    )
