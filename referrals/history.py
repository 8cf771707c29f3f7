"""Field history of referrals and assister organizations on their pages (docs/decisions/0002)."""

from reminders.timeline import referral_entries as reminder_entries
from tracker.history import (
    HistorySpec,
    as_timeline,
    entries,
    fold_transition_changes,
    m2m_accessor,
    transition_timeline,
)

from .models import AssisterOrganization, Referral

# Who reported an outcome, accepted or declined the lead, and when, is the transition entry's
# own "by" and time.
REFERRAL_HISTORY = HistorySpec(
    model=Referral,
    hidden=("outcome_reported_at", "outcome_reported_by", "accepted_at", "declined_at"),
)
ORGANIZATION_HISTORY = HistorySpec(model=AssisterOrganization, m2m=("counties", "languages"))


def referral_timeline(referral) -> list[dict]:
    """Transitions, recorded edits and reminders of the referral, oldest first; the fields a
    transition set (an outcome, the organization it was reassigned to) are shown on that
    transition's entry."""
    edits = [
        as_timeline(entry, "Referral edited")
        for entry in entries(
            REFERRAL_HISTORY,
            Referral.history.filter(id=referral.pk).select_related("history_user"),
        )
        if entry.kind == "~"  # creation is the "submit" transition's entry
    ]
    return fold_transition_changes(
        transition_timeline(referral) + edits + reminder_entries(referral)
    )


def organization_timeline(organization) -> list[dict]:
    """The organization's recorded versions, newest first: created, then each edit."""
    rows = (
        AssisterOrganization.history.filter(id=organization.pk)
        .select_related("history_user")
        .prefetch_related(
            m2m_accessor(AssisterOrganization, "counties"),
            m2m_accessor(AssisterOrganization, "languages"),
        )
    )
    timeline = [
        as_timeline(entry, "Created" if entry.kind == "+" else "Edited")
        for entry in entries(ORGANIZATION_HISTORY, rows)
    ]
    return list(reversed(timeline))
