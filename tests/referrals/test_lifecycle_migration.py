"""Upgrading: `referrals.0013_lifecycle` splits "Outcome reported" (issue 14): a lead reported
as "Contact made appointment scheduled" is in progress, any other outcome completed; both were
taken by their organization when the outcome came in, and their timelines follow."""

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("referrals", "0012_list_indexes")]
AFTER = [("referrals", "0013_lifecycle")]
REPORTED_AT = datetime(2017, 11, 20, 15, tzinfo=UTC)


@pytest.mark.django_db(transaction=True)
def test_it_moves_reported_outcomes_to_in_progress_or_completed():
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    fsm_log = executor.loader.graph.leaf_nodes("django_fsm_log")
    old = executor.loader.project_state([*BEFORE, *fsm_log]).apps
    user = old.get_model("tracker", "User").objects.create(username="legacy")
    county = old.get_model("referrals", "County").objects.get(name="Hennepin")
    org = old.get_model("referrals", "AssisterOrganization").objects.create(
        name="Lakes", kind="navigator", lead_email="leads@lakes.example.org"
    )
    Referral = old.get_model("referrals", "Referral")
    content_type = old.get_model("contenttypes", "ContentType").objects.get(
        app_label="referrals", model="referral"
    )
    StateLog = old.get_model("django_fsm_log", "StateLog")

    def referral(state, resolution=""):
        made = Referral.objects.create(
            state=state, created_by=user, consumer_name="Ana", phone="612-555-0142",
            county=county, has_active_account=True, has_active_application=True,
            reason_for_help="Plans", guidance_given="PAL", consent=True,
            assister_type="navigator", type_reason="Test", organization=org,
            resolution=resolution, contact_made=bool(resolution) or None,
            outcome_reported_at=REPORTED_AT if resolution else None,
        )  # fmt: skip
        if resolution:
            StateLog.objects.create(
                content_type=content_type, object_id=made.pk, transition="report_outcome",
                source_state="sent", state="outcome_reported",
            )  # fmt: skip
        return made.pk

    appointment = referral("outcome_reported", "appointment_scheduled")
    enrolled = referral("outcome_reported", "enrolled_qhp")
    waiting = referral("sent")

    try:
        MigrationExecutor(connection).migrate(AFTER)
        from django_fsm_log.models import StateLog as NewStateLog

        from referrals.models import Referral as NewReferral

        leads = NewReferral.objects.only("state", "accepted_at").in_bulk()
        assert (leads[appointment].state, leads[appointment].accepted_at) == (
            "in_progress",
            REPORTED_AT,
        )
        assert (leads[enrolled].state, leads[enrolled].accepted_at) == ("completed", REPORTED_AT)
        assert (leads[waiting].state, leads[waiting].accepted_at) == ("sent", None)
        logged = dict(NewStateLog.objects.values_list("object_id", "state"))
        assert logged == {appointment: "in_progress", enrolled: "completed"}

        MigrationExecutor(connection).migrate(BEFORE)
        states = dict(Referral.objects.values_list("pk", "state"))
        assert states == {
            appointment: "outcome_reported",
            enrolled: "outcome_reported",
            waiting: "sent",
        }
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
