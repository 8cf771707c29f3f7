"""Every piece of free text has one maximum length (tracker/limits.py, DESIGN.md "Limits"),
enforced alike by the model's full_clean, its ModelForms and the plain forms (issue 11)."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.urls import reverse

from cases import forms as case_forms
from referrals import forms as referral_forms
from tracker import limits

MODEL_FIELDS = [
    ("cases.Case", "notes", limits.NOTE),
    ("cases.Case", "new_provider_name", limits.NAME),
    ("cases.Case", "mmis_reference", limits.MMIS_REFERENCE),
    ("cases.ProviderTermination", "provider_name", limits.NAME),
    ("cases.Participant", "name", limits.NAME),
    ("cases.OutreachAttempt", "note", limits.NOTE),
    ("referrals.Referral", "consumer_name", limits.NAME),
    ("referrals.Referral", "reason_for_help", limits.REASON),
    ("referrals.Referral", "guidance_given", limits.NOTE),
    ("referrals.Referral", "comments", limits.NOTE),
    ("referrals.AssisterOrganization", "name", limits.NAME),
    ("referrals.AssisterOrganization", "suspension_reason", limits.REASON),
    ("referrals.OrganizationChange", "note", limits.REASON),
    ("referrals.OrganizationRequest", "from_contact", limits.NAME),
    ("referrals.OrganizationRequest", "details", limits.NOTE),
    ("referrals.OrganizationRequest", "response", limits.NOTE),
    ("reports.AppliedRow", "mmis_reference", limits.MMIS_REFERENCE),
    ("reports.AppliedRow", "reason", limits.REASON),
]

# Text the app writes itself (email errors), not a person or a file: no limit to enforce.
WRITTEN_BY_THE_APP = {
    ("referrals", "LeadDelivery", "last_error"),
    ("referrals", "DeliveryAttempt", "error"),
}


def _field(label, name):
    return apps.get_model(label)._meta.get_field(name)


@pytest.mark.parametrize("label, name, limit", MODEL_FIELDS)
def test_it_bounds_the_model_field_and_its_form_field(label, name, limit):
    field = _field(label, name)
    assert field.max_length == limit
    assert field.formfield().max_length == limit  # so every ModelForm refuses longer text
    field.clean("x" * limit, None)
    with pytest.raises(ValidationError, match=f"at most {limit} characters"):
        field.clean("x" * (limit + 1), None)  # what full_clean runs


def test_it_leaves_no_free_text_field_of_ours_unbounded():
    for app_label in ("tracker", "cases", "referrals", "reports"):
        for model in apps.get_app_config(app_label).get_models():
            for field in model._meta.get_fields():
                if (app_label, model.__name__, field.name) in WRITTEN_BY_THE_APP:
                    continue
                if isinstance(field, models.TextField):
                    assert field.max_length, f"{model.__name__}.{field.name}"
                    assert any(isinstance(v, MaxLengthValidator) for v in field.validators), (
                        f"{model.__name__}.{field.name}: full_clean would not check its length"
                    )


@pytest.mark.parametrize(
    "form_class, name, limit",
    [
        (case_forms.VetTrueForm, "note", limits.NOTE),
        (case_forms.ReasonForm, "reason", limits.REASON),
        (case_forms.OptionalReasonForm, "reason", limits.REASON),
        (case_forms.MarkProcessedForm, "mmis_reference", limits.MMIS_REFERENCE),
        (case_forms.RecordAttemptForm, "note", limits.NOTE),
        (case_forms.BulkVetForm, "reason", limits.REASON),
        (referral_forms.ReassignForm, "reason", limits.REASON),
        (referral_forms.ReasonForm, "reason", limits.REASON),
        (referral_forms.NoteForm, "note", limits.REASON),
        (referral_forms.OrganizationForm, "note", limits.REASON),
        (referral_forms.SuspendForm, "reason", limits.REASON),
        (referral_forms.HandleRequestForm, "response", limits.NOTE),
        (referral_forms.OutcomeForm, "comments", limits.NOTE),
    ],
)
def test_it_bounds_each_plain_form_field_with_the_same_number(form_class, name, limit):
    field = form_class.base_fields[name]
    assert field.max_length == limit
    assert field.widget.attrs.get("maxlength") == str(limit)  # the browser stops typing there too


def test_it_refuses_2mb_case_notes_at_intake(client, csr, mcos):
    client.force_login(csr)
    data = {
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-0-name": "Maria Lopez",
        "participants-0-ma_number": "10000000001",
        "participants-0-ssn": "123-45-6789",
        "target_mco": mcos["Priority Partners"].pk,
        "issues_resolved": "no",
        "supervisor_requested": "no",
        "notes": "x" * 2_000_000,
    }
    response = client.post(reverse("cases:intake", args=["mct_span"]), data)
    assert response.status_code == 200
    assert "at most 2000 characters" in response.content.decode()
    assert not apps.get_model("cases.Case").objects.exists()


def test_it_refuses_a_2mb_referral_reason_and_sends_nothing(client, pal_rep, make_org, mailoutbox):
    from referrals.models import County, Referral

    make_org("Metro Brokers", kind="broker")
    client.force_login(pal_rep)
    data = {
        "consumer_name": "Ahmed Warsame",
        "phone": "612-555-0199",
        "county": County.objects.get(name="Hennepin").pk,
        "language": "Somali",
        "has_active_account": "yes",
        "has_active_application": "yes",
        "determinations": ["qhp"],
        "reason_for_help": "x" * 2_000_000,
        "guidance_given": "Told him a broker will call",
        "consent": "yes",
        "step": "send",
    }
    response = client.post(reverse("referrals:new"), data)
    assert response.status_code == 200
    assert "at most 1000 characters" in response.content.decode()
    assert not Referral.objects.exists() and mailoutbox == []
