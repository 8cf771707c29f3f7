"""The search a user runs from the header box: every kind of record they may see, and the
access-log entry a search by SSN owes (DESIGN.md: every reveal of an SSN's owner is audited)."""

from dataclasses import dataclass

from tracker.audit import record_identifier_access
from tracker.models import IdentifierAccess

from .finders import Found, find_cases, find_organizations, find_referrals
from .query import Query, masked, parse


@dataclass
class Results:
    query: Query
    shown_as: str  # the query as the page may echo it (an SSN masked)
    cases: Found
    referrals: Found
    organizations: Found

    @property
    def total(self) -> int:
        return sum(len(f.records) for f in (self.cases, self.referrals, self.organizations))

    def only_record(self):
        """The one record an exact case or referral number found, else None."""
        if not self.query.is_record_number or self.total != 1:
            return None
        return (self.cases.records or self.referrals.records)[0]


def search(*, user, q: str) -> Results:
    """Seed-less (issue 13): one box for cases, referrals and organizations, scoped per kind."""
    query = parse(q)
    results = Results(
        query=query,
        shown_as=masked(q),
        cases=find_cases(user, query),
        referrals=find_referrals(user, query),
        organizations=find_organizations(user, query),
    )
    if query.ssn and results.cases.records:
        record_identifier_access(
            user=user,
            action=IdentifierAccess.SEARCH,
            what=f"search by SSN {results.shown_as}",
            object_ids=[case.pk for case in results.cases.records],
        )
    return results
