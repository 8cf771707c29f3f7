"""One table maps our referral states to FHIR Task status and businessStatus (issue 14): every
state has a row, the statuses are FHIR's own codes, and docs/states.md shows the same table."""

from pathlib import Path

import pytest

from referrals.models import Referral
from referrals.states import FHIR_TASK, Resolution, State, business_status, fhir_status

# FHIR R4 Task.status (http://hl7.org/fhir/task-status).
TASK_STATUSES = {
    "draft", "requested", "received", "accepted", "rejected", "ready", "cancelled",
    "in-progress", "on-hold", "failed", "completed", "entered-in-error",
}  # fmt: skip
DOCS = Path(__file__).resolve().parents[2] / "docs" / "states.md"


def test_every_state_has_a_fhir_status():
    assert set(FHIR_TASK) == set(State)
    assert {status for status, _ in FHIR_TASK.values()} <= TASK_STATUSES


@pytest.mark.parametrize(
    "state, status",
    [
        (State.SENT, "requested"),
        (State.ACCEPTED, "accepted"),
        (State.DECLINED, "rejected"),
        (State.IN_PROGRESS, "in-progress"),
        (State.COMPLETED, "completed"),
        (State.WITHDRAWN, "cancelled"),
        (State.FAILED, "failed"),
    ],
)
def test_it_maps_the_issues_states_to_the_guides_statuses(state, status):
    assert fhir_status(state) == status


@pytest.mark.parametrize(
    "appointment_on, resolution, expected",
    [
        (None, "", "Contact made"),
        ("2017-11-20", Resolution.APPOINTMENT_SCHEDULED, "Contact made, appointment scheduled"),
        # Reported on the Preferred Assister Report, which has no appointment date column.
        (None, Resolution.APPOINTMENT_SCHEDULED, "Contact made, appointment scheduled"),
    ],
)
def test_in_progress_says_whether_an_appointment_is_scheduled(appointment_on, resolution, expected):
    lead = Referral(state=State.IN_PROGRESS, appointment_on=appointment_on, resolution=resolution)
    assert business_status(lead) == expected


def test_the_docs_show_the_same_table():
    rows = {}
    for line in DOCS.read_text().splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if len(cells) == 4 and cells[0] in State.values:
            rows[cells[0]] = (cells[1], cells[2], cells[3])
    assert set(rows) == set(State.values)
    for state, (status, business) in FHIR_TASK.items():
        label, documented_status, documented_business = rows[state]
        assert (label, documented_status) == (state.label, status)
        assert documented_business.startswith(business)
