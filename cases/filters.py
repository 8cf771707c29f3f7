"""Filters for the work lists (django-filter). `QcQueueFilter` is also what the QC report export
applies, so "the queue with the filters I set" means the same on screen and in the file."""

from datetime import date, datetime, time, timedelta

import django_filters
from django import forms
from django.utils import timezone

from tracker import limits
from tracker.business_days import add_business_days
from tracker.models import Team, User
from tracker.roles import CSR
from tracker.widgets import LeanSelect

from .models import Kind, Mco
from .states import State


class DateInput(forms.DateInput):
    input_type = "date"


def start_of(day, *, days_after: int = 0):
    """The first instant of `day` in the site's time zone. Dates filter as ranges on created_at
    (not `created_at__date`, which no index serves; issue 12)."""
    # Clamped so that the date arithmetic of year 1 or 9999 cannot overflow; no case is logged
    # outside these years, so the rows are the same.
    day = min(max(day, date(1900, 1, 1)), date(9000, 1, 1)) + timedelta(days=days_after)
    return timezone.make_aware(datetime.combine(day, time.min))


def older_than_cutoff(business_days: int):
    """Age in business days > N  <=>  logged before the start of the day N business days ago
    (the lists' "Older than" filter and the home page's "waiting more than N" count)."""
    return start_of(add_business_days(timezone.localdate(), -business_days))


class CaseListFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(
        choices=Kind.choices, empty_label="Any kind", widget=LeanSelect
    )
    created_after = django_filters.DateFilter(
        label="Logged from", widget=DateInput, method="filter_logged_from"
    )
    created_before = django_filters.DateFilter(
        label="Logged to", widget=DateInput, method="filter_logged_to"
    )
    older_than = django_filters.NumberFilter(
        label="Older than (business days)",
        method="filter_older_than",
        min_value=0,
        max_value=limits.AGE_FILTER_MAX_BUSINESS_DAYS,
    )

    def filter_older_than(self, queryset, name, value):
        if value is None:
            return queryset
        return queryset.filter(created_at__lt=older_than_cutoff(int(value)))

    def filter_logged_from(self, queryset, name, value):
        return queryset.filter(created_at__gte=start_of(value)) if value else queryset

    def filter_logged_to(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(created_at__lt=start_of(value, days_after=1))


class QcQueueFilter(CaseListFilter):
    state = django_filters.ChoiceFilter(
        choices=[
            (State.ESCALATED, "Plan Selected in Error"),
            (State.MCO_UPDATED, "MCO Updated"),
            (State.RETURNED_BY_MONITOR, "Returned by State Monitor"),
        ],
        empty_label="Any disposition",
        label="Disposition",
        widget=LeanSelect,
    )
    csr = django_filters.ModelChoiceFilter(
        # Only what the option's label needs: 200 CSRs are loaded on every QC queue page.
        queryset=User.objects.filter(groups__name=CSR)
        .order_by("last_name", "first_name")
        .only("pk", "username", "first_name", "last_name"),
        label="CSR",
        empty_label="Any CSR",
        widget=LeanSelect,
    )
    team = django_filters.ModelChoiceFilter(
        queryset=Team.objects.all(), empty_label="Any team", widget=LeanSelect
    )
    target_mco = django_filters.ModelChoiceFilter(
        queryset=Mco.objects.all(), label="MCO", empty_label="Any MCO", widget=LeanSelect
    )


class CsrCaseFilter(CaseListFilter):
    state = django_filters.ChoiceFilter(
        choices=[c for c in State.choices if c[0] != State.NEW],
        empty_label="Any status",
        widget=LeanSelect,
    )
