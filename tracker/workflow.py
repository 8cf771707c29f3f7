"""Running a django-fsm-2 transition on behalf of a person: the one way services do it."""

from django.core.exceptions import PermissionDenied
from django_fsm import ConcurrentTransition, TransitionNotAllowed, has_transition_perm

from .history import attribute_to, forget_attribution


class Conflict(Exception):
    """Someone else moved the record first; the user should reload and look again."""

    noun = "record"

    def __init__(self, label: str):
        super().__init__(
            f"{label} was changed by someone else while you were working on it. "
            f"Nothing was saved: reload the {self.noun} to see where it stands now."
        )


def run_transition(
    obj, name: str, *, by, label: str, conflict: type[Conflict], description: str = "", **kwargs
):
    """Check `by` may take transition `name` from `obj`'s current state, run it and save.

    Raises TransitionNotAllowed (wrong state), PermissionDenied (not this user) or `conflict`
    (a concurrent transition saved first; ConcurrentTransitionMixin detected it).
    """
    method = getattr(obj, name)
    step = name.replace("_", " ")
    if not any(t.name == name for t in obj.get_available_state_transitions()):
        raise TransitionNotAllowed(
            f"{label} is {obj.get_state_display()}: “{step}” is not possible from there."
        )
    if not has_transition_perm(method, by):
        raise PermissionDenied(f"You may not {step} {label}.")
    method(by=by, description=description, **kwargs)
    # The field-history row of this save names the person and the transition, so the timeline
    # shows the fields it set on the transition's entry (tracker.history).
    attribute_to(obj, by, reason=name)
    try:
        obj.save()
    except ConcurrentTransition:
        raise conflict(label) from None
    finally:
        forget_attribution(obj)
    return obj
