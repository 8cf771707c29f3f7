import django_filters
from django.utils import timezone

from tracker.widgets import LeanSelect

from .models import AssisterOrganization, County, Referral, overdue_q
from .permissions import own_organizations
from .rules import AssisterType
from .states import State


class ReferralFilter(django_filters.FilterSet):
    """Coordinators: all referrals by organization / county / type / status / overdue."""

    organization = django_filters.ModelChoiceFilter(
        queryset=AssisterOrganization.objects.only("name"), widget=LeanSelect
    )
    county = django_filters.ModelChoiceFilter(queryset=County.objects.all(), widget=LeanSelect)
    assister_type = django_filters.ChoiceFilter(
        label="Type", choices=AssisterType.choices, widget=LeanSelect
    )
    state = django_filters.ChoiceFilter(
        label="Status", choices=[c for c in State.choices if c[0] != State.NEW], widget=LeanSelect
    )
    overdue = django_filters.BooleanFilter(
        label="Contact overdue",
        method="filter_overdue",
        widget=LeanSelect(choices=[("", "Any"), ("true", "Overdue"), ("false", "Not overdue")]),
    )

    class Meta:
        model = Referral
        fields = ["organization", "county", "assister_type", "state", "overdue"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        # The conditions themselves, not `pk IN (overdue referrals)`: the list's index order
        # still serves the page, and nothing is listed twice.
        overdue = overdue_q(timezone.localdate())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)


class OwnReferralFilter(django_filters.FilterSet):
    """Representatives: their own referrals by status."""

    state = django_filters.ChoiceFilter(
        label="Status", choices=[c for c in State.choices if c[0] != State.NEW], widget=LeanSelect
    )

    class Meta:
        model = Referral
        fields = ["state"]


class PortalLeadFilter(django_filters.FilterSet):
    """Assisters: their organizations' leads by outcome, county and organization."""

    NEW, AWAITING, REPORTED, OVERDUE = "new", "awaiting", "reported", "overdue"
    status = django_filters.ChoiceFilter(
        label="Status",
        method="filter_status",
        choices=[
            (NEW, "New: accept or decline"),
            (AWAITING, "Awaiting outcome"),
            (OVERDUE, "Contact overdue"),
            (REPORTED, "Outcome reported"),
        ],
        widget=LeanSelect,
    )
    county = django_filters.ModelChoiceFilter(queryset=County.objects.none(), widget=LeanSelect)
    organization = django_filters.ModelChoiceFilter(
        queryset=AssisterOrganization.objects.none(), widget=LeanSelect
    )

    class Meta:
        model = Referral
        fields = ["status", "county", "organization"]

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        # Offer only the assister's own organizations and the counties they serve. The list is
        # read once here and shared with the page's heading (PortalLeadFilter.organizations).
        own = own_organizations(user)
        self.organizations = list(own)
        self.filters["organization"].queryset = own
        self.filters["county"].queryset = County.objects.filter(
            organizations__in=own.values("pk")
        ).distinct()

    def filter_status(self, queryset, name, value):
        if value == self.NEW:
            return queryset.filter(state=State.SENT)
        if value == self.AWAITING:
            return queryset.filter(contact_made__isnull=True)
        if value == self.REPORTED:
            return queryset.filter(contact_made__isnull=False)
        if value == self.OVERDUE:
            return queryset.overdue(timezone.localdate())
        return queryset
