"""Each case transition a person can take: its label, its form and the service that runs it.

The case page and the admin both read this table, so a button can never bypass its service.
"""

from dataclasses import dataclass
from typing import Any

from . import forms, services


@dataclass(frozen=True)
class Action:
    name: str
    label: str
    form: type
    run: Any  # service function(case=..., by=..., **form.cleaned_data)
    danger: bool = False


ACTIONS = {
    action.name: action
    for action in [
        Action(
            "vet_true",
            "Vet true: send to State Monitors",
            forms.VetTrueForm,
            lambda case, by, note="": services.case_vet_true(case=case, by=by, note=note),
        ),
        Action(
            "vet_false",
            "Vet false: send for supervisor outreach",
            forms.ReasonForm,
            lambda case, by, reason: services.case_vet_false(case=case, by=by, reason=reason),
            danger=True,
        ),
        Action(
            "mark_processed",
            "Mark processed in MMIS",
            forms.MarkProcessedForm,
            lambda case, by, **data: services.case_mark_processed(case=case, by=by, **data),
        ),
        Action(
            "return_unprocessed",
            "Not processed: return to QC",
            forms.ReasonForm,
            lambda case, by, reason: services.case_return_unprocessed(
                case=case, by=by, reason=reason
            ),
            danger=True,
        ),
        Action(
            "require_outreach",
            "Relabel for supervisor outreach",
            forms.OptionalReasonForm,
            lambda case, by, reason="": services.case_require_outreach(
                case=case, by=by, reason=reason
            ),
        ),
        Action(
            "record_attempt",
            "Record outreach attempt",
            forms.RecordAttemptForm,
            lambda case, by, **data: services.case_record_attempt(case=case, by=by, **data),
        ),
        Action(
            "withdraw",
            "Withdraw: logged in error",
            forms.ReasonForm,
            lambda case, by, reason: services.case_withdraw(case=case, by=by, reason=reason),
            danger=True,
        ),
    ]
}


def available_actions(case, user) -> list[Action]:
    """The actions this user may take on this case right now, in table order."""
    allowed = {t.name for t in case.get_available_user_state_transitions(user)}
    return [action for name, action in ACTIONS.items() if name in allowed]
