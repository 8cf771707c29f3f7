"""CSR intake: choose the kind of case, fill its form and participants, log it."""

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from tracker.decorators import role_required
from tracker.roles import CSR

from . import carry, services
from .duplicates import mark_visible, open_cases_with_ma_numbers
from .forms import INTAKE_FORMS, DuplicateReasonForm, ParticipantFormSet
from .models import Kind

KIND_HELP = {
    Kind.PROVIDER_TERMINATION: "An MCO is ending its relationship with the consumer's provider; "
    "the consumer may change PCP or MCO during the enrollment window.",
    Kind.MCT_SPAN: "Enrolled in Medicaid, but no MCT Span in MMIS for the MCO enrollment.",
    Kind.FOR_CAUSE: "MMIS screen 9 says the consumer may change MCO for cause, but HBX refuses "
    "(Homeless, Foster Care, ARC, New County, Family Unification).",
    Kind.INCORRECT_SELECTION: "The CSC or a Consumer Assistance Worker selected the wrong MCO "
    "(not auto-assignments).",
}


@role_required(CSR)
def case_new(request):
    kinds = [(kind, KIND_HELP[kind]) for kind in Kind]
    return render(request, "cases/case_new.html", {"kinds": kinds})


def _add_service_errors(form, error: ValidationError) -> None:
    """Put the service's field errors next to the form's fields (the rest on top)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        target = field if field in form.fields else None
        if field == NON_FIELD_ERRORS:
            target = None
        form.add_error(target, errors)


@role_required(CSR)
@sensitive_post_parameters()  # names, SSNs, the consumer's phone: none in an error report
def case_intake(request, kind):
    form_class = INTAKE_FORMS.get(kind)
    if form_class is None:
        raise Http404("No such kind of case.")
    if kind == Kind.FOR_CAUSE and request.POST.get("carry_from") == Kind.PROVIDER_TERMINATION:
        return _carried_to_for_cause(request)
    form = form_class(request.POST or None)
    participants = ParticipantFormSet(request.POST or None, prefix="participants")
    reason_form = DuplicateReasonForm(request.POST or None)
    duplicates = []
    if request.method == "POST":
        if all([form.is_valid(), participants.is_valid(), reason_form.is_valid()]):
            people = participants.participants()
            duplicates = mark_visible(
                open_cases_with_ma_numbers(p.ma_number for p in people), request.user
            )
            reason = reason_form.cleaned_data["duplicate_reason"].strip()
            if duplicates and not reason:
                messages.warning(
                    request,
                    "Not logged yet: an open case already holds this MA number. Open it, or "
                    "give a reason to log another case.",
                )
                return _render(request, kind, form, participants, reason_form, duplicates)
            try:
                case = services.case_log(
                    case=form.save(commit=False),
                    participants=people,
                    by=request.user,
                    duplicate_reason=reason if duplicates else "",
                )
            except ValidationError as error:
                _add_service_errors(form, error)
            except ValueError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"Case {case.number} logged: {case.get_state_display()}.")
                return redirect(case)
        messages.error(request, "The case was not saved: please correct the fields marked below.")
    return _render(request, kind, form, participants, reason_form, duplicates)


def _render(request, kind, form, participants, reason_form, duplicates):
    context = {
        "kind": Kind(kind),
        "form": form,
        "participants": participants,
        "reason_form": reason_form,
        "duplicates": duplicates,
    }
    return render(request, "cases/case_intake.html", context)


def _carried_to_for_cause(request):
    """The Angela Melody form's "log it as For Cause" button: a new For Cause Reason form filled
    with what was typed (nothing saved yet)."""
    initial, people = carry.for_cause_initial(request.POST)
    form = INTAKE_FORMS[Kind.FOR_CAUSE](initial=initial)
    participants = ParticipantFormSet(prefix="participants", initial=people or None)
    messages.info(
        request,
        "What you typed is carried over. Choose the For Cause Reason, check the MCO, "
        "then log the case.",
    )
    return _render(request, Kind.FOR_CAUSE, form, participants, DuplicateReasonForm(), [])
