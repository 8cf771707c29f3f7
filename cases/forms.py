"""Forms for the transitions a user takes on a case (used by the case page and the admin), and
the CSR intake forms, one per case kind (DESIGN.md table), with the participants formset."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from tracker import limits
from tracker.phones import normalize_us_phone

from . import picker
from .models import (
    CONTACT_FIELDS,
    Case,
    CaseComment,
    Kind,
    Mco,
    OutreachAttempt,
    Participant,
    ProviderTermination,
)
from .validators import normalize_digits


class DateInput(forms.DateInput):
    input_type = "date"


def _not_future(value):
    if value and value > timezone.localdate():
        raise forms.ValidationError("This date cannot be in the future.")
    return value


class VetTrueForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )


class ReasonForm(forms.Form):
    reason = forms.CharField(
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Give a reason: the next person reads it."},
    )


class OptionalReasonForm(forms.Form):
    reason = forms.CharField(
        required=False, max_length=limits.REASON, widget=forms.Textarea(attrs={"rows": 2})
    )


class MarkProcessedForm(forms.Form):
    mmis_date = forms.DateField(label="MMIS date", widget=DateInput)
    mmis_reference = forms.CharField(label="MMIS reference", max_length=limits.MMIS_REFERENCE)

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
    note = forms.CharField(
        required=False, max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )

    def clean_made_on(self):
        return _not_future(self.cleaned_data["made_on"])


# Largest primary key the database can hold (BigAutoField); a bigger number cannot be a case.
MAX_ID = 2**63 - 1


class CaseIdsField(forms.Field):
    """Case ids ticked in a list (several values of one POST field), checked to be numbers a
    case could have before any query sees them."""

    widget = forms.MultipleHiddenInput
    default_error_messages = {"invalid": "The selection is not a list of cases: reload the page."}

    def to_python(self, value):
        if not value:
            return []
        if not isinstance(value, list | tuple):
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        ids = set()
        for item in value:
            text = str(item)
            # ASCII digits, short enough to convert: "²", "1e9" and 5,000-digit numbers are not.
            if not (text.isascii() and text.isdigit() and len(text) <= 19):
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            if not 0 < int(text) <= MAX_ID:
                raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
            ids.add(int(text))
        return sorted(ids)


class BulkVetForm(forms.Form):
    """The QC queue's "vet the selected cases" form."""

    verdict = forms.TypedChoiceField(
        choices=[("true", "Vet true"), ("false", "Vet false")],
        coerce=lambda value: value == "true",
        error_messages={
            "required": "Choose Vet true or Vet false.",
            "invalid_choice": "Choose Vet true or Vet false.",
        },
    )
    # The ticked cases, or "all N matching the queue's filters" (the view checks one is given).
    selection = CaseIdsField(required=False)
    all_matching = forms.IntegerField(required=False, min_value=1, max_value=10**6)
    reason = forms.CharField(required=False, max_length=limits.REASON)


class CommentForm(forms.ModelForm):
    class Meta:
        model = CaseComment
        fields = ["text"]
        labels = {"text": "Comment"}
        widgets = {"text": forms.Textarea(attrs={"rows": 3})}
        error_messages = {"text": {"required": "Write the comment first."}}


# ---- the consumer's contact (intake and corrections) ------------------------------------------

CONTACT_LABELS = {
    "consumer_phone": "Consumer's phone",
    "best_time_to_call": "Best time to call",
    "consumer_email": "Consumer's email (optional)",
}
CONTACT_HELP = {
    "consumer_phone": "The supervisor calls it if the case needs outreach. "
    "Not needed when an Angela Melody question is answered.",
    "best_time_to_call": "For example: weekdays after 3 pm.",
}
PHONE_MESSAGE = (
    "The consumer's phone is not a US number: give it with its area code, like 612-555-0199."
)


class ContactFieldsMixin:
    """One check and one message for the consumer's phone, wherever it is typed."""

    def clean_consumer_phone(self):
        try:
            return normalize_us_phone(self.cleaned_data.get("consumer_phone"))
        except ValidationError:
            raise forms.ValidationError(PHONE_MESSAGE, code="invalid_phone") from None

    def _post_clean(self):
        # A phone refused as typed is not also "missing" (the model's rule sees it blank): keep
        # the one message that says what is wrong.
        typed_wrong = self._errors.get("consumer_phone")
        typed_wrong = list(typed_wrong) if typed_wrong else None
        super()._post_clean()
        if typed_wrong:
            self._errors["consumer_phone"] = self.error_class(typed_wrong)


class CaseContactForm(ContactFieldsMixin, forms.ModelForm):
    """Corrections: the consumer's contact on a logged case (Case.clean re-checks only it)."""

    class Meta:
        model = Case
        fields = list(CONTACT_FIELDS)
        labels = CONTACT_LABELS
        help_texts = CONTACT_HELP
        widgets = {"consumer_phone": forms.TextInput(attrs={"type": "tel"})}


# ---- CSR intake ---------------------------------------------------------------------------------


def yes_no(label):
    return forms.TypedChoiceField(
        label=label,
        choices=[("no", "No"), ("yes", "Yes")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="no",
    )


class IntakeForm(ContactFieldsMixin, forms.ModelForm):
    """What every case records; the subclasses add their kind's fields. Domain rules (window
    open, auto-assignment, required-per-kind, a phone when outreach may follow) come from
    Case.clean -> rules.validate_case."""

    kind = None
    mco_label = "MCO"
    issues_resolved = yes_no("Were the consumer's issues resolved?")
    supervisor_requested = yes_no("Did the consumer request a supervisor?")

    class Meta:
        model = Case
        fields = [*CONTACT_FIELDS, "issues_resolved", "supervisor_requested", "notes"]
        labels = CONTACT_LABELS
        help_texts = CONTACT_HELP
        widgets = {
            "notes": forms.Textarea(attrs={"rows": 3}),
            "consumer_phone": forms.TextInput(attrs={"type": "tel"}),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.kind = self.kind
        if "target_mco" in self.fields:
            self.fields["target_mco"].queryset = Mco.objects.filter(active=True)
            self.fields["target_mco"].label = self.mco_label
            self.fields["target_mco"].empty_label = "Choose an MCO"
        # Put the kind's own fields first, then the consumer's contact, the two seed questions
        # and notes last.
        common = [*CONTACT_FIELDS, "issues_resolved", "supervisor_requested", "notes"]
        order = [name for name in self.fields if name not in common] + common
        self.order_fields(order)


class ProviderTerminationIntakeForm(IntakeForm):
    kind = Kind.PROVIDER_TERMINATION
    mco_label = "New MCO"

    class Meta(IntakeForm.Meta):
        fields = [
            "provider_termination",
            "angela_melody_outcome",
            "target_mco",
            "new_provider_name",
            *IntakeForm.Meta.fields,
        ]
        widgets = {
            **IntakeForm.Meta.widgets,
            "angela_melody_outcome": forms.RadioSelect,
            "provider_termination": picker.WindowSelect,
        }
        help_texts = {
            **IntakeForm.Meta.help_texts,
            "new_provider_name": "Give the new MCO, or the new provider (PCP) name.",
            "provider_termination": "Only terminations whose enrollment window is open today "
            "can be chosen.",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["provider_termination"]
        field.queryset = ProviderTermination.objects.select_related("mco")
        field.choices, field.widget.disabled_values = picker.grouped_choices(
            timezone.localdate(), "Choose the provider termination"
        )
        self.fields["angela_melody_outcome"].choices = self.fields["angela_melody_outcome"].choices[
            1:
        ]  # no blank radio button


class MctSpanIntakeForm(IntakeForm):
    kind = Kind.MCT_SPAN
    mco_label = "Requested MCO"

    class Meta(IntakeForm.Meta):
        fields = ["target_mco", *IntakeForm.Meta.fields]


class ForCauseIntakeForm(IntakeForm):
    kind = Kind.FOR_CAUSE
    mco_label = "New MCO"

    class Meta(IntakeForm.Meta):
        fields = ["for_cause_reason", "target_mco", *IntakeForm.Meta.fields]
        labels = {**IntakeForm.Meta.labels, "for_cause_reason": "For Cause Reason"}


class IncorrectSelectionIntakeForm(IntakeForm):
    kind = Kind.INCORRECT_SELECTION
    mco_label = "Correct MCO choice"

    class Meta(IntakeForm.Meta):
        fields = ["target_mco", "erred_by", "auto_assigned", *IntakeForm.Meta.fields]
        widgets = {**IntakeForm.Meta.widgets, "erred_by": forms.RadioSelect}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["erred_by"].choices = self.fields["erred_by"].choices[1:]


INTAKE_FORMS = {
    form.kind: form
    for form in [
        ProviderTerminationIntakeForm,
        MctSpanIntakeForm,
        ForCauseIntakeForm,
        IncorrectSelectionIntakeForm,
    ]
}


class ParticipantForm(forms.ModelForm):
    # People type dashes and spaces; the model keeps digits only.
    ma_number = forms.CharField(label="MA number", max_length=20)
    ssn = forms.CharField(label="SSN", max_length=20)

    class Meta:
        model = Participant
        fields = ["name", "ma_number", "ssn"]
        labels = {"name": "Participant name"}

    def clean_ma_number(self):
        return normalize_digits(self.cleaned_data["ma_number"])

    def clean_ssn(self):
        return normalize_digits(self.cleaned_data["ssn"])


def _refuse_repeated_ma_numbers(formset) -> None:
    seen = set()
    for form in formset.forms:
        if not form.cleaned_data or formset._should_delete_form(form):
            continue
        ma_number = form.cleaned_data.get("ma_number")
        if ma_number in seen:
            form.add_error("ma_number", "This MA number is already on the case.")
        seen.add(ma_number)


class BaseParticipantFormSet(forms.BaseFormSet):
    default_error_messages = {"too_few_forms": "Add at least one participant."}

    def clean(self):
        _refuse_repeated_ma_numbers(self)

    def participants(self) -> list[Participant]:
        return [
            form.save(commit=False)
            for form in self.forms
            if form.cleaned_data and not self._should_delete_form(form)
        ]


ParticipantFormSet = forms.formset_factory(
    ParticipantForm,
    formset=BaseParticipantFormSet,
    extra=0,
    min_num=1,
    validate_min=True,
    can_delete=True,
)


# ---- corrections -------------------------------------------------------------------------------


class CorrectParticipantForm(ParticipantForm):
    """A participant on the corrections page. The SSN is never written back into the page (a
    CSR may not see it in full): left blank it is kept, typed it replaces the old one."""

    ssn = forms.CharField(label="SSN", max_length=20, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["ssn"] = ""
            self.fields[
                "ssn"
            ].help_text = (
                f"Now {self.instance.ssn_masked}. Leave blank to keep it; type it to replace it."
            )
        else:
            self.fields["ssn"].required = True

    def clean_ssn(self):
        return normalize_digits(self.cleaned_data["ssn"]) or self.instance.ssn


class BaseCorrectParticipantFormSet(forms.BaseModelFormSet):
    default_error_messages = {"too_few_forms": "A case needs at least one participant."}

    def clean(self):
        super().clean()
        _refuse_repeated_ma_numbers(self)


CorrectParticipantFormSet = forms.modelformset_factory(
    Participant,
    form=CorrectParticipantForm,
    formset=BaseCorrectParticipantFormSet,
    extra=1,  # a blank row to add someone left out
    min_num=1,
    validate_min=True,
    can_delete=True,
)


class DuplicateReasonForm(forms.Form):
    """Asked only when an open case already holds one of the participants' MA numbers."""

    duplicate_reason = forms.CharField(
        label="Why log another case for this consumer?",
        required=False,
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: a different request from the consumer, or the open case is "
        "about another household member. The reason is kept on the new case.",
    )
