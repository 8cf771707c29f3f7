import django_filters
from django import forms
from django.utils import timezone

from .models import AssisterOrganization, County, Referral
from .rules import AssisterType
from .states import State


class ReferralFilter(django_filters.FilterSet):
    """Coordinators: all referrals by organization / county / type / status / overdue."""

    organization = django_filters.ModelChoiceFilter(queryset=AssisterOrganization.objects.all())
    county = django_filters.ModelChoiceFilter(queryset=County.objects.all())
    assister_type = django_filters.ChoiceFilter(label="Type", choices=AssisterType.choices)
    state = django_filters.ChoiceFilter(
        label="Status", choices=[c for c in State.choices if c[0] != State.NEW]
    )
    overdue = django_filters.BooleanFilter(
        label="Contact overdue",
        method="filter_overdue",
        widget=forms.Select(choices=[("", "Any"), ("true", "Overdue"), ("false", "Not overdue")]),
    )

    class Meta:
        model = Referral
        fields = ["organization", "county", "assister_type", "state", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        overdue = Referral.objects.overdue(timezone.localdate()).values("pk")
        return queryset.filter(pk__in=overdue) if value else queryset.exclude(pk__in=overdue)


class OwnReferralFilter(django_filters.FilterSet):
    """Representatives: their own referrals by status."""

    state = django_filters.ChoiceFilter(
        label="Status", choices=[c for c in State.choices if c[0] != State.NEW]
    )

    class Meta:
        model = Referral
        fields = ["state"]


class PortalLeadFilter(django_filters.FilterSet):
    """Assisters: their organizations' leads by outcome, county and organization."""

    AWAITING, REPORTED, OVERDUE = "awaiting", "reported", "overdue"
    status = django_filters.ChoiceFilter(
        label="Status",
        method="filter_status",
        choices=[
            (AWAITING, "Awaiting outcome"),
            (OVERDUE, "Contact overdue"),
            (REPORTED, "Outcome reported"),
        ],
    )
    county = django_filters.ModelChoiceFilter(queryset=County.objects.none())
    organization = django_filters.ModelChoiceFilter(queryset=AssisterOrganization.objects.none())

    class Meta:
        model = Referral
        fields = ["status", "county", "organization"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the assister's own organizations and the counties they serve.
        organizations = user.assister_organizations.all()
        self.filters["organization"].queryset = organizations
        self.filters["county"].queryset = County.objects.filter(
            organizations__in=organizations
        ).distinct()

    def filter_status(self, queryset, name, value):
        if value == self.AWAITING:
            return queryset.filter(contact_made__isnull=True)
        if value == self.REPORTED:
            return queryset.filter(contact_made__isnull=False)
        if value == self.OVERDUE:
            return queryset.overdue(timezone.localdate())
        return queryset
