from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Filled-in hand-off sheet (.xlsx)",
        # The sheet reader refuses empty files itself, so the refusal is kept in the history.
        allow_empty_file=True,
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
