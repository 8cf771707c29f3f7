"""The scorecard's coverage by language (issue 14): for each preferred language of the leads
received, how many reached an organization that lists it, and how many active organizations do.

Languages are referrals.languages' one vocabulary: a referral records a name from LANGUAGES, an
organization lists names from SERVED_LANGUAGES (English included, like any other). "Other" names
no language an organization can list — routing cannot match it and the coverage page leaves it
out of its gaps — so here its leads are counted (the languages' leads add up to the leads
received) but never matched and never a gap.
"""

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q

from referrals.languages import SERVED_LANGUAGES
from referrals.models import AssisterOrganization, Language, Referral, ReportingPeriod
from referrals.states import REPORTABLE

from .scorecard_base import percent, sent_during


@dataclass
class LanguageScore:
    """One preferred language's leads and whether they reached an organization that speaks it."""

    language: str
    leads: int = 0
    # None for a language no organization can list ("Other", or a value from before the list).
    matched: int | None = None
    organizations: int | None = None  # active organizations listing it

    @property
    def listable(self) -> bool:
        return self.language in SERVED_LANGUAGES

    @property
    def matched_pct(self) -> float | None:
        return None if self.matched is None else percent(self.matched, self.leads)

    @property
    def gap(self) -> bool:
        """Consumers asked for it and not one reached an organization that speaks it: what a
        coordinator acts on (recruit, or add the language to an organization that has it)."""
        return self.listable and self.leads > 0 and not self.matched


def language_scores(periods: list[ReportingPeriod]) -> list[LanguageScore]:
    """Coverage by language over the leads received in `periods` (the same leads as the
    organizations' rows, so the languages' leads add up to the total), most leads first.

    Two queries: the leads grouped by language, each lead tested in SQL against its own
    organization's languages; then the active organizations listing each of those languages."""
    lists_it = AssisterOrganization.languages.through.objects.filter(
        assisterorganization_id=OuterRef("organization_id"), language__name=OuterRef("language")
    )
    counts = (
        Referral.objects.filter(sent_during(periods), state__in=REPORTABLE)
        .order_by()
        .values("language")
        .annotate(leads=Count("pk"), matched=Count("pk", filter=Exists(lists_it)))
    )
    rows = [LanguageScore(row["language"], row["leads"], row["matched"]) for row in counts]
    listable = [row.language for row in rows if row.listable]
    organizations = dict(
        Language.objects.filter(name__in=listable)
        .annotate(
            active=Count(
                "organizations",
                filter=Q(organizations__status=AssisterOrganization.Status.ACTIVE),
            )
        )
        .values_list("name", "active")
        if listable
        else ()
    )
    for row in rows:
        if row.listable:
            row.organizations = organizations.get(row.language, 0)
        else:
            row.matched = None
    return sorted(rows, key=lambda row: (-row.leads, row.language))
