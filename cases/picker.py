"""The Angela Melody picker: which provider terminations a CSR may choose today.

Open windows come first (closing soonest first), then windows not open yet and recently closed
ones, marked and not selectable, so a CSR recognises the termination the consumer is calling about
and sees at once that it must be logged as a For Cause Reason case instead (issue 13). The rule
itself stays in rules.validate_case: a disabled option is a hint, not the check.
"""

from datetime import date, timedelta

from django import forms

from .models import ProviderTermination

# Closed windows older than this are no longer offered at all: a consumer calling a year after a
# termination is not asking about that window, and the list stays short.
CLOSED_SHOWN_FOR = timedelta(days=365)

OPEN, NOT_YET, CLOSED = "Open now", "Not open yet", "Window closed: log a For Cause Reason case"


class WindowSelect(forms.Select):
    """A <select> whose options outside their window are disabled."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.disabled_values: set[str] = set()

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex, attrs)
        if str(value) in self.disabled_values:
            option["attrs"]["disabled"] = True
        return option


def _label(termination: ProviderTermination) -> str:
    return (
        f"{termination.provider_name} leaving {termination.mco} "
        f"(window {termination.window_start:%m/%d/%Y}–{termination.window_end:%m/%d/%Y})"
    )


def grouped_choices(today: date, empty_label: str) -> tuple[list, set[str]]:
    """(choices grouped as Open / Not open yet / Closed, values of the options to disable)."""
    terminations = ProviderTermination.objects.select_related("mco").filter(
        window_end__gte=today - CLOSED_SHOWN_FOR
    )
    groups: dict[str, list] = {OPEN: [], NOT_YET: [], CLOSED: []}
    for termination in terminations:
        if termination.is_open_on(today):
            groups[OPEN].append(termination)
        elif termination.window_start > today:
            groups[NOT_YET].append(termination)
        else:
            groups[CLOSED].append(termination)
    groups[OPEN].sort(key=lambda t: (t.window_end, t.provider_name))
    groups[NOT_YET].sort(key=lambda t: (t.window_start, t.provider_name))
    groups[CLOSED].sort(key=lambda t: (t.window_end, t.provider_name), reverse=True)
    choices = [("", empty_label)]
    choices += [
        (group, [(str(t.pk), _label(t)) for t in items]) for group, items in groups.items() if items
    ]
    disabled = {str(t.pk) for t in groups[NOT_YET] + groups[CLOSED]}
    return choices, disabled
