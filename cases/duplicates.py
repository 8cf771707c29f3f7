"""The intake's duplicate warning (issue 13): before a CSR logs a case, the open cases that
already hold one of its participants' MA numbers (MCO-000015 and MCO-000019 were the same
consumer, same kind and MCO, logged twice on one day without a word)."""

from .models import Case, Participant
from .permissions import cases_visible_to
from .states import DONE, State

# Enough to decide; a consumer with more open cases than this has a bigger problem.
SHOWN = 10


def open_cases_with_ma_numbers(ma_numbers) -> list[Case]:
    """Open cases (logged, not closed as done) with a participant holding any of these MA
    numbers, newest first, whoever logged them: a duplicate is one whoever logged it."""
    numbers = {number for number in ma_numbers if number}
    if not numbers:
        return []
    holders = Participant.objects.filter(ma_number__in=numbers).values("case_id")
    queryset = (
        Case.objects.filter(pk__in=holders)
        .exclude(state__in=[State.NEW, *DONE])
        .select_related("csr", "team")
        .prefetch_related("participants")
        .order_by("-created_at", "-pk")
    )
    return list(queryset[:SHOWN])


def mark_visible(cases: list[Case], user) -> list[Case]:
    """Set `visible` on each case: the warning links only to the pages this user may open (the
    others are named by number, state and date, nothing about the consumer beyond what the CSR
    just typed)."""
    ids = set(
        cases_visible_to(user).filter(pk__in=[c.pk for c in cases]).values_list("pk", flat=True)
    )
    for case in cases:
        case.visible = case.pk in ids
    return cases
