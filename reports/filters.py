"""The QC report's filters, with the same GET parameters as the QC queue.

When the QC queue's FilterSet (cases/filters.py, built in the work lists branch) is merged, the
QC report view can use it instead of this one: the export only needs the filtered queryset.
"""

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q

from cases.models import Case, Kind, Mco
from tracker.models import Team
from tracker.roles import CSR


class QcReportFilter(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(choices=Kind.choices, label="Manual reason")
    created_after = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__gte", label="Logged on or after"
    )
    created_before = django_filters.DateFilter(
        field_name="created_at", lookup_expr="date__lte", label="Logged on or before"
    )
    csr = django_filters.ModelChoiceFilter(
        queryset=lambda request: (
            get_user_model()
            .objects.filter(Q(groups__name=CSR) | Q(logged_cases__isnull=False))
            .distinct()
        ),
        label="CSR",
    )
    team = django_filters.ModelChoiceFilter(queryset=Team.objects.all(), label="Team")
    mco = django_filters.ModelChoiceFilter(
        field_name="target_mco", queryset=Mco.objects.all(), label="MCO"
    )

    class Meta:
        model = Case
        fields = ["kind", "created_after", "created_before", "csr", "team", "mco"]
