"""Referral intake, lists and the referral page."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed
from django_tables2 import RequestConfig

from tracker.forms import problems
from tracker.lists import filter_status
from tracker.pagination import paginate

from .. import permissions, services
from ..duplicates import mark_visible, recent_referrals_to
from ..filters import OwnReferralFilter, ReferralFilter
from ..forms import (
    ChooseOrganizationForm,
    DuplicateReasonForm,
    NoteForm,
    ReasonForm,
    ReassignForm,
    ReferralForm,
)
from ..history import referral_timeline
from ..permissions import referrals_visible_to
from ..routing import eligible_organizations, route
from ..rules import assister_type_for
from ..services import ReferralConflict
from ..tables import ReferralTable
from .access import can_list_referrals, get_referral_for, require


@require(can_list_referrals)
def referral_list(request):
    queryset = referrals_visible_to(request.user).for_lists()
    everyone = permissions.can_see_all_referrals(request.user)
    filterset = (ReferralFilter if everyone else OwnReferralFilter)(
        request.GET or None, queryset=queryset
    )
    table = ReferralTable(filterset.qs)
    RequestConfig(request, paginate=paginate(50)).configure(table)
    title = "All referrals" if everyone else "My referrals"
    return render(
        request,
        "referrals/referral_list.html",
        {"table": table, "filter": filterset, "title": title},
        status=filter_status(filterset),
    )


@require(permissions.can_create_referral)
def referral_new(request):
    """Two steps on one page: answer the questions → see the type, its reason and the eligible
    organizations (fewest open leads pre-selected) → send."""
    form = ReferralForm(request.POST or None)
    reason_form = DuplicateReasonForm(request.POST or None)
    context = {"form": form, "reason_form": reason_form}
    if request.method == "POST" and form.is_valid():
        referral = form.instance
        duplicates = mark_visible(
            recent_referrals_to(phone=referral.phone, email=referral.email), request.user
        )
        context["duplicates"] = duplicates
        decision = assister_type_for(
            has_application=referral.has_active_application,
            determinations=referral.determinations,
        )
        county = form.cleaned_data["county"]
        routing = route(
            assister_type=decision.assister_type,
            county=county,
            language=form.cleaned_data["language"],
        )
        organizations = routing.queryset
        context.update(decision=decision, county=county, routing=routing)
        if not routing.organizations:
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
            initial={"organization": routing.pick},
            language=routing.language,
        )
        context["choose"] = choose
        reason = ""
        if sending and duplicates:
            reason = (
                reason_form.cleaned_data["duplicate_reason"].strip()
                if reason_form.is_valid()
                else ""
            )
            if not reason and not reason_form.errors:
                reason_form.add_error(
                    "duplicate_reason",
                    "This consumer was referred in the last 30 days: say why you refer them "
                    "again, or open the earlier referral instead.",
                )
        if sending and choose.is_valid() and (reason or not duplicates):
            try:
                referral = services.referral_create(
                    referral=referral,
                    organization=choose.cleaned_data["organization"],
                    by=request.user,
                    duplicate_reason=reason,
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
            assister_type=referral.assister_type,
            county=referral.county,
            language=referral.language,
        ).exclude(pk=referral.organization_id)
        if others:
            form = ReassignForm(organizations=others, language=referral.language)
            actions.append(("reassign", "Reassign to another organization", form))
    if "withdraw" in allowed:
        actions.append(("withdraw", "Withdraw the referral", ReasonForm()))
    return actions


def referral_detail(request, pk):
    referral = get_referral_for(request.user, pk)
    from ..emails import lead_questions

    deliveries = referral.deliveries.select_related("organization").prefetch_related("attempts")
    context = {
        "referral": referral,
        "questions": lead_questions(referral),
        "deliveries": deliveries if permissions.can_see_all_referrals(request.user) else None,
        "actions": referral_actions(referral, request.user),
        "timeline": referral_timeline(referral),
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
            if not form.is_valid():
                messages.error(request, "Nothing was changed. " + problems(form))
                return redirect(referral)
            services.referral_resend(
                referral=referral, by=request.user, note=form.cleaned_data.get("note", "")
            )
        elif action == "reassign":
            form = ReassignForm(
                request.POST,
                organizations=eligible_organizations(
                    assister_type=referral.assister_type,
                    county=referral.county,
                    language=referral.language,
                ),
            )
            if not form.is_valid():
                messages.error(
                    request, "Choose an organization and give a reason. " + problems(form)
                )
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
                messages.error(request, "Give a reason to withdraw the referral. " + problems(form))
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
