"""The token pages (issue 15): Admins and PAL Coordinators list, create and revoke API tokens.
The key is shown once, on the page that answers the create form, and never again."""

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.debug import sensitive_variables

from referrals.models import AssisterOrganization
from tracker.roles import ASSISTER

from . import permissions, services
from .models import ApiToken


class TokenForm(forms.Form):
    name = forms.CharField(
        label="Client name",
        max_length=ApiToken._meta.get_field("name").max_length,
        help_text=ApiToken._meta.get_field("name").help_text,
    )
    role = forms.ChoiceField(label="Role", help_text="The token may do what this role may do.")
    organization = forms.ModelChoiceField(
        queryset=AssisterOrganization.objects.order_by("name"),
        required=False,
        empty_label="None (not an Assister token)",
        help_text="Required for an Assister token: it sees and works only this organization's "
        "leads.",
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [
            (role, role) for role in permissions.roles_token_may_have(user)
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("role") == ASSISTER and not cleaned.get("organization"):
            self.add_error("organization", "Choose the organization the Assister token acts for.")
        return cleaned


def _require_manager(user):
    if not permissions.can_manage_tokens(user):
        raise PermissionDenied("Only Admins and PAL Coordinators manage API tokens.")


def token_list(request):
    _require_manager(request.user)
    tokens = permissions.tokens_visible_to(request.user).select_related(
        "organization", "created_by", "revoked_by"
    )
    rows = [(token, permissions.can_revoke_token(token, request.user)) for token in tokens]
    return render(request, "api/token_list.html", {"rows": rows})


@sensitive_variables("new")
def token_create(request):
    _require_manager(request.user)
    form = TokenForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            new = services.api_token_create(
                by=request.user,
                name=data["name"],
                role=data["role"],
                organization=data["organization"] if data["role"] == ASSISTER else None,
            )
        except ValidationError as error:
            for field, errors in error.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            # Rendered, not redirected: the key must not travel through the session or a URL.
            return render(request, "api/token_created.html", {"token": new.token, "key": new.key})
    return render(request, "api/token_form.html", {"form": form})


def token_revoke(request, pk):
    _require_manager(request.user)
    token = get_object_or_404(permissions.tokens_visible_to(request.user), pk=pk)
    if not permissions.can_revoke_token(token, request.user):
        raise PermissionDenied("This token cannot be revoked by you, or is revoked already.")
    if request.method == "POST":
        services.api_token_revoke(token=token, by=request.user)
        messages.success(request, f"Token “{token.name}” revoked: its client can no longer call.")
        return redirect("api_tokens:list")
    return render(request, "api/token_revoke.html", {"token": token})
