"""Corrections: fix the consumer's contact and the participants of a logged case (issue 13).

Who may: permissions.can_correct (its CSR or their supervisor before QC vets it, QC after). Every
change is saved by services.case_correct and shows on the case's timeline.
"""

import copy

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.debug import sensitive_post_parameters

from tracker.decorators import role_required

from . import services
from .forms import CaseContactForm, CorrectParticipantFormSet
from .permissions import can_correct
from .views import CASE_ROLES, get_case_for
from .views_intake import _add_service_errors


@role_required(*CASE_ROLES)
@sensitive_post_parameters()  # names, SSNs, phones: none of it in an error report
def case_correct(request, pk):
    case = get_case_for(request.user, pk)
    if not can_correct(case, request.user):
        raise PermissionDenied("You may not correct this case now.")
    data = request.POST if request.method == "POST" else None
    # The form works on a copy: the service compares the typed values with the case as stored.
    contact = CaseContactForm(data, instance=copy.copy(case))
    participants = CorrectParticipantFormSet(
        data, queryset=case.participants.all(), prefix="participants"
    )
    if data is not None:
        if all([contact.is_valid(), participants.is_valid()]):
            try:
                changed = services.case_correct(
                    case=case,
                    by=request.user,
                    contact={name: contact.cleaned_data[name] for name in contact.changed_data},
                    participants=participants.save(commit=False),
                    removed=participants.deleted_objects,
                )
            except services.CaseConflict as error:
                messages.error(request, str(error))
                return redirect(case)
            except ValidationError as error:
                _add_service_errors(contact, error)
            except ValueError as error:
                contact.add_error(None, str(error))
            else:
                if changed:
                    messages.success(request, f"{case.number}: corrections saved.")
                else:
                    messages.info(request, f"{case.number}: nothing was changed.")
                return redirect(case)
        messages.error(request, "Nothing was saved: please correct the fields marked below.")
    context = {"case": case, "contact": contact, "participants": participants}
    return render(request, "cases/case_correct.html", context)
