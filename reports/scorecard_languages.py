"""The scorecard's coverage by language (issue 14): for each preferred language of the leads
received, how many reached an organization that lists it, and how many active organizations do.

Languages are referrals.languages' one vocabulary: a referral records a name from LANGUAGES, an
organization lists names from SERVED_LANGUAGES (English included, like any other). "Other" names
no language an organization can list — routing cannot match it and the coverage page leaves it
out of its gaps — so here its leads are counted (the languages' leads add up to the leads
received) but never matched and never a gap.
"""

from collections import Counter
from dataclasses import dataclass

from django.db.models import Count

from referrals.languages import SERVED_LANGUAGES
from referrals.models import AssisterOrganization, Referral, ReportingPeriod
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
    Two queries: the leads counted per (language, organization) — a few hundred rows for a
    season — and which organizations list which language. Testing each lead against its
    organization's languages in SQL (an EXISTS per lead) took 121 ms of a season's 200,000."""
    counts = (
        Referral.objects.filter(sent_during(periods), state__in=REPORTABLE)
        .order_by()
        .values_list("language", "organization_id")
        .annotate(leads=Count("pk"))
    )
    listed = AssisterOrganization.languages.through.objects.values_list(
        "assisterorganization_id", "language__name", "assisterorganization__status"
    )
    speaks, active = set(), Counter()
    for organization_id, name, status in listed:
        speaks.add((organization_id, name))
        if status == AssisterOrganization.Status.ACTIVE:
            active[name] += 1
    by_language: dict[str, LanguageScore] = {}
    for language, organization_id, leads in counts:
        row = by_language.setdefault(language, LanguageScore(language, 0, 0))
        row.leads += leads
        if (organization_id, language) in speaks:
            row.matched += leads
    for row in by_language.values():
        if row.listable:
            row.organizations = active[row.language]
        else:
            row.matched = None
    return sorted(by_language.values(), key=lambda row: (-row.leads, row.language))
