from io import StringIO

from django.core.management import call_command


def test_it_draws_the_case_state_machine():
    out = StringIO()
    call_command("graph_transitions", "cases.Case", stdout=out)
    dot = out.getvalue()
    for state in ["escalated", "true_tracker", "outreach_max_attempts"]:
        assert state in dot
    assert "vet_true" in dot and "record_attempt" in dot
