"""Self-service in the assister portal (issue 14), replacing the seed's "send an email to
assisterleads@mnsure.org": an assister pauses and resumes new leads, asks for a change of
designated contact, and writes to MNsure's single point of contact. Every page starts from the
user's own organizations (`own_organizations`) or threads (`threads_visible_to`); anything else
is a 404."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from .. import services
from ..forms import ContactChangeForm, PauseForm, ReplyForm, ThreadForm
from ..models import ContactChange
from ..permissions import (
    can_use_portal,
    can_write_in_thread,
    own_organizations,
    portal_leads,
    threads_visible_to,
)
from .access import require


def _own(request, pk):
    return get_object_or_404(
        own_organizations(request.user).prefetch_related("counties", "languages"), pk=pk
    )


def _page(request, organization, *, status=200, **forms):
    """The organization's self-service page, with any bound (invalid) form in place."""
    context = {
        "organization": organization,
        "pause_form": forms.get("pause_form") or PauseForm(),
        "contact_form": forms.get("contact_form")
        or ContactChangeForm(
            initial={
                "contact_name": organization.contact_name,
                "lead_email": organization.lead_email,
                "phone": organization.phone,
            }
        ),
        "thread_form": forms.get("thread_form") or ThreadForm(),
        "contact_changes": organization.contact_changes.select_related("decided_by")[:5],
        "threads": organization.threads.select_related("referral")[:50],
        "changes": organization.changes.select_related("changed_by")[:10],
    }
    return render(request, "referrals/portal/organization.html", context, status=status)


@require(can_use_portal)
def portal_organizations(request):
    """The menu's "My organization": straight to it, or a choice when the user has several."""
    organizations = list(own_organizations(request.user))
    if len(organizations) == 1:
        return redirect("portal:organization", pk=organizations[0].pk)
    return render(request, "referrals/portal/organizations.html", {"organizations": organizations})


@require(can_use_portal)
def portal_organization(request, pk):
    return _page(request, _own(request, pk))


def _form_errors(form, error: ValidationError):
    for field, problems in error.message_dict.items():
        form.add_error(field if field in form.fields else None, problems)


@require_POST
@require(can_use_portal)
def portal_pause(request, pk):
    organization = _own(request, pk)
    form = PauseForm(request.POST)
    if form.is_valid():
        try:
            services.organization_pause(
                organization=organization,
                by=request.user,
                reason=form.cleaned_data["pause_reason"],
                paused_from=form.cleaned_data["paused_from"],
                paused_until=form.cleaned_data["paused_until"],
            )
        except ValidationError as error:
            _form_errors(form, error)
        else:
            messages.success(
                request,
                "Saved: no new leads while the pause lasts. MNsure's coordinators are told.",
            )
            return redirect("portal:organization", pk=organization.pk)
    return _page(request, organization, pause_form=form, status=400)


@require_POST
@require(can_use_portal)
def portal_resume(request, pk):
    organization = _own(request, pk)
    try:
        services.organization_resume_leads(organization=organization, by=request.user)
    except ValueError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, "Saved: you take new leads again. MNsure's coordinators are told."
        )
    return redirect("portal:organization", pk=organization.pk)


@require_POST
@require(can_use_portal)
def portal_contact(request, pk):
    organization = _own(request, pk)
    form = ContactChangeForm(request.POST, instance=ContactChange(organization=organization))
    if form.is_valid():
        data = form.cleaned_data
        services.contact_change_request(
            organization=organization,
            by=request.user,
            contact_name=data["contact_name"],
            lead_email=data["lead_email"],
            phone=data["phone"],
            note=data["note"],
        )
        messages.success(
            request,
            "Sent to MNsure for approval. Leads go to your current contact until it is approved.",
        )
        return redirect("portal:organization", pk=organization.pk)
    return _page(request, organization, contact_form=form, status=400)


@require_POST
@require(can_use_portal)
def portal_thread_new(request, pk):
    organization = _own(request, pk)
    form = ThreadForm(request.POST)
    if form.is_valid():
        thread = services.thread_start(
            organization=organization,
            by=request.user,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
        )
        messages.success(request, "Sent to MNsure. The answer will show here.")
        return redirect("portal:thread", pk=thread.pk)
    return _page(request, organization, thread_form=form, status=400)


@require_POST
@require(can_use_portal)
def portal_lead_thread_new(request, pk):
    """A message about one lead (from the lead's page)."""
    referral = get_object_or_404(portal_leads(request.user).select_related("organization"), pk=pk)
    form = ThreadForm(request.POST)
    if not form.is_valid():
        from tracker.forms import problems

        messages.error(request, "Nothing was sent. " + problems(form))
        return redirect("portal:lead", pk=referral.pk)
    thread = services.thread_start(
        organization=referral.organization,
        referral=referral,
        by=request.user,
        subject=form.cleaned_data["subject"],
        body=form.cleaned_data["body"],
    )
    messages.success(request, "Sent to MNsure. The answer will show here.")
    return redirect("portal:thread", pk=thread.pk)


def thread_page(request, thread, *, from_exchange: bool, reply_url: str, back_url: str):
    """The thread with its reply form: shared by the portal and the coordinators' pages."""
    if not can_write_in_thread(thread, request.user):
        raise PermissionDenied("You may not write in this thread.")
    form = ReplyForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.thread_reply(
                thread=thread,
                by=request.user,
                body=form.cleaned_data["body"],
                from_exchange=from_exchange,
            )
            messages.success(request, "Message sent.")
            return redirect(reply_url)
        status = 400
    return render(
        request,
        "referrals/thread.html",
        {
            "thread": thread,
            "thread_messages": thread.messages.select_related("author"),
            "form": form,
            "reply_url": reply_url,
            "back_url": back_url,
            "exchange_side": from_exchange,
        },
        status=status,
    )


@require(can_use_portal)
def portal_thread(request, pk):
    from django.urls import reverse

    thread = get_object_or_404(threads_visible_to(request.user), pk=pk)
    return thread_page(
        request,
        thread,
        from_exchange=False,
        reply_url=reverse("portal:thread", args=[thread.pk]),
        back_url=reverse("portal:organization", args=[thread.organization_id]),
    )
