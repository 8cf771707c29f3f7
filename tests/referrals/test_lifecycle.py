"""The FHIR-Task lifecycle (issue 14), every (state, action, role): who may accept, decline,
record contact and outcomes, reassign and withdraw a lead in each state, through the services
the pages call. A step from the wrong state is refused whoever asks; a person the rule does not
name is refused in the right state; nothing changes when refused."""

from datetime import date, datetime, time, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django_fsm import TransitionNotAllowed
from django_fsm_log.models import StateLog

from referrals import services
from referrals.models import County, Referral
from referrals.states import DeclineReason, Resolution, State
from tracker import roles

from ..conftest import make_user

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
SENT_ON = TODAY - timedelta(days=3)

# action -> the states it may start from (tests/referrals/test_state_machine.py has the same
# table for the bare machine; this one runs the services).
SOURCES = {
    "accept": {State.SENT},
    "decline": {State.SENT, State.ACCEPTED},
    "record_contact": {State.SENT, State.ACCEPTED, State.IN_PROGRESS},
    "report_outcome": {State.SENT, State.ACCEPTED, State.IN_PROGRESS, State.COMPLETED},
    "reassign": {
        State.QUEUED,
        State.SENT,
        State.FAILED,
        State.REASSIGNED,
        State.ACCEPTED,
        State.DECLINED,
    },
    "withdraw": {
        State.QUEUED,
        State.SENT,
        State.FAILED,
        State.REASSIGNED,
        State.ACCEPTED,
        State.DECLINED,
    },
}
# action -> who may take it. "assister" works for the organization holding the lead; "outsider"
# is another organization's assister; "rep" made the referral.
ALLOWED = {
    "accept": {"assister"},
    "decline": {"assister"},
    "record_contact": {"assister", "coordinator"},
    "report_outcome": {"assister", "coordinator"},
    "reassign": {"coordinator"},
    "withdraw": {"coordinator", "rep"},
}
# action -> the state it leads to.
TARGET = {
    "accept": State.ACCEPTED,
    "decline": State.DECLINED,
    "record_contact": State.IN_PROGRESS,
    "report_outcome": State.COMPLETED,
    "reassign": State.REASSIGNED,
    "withdraw": State.WITHDRAWN,
}
ROLES = ["assister", "outsider", "coordinator", "rep", "csr"]


@pytest.fixture
def world(make_org, pal_rep, pal_coordinator, csr):
    lakes = make_org("Lakes Area Navigators")
    north = make_org("North Star Navigators")
    assister = make_user("lakes.assister", roles.ASSISTER)
    outsider = make_user("north.assister", roles.ASSISTER)
    lakes.members.add(assister)
    north.members.add(outsider)
    people = {
        "assister": assister,
        "outsider": outsider,
        "coordinator": pal_coordinator,
        "rep": pal_rep,
        "csr": csr,
    }
    return {"lakes": lakes, "north": north, "people": people, "rep": pal_rep}


def lead_in(world, state) -> Referral:
    """A lead of Lakes in `state`, sent three days ago (fixture: created in its state)."""
    sent = state not in (State.NEW, State.QUEUED, State.REASSIGNED, State.FAILED)
    contacted = state in (State.IN_PROGRESS, State.COMPLETED)
    return Referral.objects.create(
        state=state,
        created_by=world["rep"],
        consumer_name="Ana Ortiz",
        phone="612-555-0142",
        county=County.objects.get(name="Hennepin"),
        has_active_account=True,
        has_active_application=True,
        determination_ma=True,
        reason_for_help="Renewal",
        guidance_given="PAL",
        consent=True,
        assister_type="navigator",
        type_reason="Test",
        organization=world["lakes"],
        sent_at=timezone.make_aware(datetime.combine(SENT_ON, time(9))) if sent else None,
        contact_due_on=SENT_ON + timedelta(days=2) if sent else None,
        contact_made=True if contacted else None,
        contact_date=SENT_ON if contacted else None,
        resolution=Resolution.ELIGIBLE_MA if state == State.COMPLETED else "",
    )


def take(action, referral, by, world):
    if action == "accept":
        return services.referral_accept(referral=referral, by=by)
    if action == "decline":
        return services.referral_decline(
            referral=referral, by=by, reason=DeclineReason.NO_CAPACITY, note="Full until 12/01"
        )
    if action == "record_contact":
        return services.referral_record_contact(
            referral=referral, by=by, contact_date=SENT_ON, appointment_on=SENT_ON + timedelta(5)
        )
    if action == "report_outcome":
        return services.referral_report_outcome(
            referral=referral,
            by=by,
            contact_made=True,
            contact_date=SENT_ON,
            resolution=Resolution.ELIGIBLE_MA,
        )
    if action == "reassign":
        return services.referral_reassign(
            referral=referral, organization=world["north"], by=by, reason="Closer"
        )
    return services.referral_withdraw(referral=referral, by=by, reason="Duplicate")


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("state", [s for s in State if s != State.NEW])
@pytest.mark.parametrize("action", sorted(SOURCES))
def test_it_allows_each_action_only_from_its_states_to_the_people_it_names(
    world, action, state, role
):
    referral = lead_in(world, state)
    by = world["people"][role]
    if state not in SOURCES[action]:
        expected = TransitionNotAllowed
    elif role not in ALLOWED[action]:
        expected = PermissionDenied
    else:
        expected = None
    if expected:
        with pytest.raises(expected):
            take(action, referral, by, world)
        assert Referral.objects.get(pk=referral.pk).state == state
        assert not StateLog.objects.for_(referral).exists()
    else:
        take(action, referral, by, world)
        assert Referral.objects.get(pk=referral.pk).state == TARGET[action]
        assert StateLog.objects.for_(referral).get().by == by


def test_it_keeps_the_decline_with_the_lead_for_the_coordinators(world):
    referral = lead_in(world, State.ACCEPTED)
    assister = world["people"]["assister"]
    services.referral_decline(
        referral=referral, by=assister, reason=DeclineReason.LANGUAGE, note="No Somali speaker"
    )
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.decline_reason, referral.decline_note, referral.declined_organization) == (
        DeclineReason.LANGUAGE,
        "No Somali speaker",
        world["lakes"],
    )
    assert referral.accepted_at is None  # not theirs any more
    log = StateLog.objects.for_(referral).get()
    assert log.description == (
        "Declined by Lakes Area Navigators: Cannot serve the consumer's language — "
        "No Somali speaker"
    )
    # Reassigned, the lead keeps who declined it and why; the new organization starts afresh.
    services.referral_reassign(
        referral=referral,
        organization=world["north"],
        by=world["people"]["coordinator"],
        reason="North has a Somali speaker",
    )
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.organization == world["north"] and referral.state == State.REASSIGNED
    assert referral.declined_organization == world["lakes"]


@pytest.mark.parametrize(
    "reason, note, field",
    [
        ("", "", "reason"),
        ("busy", "", "reason"),
        (DeclineReason.OTHER, "  ", "note"),
        (DeclineReason.NO_CAPACITY, "x" * 1001, "note"),
    ],
)
def test_it_refuses_a_decline_without_a_reason_it_can_show(world, reason, note, field):
    referral = lead_in(world, State.SENT)
    with pytest.raises(ValidationError) as error:
        services.referral_decline(
            referral=referral, by=world["people"]["assister"], reason=reason, note=note
        )
    assert field in error.value.message_dict
    assert Referral.objects.get(pk=referral.pk).state == State.SENT


@pytest.mark.parametrize(
    "contact_date, appointment_on, field",
    [
        (None, None, "contact_date"),
        (TODAY + timedelta(days=1), None, "contact_date"),  # in the future
        (SENT_ON - timedelta(days=1), None, "contact_date"),  # before the lead was sent
        (SENT_ON + timedelta(days=1), SENT_ON, "appointment_on"),  # before the contact
        (SENT_ON, TODAY + timedelta(days=366), "appointment_on"),  # past the bound
    ],
)
def test_it_refuses_a_contact_it_cannot_believe(world, contact_date, appointment_on, field):
    referral = lead_in(world, State.ACCEPTED)
    with pytest.raises(ValidationError) as error:
        services.referral_record_contact(
            referral=referral,
            by=world["people"]["assister"],
            contact_date=contact_date,
            appointment_on=appointment_on,
        )
    assert field in error.value.message_dict
    assert Referral.objects.get(pk=referral.pk).state == State.ACCEPTED


def test_a_contact_with_an_appointment_is_in_progress_until_the_resolution(world):
    assister = world["people"]["assister"]
    referral = lead_in(world, State.SENT)
    services.referral_record_contact(
        referral=referral, by=assister, contact_date=SENT_ON, appointment_on=SENT_ON + timedelta(7)
    )
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.state, referral.resolution, referral.appointment_on) == (
        State.IN_PROGRESS,
        Resolution.APPOINTMENT_SCHEDULED,
        SENT_ON + timedelta(7),
    )
    assert referral.accepted_at is not None  # working a lead takes it
    assert (referral.fhir_status, referral.business_status) == (
        "in-progress",
        "Contact made, appointment scheduled",
    )
    with pytest.raises(ValidationError) as error:
        services.referral_record_resolution(
            referral=referral, by=assister, resolution=Resolution.APPOINTMENT_SCHEDULED
        )
    assert "resolution" in error.value.message_dict
    services.referral_record_resolution(
        referral=referral, by=assister, resolution=Resolution.ENROLLED_QHP, comments="Silver"
    )
    referral = Referral.objects.get(pk=referral.pk)
    assert (referral.state, referral.contact_date, referral.resolution, referral.comments) == (
        State.COMPLETED,
        SENT_ON,
        Resolution.ENROLLED_QHP,
        "Silver",
    )
    assert referral.appointment_on == SENT_ON + timedelta(7)  # the appointment stays on record
    assert referral.fhir_status == "completed"


@pytest.mark.parametrize(
    "resolution, state",
    [
        (Resolution.APPOINTMENT_SCHEDULED, State.IN_PROGRESS),
        (Resolution.ELIGIBLE_MNCARE, State.COMPLETED),
    ],
)
def test_a_reported_outcome_leaves_an_appointment_in_progress(world, resolution, state):
    referral = lead_in(world, State.SENT)
    services.referral_report_outcome(
        referral=referral,
        by=world["people"]["coordinator"],
        contact_made=True,
        contact_date=SENT_ON,
        resolution=resolution,
    )
    assert Referral.objects.get(pk=referral.pk).state == state


def test_a_lead_declined_is_no_longer_the_organizations_to_work(world):
    from referrals.permissions import portal_leads

    referral = lead_in(world, State.SENT)
    assister = world["people"]["assister"]
    assert portal_leads(assister).filter(pk=referral.pk).exists()
    services.referral_decline(referral=referral, by=assister, reason=DeclineReason.CLOSED)
    assert not portal_leads(assister).filter(pk=referral.pk).exists()


def test_the_contact_clock_watches_sent_and_accepted_leads_until_contact(world):
    from referrals.models import contact_due_q, overdue_q

    due = SENT_ON + timedelta(days=2)
    leads = {state: lead_in(world, state) for state in State if state != State.NEW}
    overdue = set(Referral.objects.filter(overdue_q(due + timedelta(days=1))))
    due_today = set(Referral.objects.filter(contact_due_q(due)))
    waiting = {leads[State.SENT], leads[State.ACCEPTED]}
    assert overdue == waiting == due_today
    assert not Referral.objects.filter(overdue_q(due)).exists()  # due today is not overdue
    assert all(lead.is_overdue == (lead in waiting) for lead in leads.values())


@pytest.mark.parametrize(
    "created, appointment, in_time",
    [
        # Created late in the evening (local): two weeks count from the local date.
        (datetime(2017, 11, 6, 23, 30), date(2017, 11, 20), True),
        (datetime(2017, 11, 6, 23, 30), date(2017, 11, 21), False),
        (datetime(2017, 11, 6, 0, 5), date(2017, 11, 20), True),
        (datetime(2017, 11, 6, 0, 5), date(2017, 11, 6), True),
        (datetime(2017, 11, 6, 0, 5), None, None),
    ],
)
def test_it_tells_an_appointment_within_two_weeks_the_same_way_for_one_lead_and_many(
    world, created, appointment, in_time
):
    from referrals.models import appointment_in_time_q

    referral = lead_in(world, State.IN_PROGRESS)
    Referral.objects.filter(pk=referral.pk).update(
        created_at=timezone.make_aware(created), appointment_on=appointment
    )
    referral = Referral.objects.get(pk=referral.pk)
    assert referral.appointment_in_time is in_time
    counted = Referral.objects.filter(appointment_in_time_q(), pk=referral.pk).exists()
    assert counted is bool(in_time)
