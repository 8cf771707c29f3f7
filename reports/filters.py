"""The query strings of the PAL coordinator pages, validated like any form: a hand-edited URL
gets a 400 that says what is wrong, never a server error."""

from django import forms

from referrals.models import ReportingPeriod

ALL_PERIODS = "all"


class PerformanceQuery(forms.Form):
    """?period=<pk>|all; empty means the latest sent period."""

    period = forms.CharField(required=False)

    def clean_period(self):
        value = self.cleaned_data["period"]
        if value in ("", ALL_PERIODS):
            return value
        return forms.ModelChoiceField(
            queryset=ReportingPeriod.objects.all(),
            error_messages={"invalid_choice": "There is no such reporting period."},
        ).clean(value)


class CoverageQuery(forms.Form):
    """?since=YYYY-MM-DD: count unmet requests from that day on."""

    since = forms.DateField(required=False)


def query_problems(form) -> str:
    """The errors of a query form as one line for the page ("" when it is valid)."""
    if form.is_valid():
        return ""
    return " ".join(error for errors in form.errors.values() for error in errors)
