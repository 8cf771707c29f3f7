"""tracker.workflow.run_transitions_as_values sends no django-fsm signal: it writes the one row
their only receiver, django-fsm-log, would write. A new receiver would be skipped by it, so this
fails until the bulk path is taught what that receiver does."""

from django_fsm.signals import post_transition, pre_transition
from django_fsm_log.backends import SimpleBackend as Backend

from cases.models import Case
from referrals.models import Referral


def test_it_knows_every_receiver_of_the_transition_signals():
    for model in (Referral, Case):
        assert post_transition._live_receivers(model) == ([Backend.post_transition_callback], [])
        # SimpleBackend's, which does nothing.
        assert pre_transition._live_receivers(model) == ([Backend.pre_transition_callback], [])
