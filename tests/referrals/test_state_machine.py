"""Every (state, transition) pair: which are possible at all."""

import pytest

from referrals.models import Referral
from referrals.states import State

Q, S, F, R, W, N = (
    State.QUEUED,
    State.SENT,
    State.FAILED,
    State.REASSIGNED,
    State.WITHDRAWN,
    State.NEW,
)
A, D, P, DONE = State.ACCEPTED, State.DECLINED, State.IN_PROGRESS, State.COMPLETED
# transition -> the states it may start from
SOURCES = {
    "submit": {N},
    "mark_sent": {Q, R, F},
    "mark_failed": {Q, R, F},
    "resend": {F},
    # Until contact is made; a declined lead is what coordinators reassign.
    "reassign": {Q, S, F, R, A, D},
    "withdraw": {Q, S, F, R, A, D},
    "accept": {S},
    "decline": {S, A},
    "record_contact": {S, A, P},
    # A returned report may be re-uploaded: the later answers replace the earlier ones.
    "report_outcome": {S, A, P, DONE},
}


@pytest.mark.parametrize("state", list(State))
@pytest.mark.parametrize("transition", sorted(SOURCES))
def test_it_allows_exactly_the_listed_transitions(state, transition):
    referral = Referral(state=state)
    available = {t.name for t in referral.get_available_state_transitions()}
    assert (transition in available) == (state in SOURCES[transition])


def test_it_lists_every_transition():
    names = {t.name for t in Referral._meta.get_field("state").get_all_transitions(Referral)}
    assert names == set(SOURCES)


def test_withdrawn_referrals_are_final():
    assert not list(Referral(state=W).get_available_state_transitions())


def test_a_completed_lead_can_only_be_reported_again():
    available = Referral(state=DONE).get_available_state_transitions()
    assert [t.name for t in available] == ["report_outcome"]
