from django import forms


class UploadForm(forms.Form):
    file = forms.FileField(
        label="Filled-in hand-off sheet (.xlsx)",
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
    )
