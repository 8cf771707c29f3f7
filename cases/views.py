from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_post_parameters
from django.views.decorators.http import require_POST
from django_fsm import TransitionNotAllowed

from tracker.audit import record_identifier_access
from tracker.decorators import role_required
from tracker.history import fold_transition_changes, transition_timeline
from tracker.models import IdentifierAccess
from tracker.roles import CSR, QC_LEAD, STATE_MONITOR, SUPERVISOR

from . import services
from .actions import ACTIONS, available_actions
from .forms import CommentForm
from .history import case_history
from .permissions import (
    can_correct,
    can_see_full_identifiers,
    cases_visible_to,
    identifiers_need_second_factor,
)
from .services import CaseConflict


def get_case_for(user, pk):
    """The case if this user may see it, else 404 (its existence is not revealed)."""
    queryset = cases_visible_to(user).select_related(
        "csr", "team__supervisor", "target_mco", "provider_termination__mco"
    )
    return get_object_or_404(queryset, pk=pk)


# The roles that work MCO cases; everyone else is refused before any lookup.
CASE_ROLES = (CSR, SUPERVISOR, QC_LEAD, STATE_MONITOR)


def timeline_for(case) -> list[dict]:
    """Every transition (django-fsm-log) and recorded edit (field history) of the case, oldest
    first. An outreach attempt is its record_attempt transition, whose description says how and
    when the consumer was tried (services.case_record_attempt): listing the attempt rows too
    showed each one twice. Fields a transition set (an MMIS date, the returned count) are shown
    on that transition's entry, not as an edit of their own."""
    return fold_transition_changes(
        transition_timeline(case) + case_history(case) + comment_timeline(case)
    )


def comment_timeline(case) -> list[dict]:
    """The case's comments as timeline entries (one query). Templates escape the text."""
    return [
        {
            "at": comment.created_at,
            "title": "Comment",
            "what": "comment",
            "by": comment.author,
            "source": "",
            "detail": comment.text,
            "kind": "comment",
            "changes": [],
        }
        for comment in case.comments.select_related("author")
    ]


@role_required(*CASE_ROLES)
def case_detail(request, pk, forms=None, comment_form=None):
    case = get_case_for(request.user, pk)
    full_ssn = can_see_full_identifiers(request.user)
    participants = list(case.participants.all())
    if full_ssn:
        record_identifier_access(
            user=request.user,
            action=IdentifierAccess.VIEW,
            what=f"case {case.number}",
            object_ids=[case.pk],
        )
    actions = available_actions(case, request.user)
    forms = forms or {}
    outreach = any(action.name == "record_attempt" for action in actions)
    context = {
        "case": case,
        "participants": participants,
        "full_ssn": full_ssn,
        "ssn_needs_second_factor": identifiers_need_second_factor(request.user),
        "documentation_line": case.documentation_line(full_ssn=full_ssn, participants=participants),
        "actions": [(action, forms.get(action.name) or action.form()) for action in actions],
        "timeline": timeline_for(case),
        "can_correct": can_correct(case, request.user),
        # The outreach form shows the attempts already made beside the number to call.
        "attempts": list(case.outreach_attempts.select_related("by")) if outreach else [],
        "comment_form": comment_form or CommentForm(),
    }
    return render(request, "cases/case_detail.html", context)


@require_POST
@role_required(*CASE_ROLES)
@sensitive_post_parameters("text")
def case_comment(request, pk):
    """Anyone who may see the case comments on it (404 for a case they may not see)."""
    case = get_case_for(request.user, pk)
    form = CommentForm(request.POST)
    if not form.is_valid():
        messages.error(request, "The comment was not added: please correct it below.")
        return case_detail(request, pk, comment_form=form)
    services.case_comment_add(case=case, by=request.user, text=form.cleaned_data["text"])
    messages.success(request, f"{case.number}: comment added.")
    return redirect(f"{case.get_absolute_url()}#comments")


@require_POST
@role_required(*CASE_ROLES)
def case_transition(request, pk, action):
    case = get_case_for(request.user, pk)
    chosen = ACTIONS.get(action)
    if chosen is None:
        raise PermissionDenied("There is no such step.")
    if chosen not in available_actions(case, request.user):
        if any(t.name == action for t in case.get_available_state_transitions()):
            raise PermissionDenied("You may not take this step on this case.")
        messages.error(
            request,
            f"{case.number} is now {case.get_state_display()}: “{chosen.label}” is no longer "
            "possible. Nothing was changed.",
        )
        return redirect(case)
    form = chosen.form(request.POST)
    if not form.is_valid():
        messages.error(request, "Please correct the errors below; nothing was changed.")
        return case_detail(request, pk, forms={action: form})
    try:
        chosen.run(case=case, by=request.user, **form.cleaned_data)
    except (TransitionNotAllowed, CaseConflict, ValueError) as error:
        messages.error(request, str(error))
    except ValidationError as error:
        messages.error(request, "; ".join(error.messages))
    else:
        messages.success(request, f"{case.number}: {chosen.label} — done.")
    return redirect(case)
