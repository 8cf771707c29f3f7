from django import forms

from tracker import limits
from tracker.forms import IdsChoiceField

from .models import (
    LANGUAGES,
    AssisterOrganization,
    ContactChange,
    County,
    Language,
    OrganizationRequest,
    Referral,
)
from .routing import describe
from .rules import Determination
from .states import DeclineReason, Resolution

YES_NO = [("yes", "Yes"), ("no", "No")]


class YesNoField(forms.TypedChoiceField):
    """A required Yes/No radio: the rep must answer, not leave a default."""

    def __init__(self, *, label, **kwargs):
        super().__init__(
            label=label,
            choices=YES_NO,
            coerce=lambda value: value == "yes",
            widget=forms.RadioSelect,
            error_messages={"required": "Answer Yes or No."},
            **kwargs,
        )


class ReferralForm(forms.ModelForm):
    """The rep's intake: consumer contact and the seed's six questions."""

    language = forms.ChoiceField(
        label="Preferred language", choices=[(name, name) for name in LANGUAGES]
    )
    has_active_account = YesNoField(label="Does the consumer have an active account?")
    has_active_application = YesNoField(label="Does the consumer have an active application?")
    determinations = forms.MultipleChoiceField(
        label="What is the household's current determination(s)?",
        choices=Determination.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick the household's determination(s), or None."},
    )
    consent = YesNoField(
        label="Did the consumer consent to have their information sent to an assister?"
    )

    class Meta:
        model = Referral
        fields = [
            "consumer_name",
            "phone",
            "email",
            "county",
            "language",
            "has_active_account",
            "has_active_application",
            "determinations",
            "reason_for_help",
            "guidance_given",
            "consent",
        ]
        widgets = {
            "reason_for_help": forms.Textarea(attrs={"rows": 3}),
            "guidance_given": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "consumer_name": "Consumer name",
            "reason_for_help": "Why is the consumer seeking help from an assister?",
            "guidance_given": "What guidance was the consumer provided?",
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = County.objects.all()
        self.fields["county"].empty_label = "Choose the consumer's county"

    def clean_consent(self):
        consent = self.cleaned_data["consent"]
        if not consent:
            raise forms.ValidationError(
                "No consent, no referral: the consumer's information cannot be sent to an "
                "assister without their consent. Give the consumer the assister directory instead."
            )
        return consent

    def clean_determinations(self):
        chosen = set(self.cleaned_data["determinations"])
        if Determination.NONE in chosen and len(chosen) > 1:
            raise forms.ValidationError("“None” cannot be ticked together with a determination.")
        return sorted(chosen)

    def _post_clean(self):
        chosen = set(self.cleaned_data.get("determinations") or [])
        self.instance.determination_ma = Determination.MA in chosen
        self.instance.determination_mncare = Determination.MINNESOTACARE in chosen
        self.instance.determination_qhp = Determination.QHP in chosen
        super()._post_clean()


class DuplicateReasonForm(forms.Form):
    """Asked only when the same phone or email was referred in the last 30 days."""

    duplicate_reason = forms.CharField(
        label="Why refer this consumer again?",
        required=False,
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="For example: the first assister could not reach them, or a different "
        "household member. The reason is kept on the new referral.",
    )


class ChooseOrganizationForm(forms.Form):
    organization = forms.ModelChoiceField(
        label="Send the lead to",
        queryset=AssisterOrganization.objects.none(),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": "Choose the organization that gets the lead."},
    )

    def __init__(self, *args, organizations, language="", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organization"].queryset = organizations
        # Open leads against the maximum, and the consumer's language (referrals.routing).
        self.fields["organization"].label_from_instance = lambda org: describe(org, language)


class ReassignForm(ChooseOrganizationForm):
    reason = forms.CharField(max_length=limits.REASON, widget=forms.Textarea(attrs={"rows": 2}))


class ReasonForm(forms.Form):
    reason = forms.CharField(max_length=limits.REASON, widget=forms.Textarea(attrs={"rows": 2}))


class NoteForm(forms.Form):
    note = forms.CharField(
        required=False, max_length=limits.REASON, widget=forms.Textarea(attrs={"rows": 2})
    )


class OrganizationForm(forms.ModelForm):
    note = forms.CharField(
        label="Why the change (e.g. the organization's email to assisterleads@)",
        required=False,
        max_length=limits.REASON,
    )

    class Meta:
        model = AssisterOrganization
        fields = [
            "name",
            "kind",
            "contact_name",
            "lead_email",
            "phone",
            "counties",
            "languages",
            "max_open_leads",
            "paused_from",
            "paused_until",
            "pause_reason",
            "members",
        ]
        widgets = {
            "counties": forms.CheckboxSelectMultiple,
            "languages": forms.CheckboxSelectMultiple,
            "members": forms.SelectMultiple(attrs={"size": 6}),
            "paused_from": forms.DateInput(attrs={"type": "date"}),
            "paused_until": forms.DateInput(attrs={"type": "date"}),
            "pause_reason": forms.Textarea(attrs={"rows": 2}),
        }
        labels = {"members": "Assister users (see this organization's leads)"}
        help_texts = {
            "paused_from": "Leave empty while the organization takes new leads.",
        }
        field_classes = {
            "counties": IdsChoiceField,
            "languages": IdsChoiceField,
            "members": IdsChoiceField,
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from tracker.models import User
        from tracker.roles import ASSISTER

        self.fields["members"].queryset = User.objects.filter(groups__name=ASSISTER)
        self.fields["members"].required = False
        self.fields["languages"].queryset = Language.objects.all()
        self.fields["max_open_leads"].widget.attrs["max"] = limits.MAX_OPEN_LEADS

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("paused_from"), cleaned.get("paused_until")
        reason = (cleaned.get("pause_reason") or "").strip()
        if start is None and (end or reason) and "paused_from" not in self.errors:
            self.add_error(
                "paused_from", "Give the first day without new leads, or clear the pause."
            )
        if start and not reason:
            self.add_error("pause_reason", "Say why the organization takes no new leads.")
        if start and end and end < start:
            self.add_error("paused_until", "Must be on or after the first day without new leads.")
        return cleaned


class SuspendForm(forms.Form):
    reason = forms.CharField(max_length=limits.REASON, widget=forms.Textarea(attrs={"rows": 2}))
    suspended_on = forms.DateField(widget=forms.DateInput(attrs={"type": "date"}), required=False)
    suspended_until = forms.DateField(
        label="Expected to resume on (optional)",
        widget=forms.DateInput(attrs={"type": "date"}),
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("suspended_on"), cleaned.get("suspended_until")
        if start and end and end < start:
            self.add_error("suspended_until", "Must be on or after the suspension date.")
        return cleaned


class PauseForm(forms.Form):
    """The assister stops new leads for a while (portal, issue 14)."""

    pause_reason = forms.CharField(
        label="Why can you not take new leads?",
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Say why, so MNsure's coordinators know."},
    )
    paused_from = forms.DateField(
        label="From (leave empty for today)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    paused_until = forms.DateField(
        label="Until (the last day; leave empty until you resume)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="New leads start again by themselves the day after.",
    )

    def clean(self):
        cleaned = super().clean()
        from django.utils import timezone

        today = timezone.localdate()
        start = cleaned.get("paused_from") or today
        end = cleaned.get("paused_until")
        if end and end < start:
            self.add_error("paused_until", "Must be on or after the first day.")
        elif end and end < today:
            self.add_error("paused_until", "Must be today or later.")
        return cleaned


class ContactChangeForm(forms.ModelForm):
    """The assister's new designated contact, for a coordinator to approve."""

    class Meta:
        model = ContactChange
        fields = ["contact_name", "lead_email", "phone", "note"]
        labels = {"phone": "Designated contact phone (optional)"}
        help_texts = {"lead_email": "Where MNsure emails your leads."}
        widgets = {"note": forms.Textarea(attrs={"rows": 2})}


class DecisionForm(forms.Form):
    note = forms.CharField(
        label="Note (required to reject)",
        required=False,
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ThreadForm(forms.Form):
    subject = forms.CharField(label="Subject", max_length=limits.SUBJECT)
    body = forms.CharField(
        label="Message", max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )


class ReplyForm(forms.Form):
    body = forms.CharField(
        label="Your reply", max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 4})
    )


class OrganizationRequestForm(forms.ModelForm):
    class Meta:
        model = OrganizationRequest
        fields = ["kind", "received_on", "from_contact", "details"]
        widgets = {
            "received_on": forms.DateInput(attrs={"type": "date"}),
            "details": forms.Textarea(attrs={"rows": 3}),
        }


class HandleRequestForm(forms.Form):
    response = forms.CharField(
        label="What was done", max_length=limits.NOTE, widget=forms.Textarea(attrs={"rows": 2})
    )


class OutcomeForm(forms.Form):
    """The Preferred Assister Report's four columns, entered in the assister portal. The rules
    between them live in referrals/outcomes.py (shared with the report import)."""

    contact_made = forms.TypedChoiceField(
        label="Contact Made",
        choices=[("Y", "Y — reached the consumer"), ("N", "N — could not reach them")],
        coerce=lambda value: value == "Y",
        widget=forms.RadioSelect,
        required=False,
    )
    contact_date = forms.DateField(
        label="Contact Date",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Required with Y; leave empty with N.",
    )
    resolution = forms.ChoiceField(
        label="Resolution", choices=[("", "— choose —"), *Resolution.choices], required=False
    )
    comments = forms.CharField(
        label="Comments",
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    @classmethod
    def for_referral(cls, referral, data=None):
        initial = {}
        if referral.contact_made is not None:
            initial = {
                "contact_made": "Y" if referral.contact_made else "N",
                "contact_date": referral.contact_date,
                "resolution": referral.resolution,
                "comments": referral.comments,
            }
        return cls(data, initial=initial)

    def answers(self) -> dict:
        data = self.cleaned_data
        return {
            "contact_made": data["contact_made"] if data["contact_made"] != "" else None,
            "contact_date": data["contact_date"],
            "resolution": data["resolution"],
            "comments": data["comments"],
        }


# ---- the assister portal's steps on a lead (issue 14) ----------------------------------------
class DeclineForm(forms.Form):
    reason = forms.ChoiceField(
        label="Why can you not take this lead?",
        choices=[("", "— choose —"), *DeclineReason.choices],
        error_messages={"required": "Choose a reason for declining from the list."},
    )
    note = forms.CharField(
        label="Anything the coordinators should know (required with “Other”)",
        required=False,
        max_length=limits.REASON,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class ContactForm(forms.Form):
    contact_date = forms.DateField(
        label="Contact Date",
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={"required": "Contact Date is required: the day you reached the consumer."},
    )
    appointment_on = forms.DateField(
        label="Appointment date (if you scheduled one)",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="The seed asks for an appointment within two weeks of the referral.",
    )

    @classmethod
    def for_referral(cls, referral, data=None):
        initial = {"contact_date": referral.contact_date, "appointment_on": referral.appointment_on}
        return cls(data, initial=initial if referral.contact_made else {})


# A lead whose contact is recorded ends with one of these: not "Unable to contact" (the consumer
# was reached) nor "Contact made appointment scheduled" (that is the contact step).
CLOSING_RESOLUTIONS = [
    choice
    for choice in Resolution.choices
    if choice[0] not in (Resolution.UNABLE_TO_CONTACT, Resolution.APPOINTMENT_SCHEDULED)
]


class ResolutionForm(forms.Form):
    resolution = forms.ChoiceField(
        label="Resolution",
        choices=[("", "— choose —"), *CLOSING_RESOLUTIONS],
        error_messages={"required": "Choose a Resolution from the list."},
    )
    comments = forms.CharField(
        label="Comments",
        required=False,
        max_length=limits.NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
