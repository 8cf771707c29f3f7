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
