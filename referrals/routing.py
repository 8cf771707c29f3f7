"""Routing (DESIGN.md "PAL referrals"): active organizations of the needed type serving the
county; the one with the fewest open leads first."""

from django.db.models import Count, Q

from .models import AssisterOrganization
from .states import OPEN


def eligible_organizations(*, assister_type: str, county):
    """Active organizations of `assister_type` serving `county`, fewest open leads first.

    Suspended organizations are never offered (seed: "unable to accept any new leads")."""
    return (
        AssisterOrganization.objects.filter(
            status=AssisterOrganization.Status.ACTIVE, kind=assister_type, counties=county
        )
        .annotate(open_leads=Count("referrals", filter=Q(referrals__state__in=OPEN)))
        .order_by("open_leads", "name")
    )


def default_organization(*, assister_type: str, county):
    return eligible_organizations(assister_type=assister_type, county=county).first()
