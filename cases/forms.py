"""Forms for the transitions a user takes on a case (used by the case page and the admin)."""

from django import forms
from django.utils import timezone

from .models import OutreachAttempt


class DateInput(forms.DateInput):
    input_type = "date"


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError("This date cannot be in the future.")
    return value


class VetTrueForm(forms.Form):
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give a reason: the next person reads it."},
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))


class MarkProcessedForm(forms.Form):
    mmis_date = forms.DateField(label="MMIS date", widget=DateInput)
    mmis_reference = forms.CharField(label="MMIS reference", max_length=50)

    def clean_mmis_date(self):
        return _not_future(self.cleaned_data["mmis_date"])


class RecordAttemptForm(forms.Form):
    made_on = forms.DateField(label="Attempt date", widget=DateInput)
    method = forms.ChoiceField(choices=OutreachAttempt.Method.choices)
    reached = forms.TypedChoiceField(
        label="Outcome",
        choices=[("no", "Not reached"), ("yes", "Reached the consumer")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    note = forms.CharField(required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def clean_made_on(self):
        return _not_future(self.cleaned_data["made_on"])
