from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Filled-in hand-off sheet (.xlsx)",
        # The sheet reader refuses empty files itself, so the refusal is kept in the history.
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class AssisterReportUploadForm(forms.Form):
    file = forms.FileField(
        label="Filled-in Preferred Assister Report (.xlsx)",
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )


class CalendarForm(forms.Form):
    """referrals.calendar.reporting_calendar's inputs (seed, "Reporting rhythm")."""

    start = forms.DateField(
        label="First period starts", widget=forms.DateInput(attrs={"type": "date"})
    )
    first_end = forms.DateField(
        label="First period ends", widget=forms.DateInput(attrs={"type": "date"})
    )
    length = forms.IntegerField(
        label="Days in each later period", min_value=1, max_value=366, initial=14
    )
    count = forms.IntegerField(label="Number of periods", min_value=1, max_value=60)

    def clean(self):
        cleaned = super().clean()
        start, first_end = cleaned.get("start"), cleaned.get("first_end")
        if start and first_end and first_end < start:
            self.add_error("first_end", "The first period must end on or after its start.")
        return cleaned
