"""One finder per kind of record. Each starts from the scoping function the kind's own lists
and pages use (cases_visible_to, referrals_visible_to, organizations_visible_to), so the search
box can never show a record its page would refuse; each costs one query (cases: two, with
their participants), whatever the query and however many rows match."""

from dataclasses import dataclass, field

from django.db.models import Q

from cases.models import Participant
from cases.permissions import cases_visible_to
from referrals.permissions import (
    can_view_organizations,
    organizations_visible_to,
    referrals_visible_to,
)
from tracker import limits

from .query import Query


@dataclass
class Found:
    """Up to `limit` records of one kind, and whether there were more."""

    records: list = field(default_factory=list)
    more: bool = False


def _bounded(queryset, limit: int) -> Found:
    rows = list(queryset[: limit + 1])
    return Found(records=rows[:limit], more=len(rows) > limit)


def _case_match(query: Query) -> Q | None:
    """Cases are found through their participants (name, MA number, SSN), by number, or by the
    consumer's phone (an 11-digit number may be an MA number or a phone: both are tried)."""
    if query.case_id is not None:
        return Q(pk=query.case_id)
    people = None
    if query.ssn:
        people = Participant.objects.with_ssn(query.ssn)
    elif query.ma_number:
        people = Participant.objects.filter(ma_number=query.ma_number)
    elif query.text:
        people = Participant.objects.filter(name_search__contains=query.text)
    match = Q(pk__in=people.values("case_id")) if people is not None else None
    if query.phone:
        by_phone = Q(consumer_phone=query.phone)
        match = by_phone if match is None else match | by_phone
    return match


def find_cases(user, query: Query, limit: int = limits.SEARCH_RESULTS_PER_KIND) -> Found:
    match = _case_match(query)
    if match is None:
        return Found()
    queryset = cases_visible_to(user).filter(match).order_by("-created_at", "-pk")
    return _bounded(queryset.select_related("target_mco").prefetch_related("participants"), limit)


def _referral_match(query: Query) -> Q | None:
    if query.referral_id is not None:
        return Q(pk=query.referral_id)
    if query.email:
        return Q(email__iexact=query.email)
    if query.phone:
        return Q(phone=query.phone)
    if query.text:
        return Q(consumer_name_search__contains=query.text)
    return None


def find_referrals(user, query: Query, limit: int = limits.SEARCH_RESULTS_PER_KIND) -> Found:
    match = _referral_match(query)
    if match is None:
        return Found()
    queryset = referrals_visible_to(user).filter(match).order_by("-created_at", "-pk")
    return _bounded(queryset.select_related("organization"), limit)


def find_organizations(user, query: Query, limit: int = limits.SEARCH_RESULTS_PER_KIND) -> Found:
    """By name (the directory holds a few hundred organizations: no index needed)."""
    if not query.words:
        return Found()
    queryset = organizations_visible_to(user).filter(name__icontains=query.words)
    return _bounded(queryset.order_by("name"), limit)


def organization_url_name(user) -> str:
    """Coordinators open the directory page; an assister their portal."""
    return "referrals:organization" if can_view_organizations(user) else "portal:home"
