"""Demo MCOs, a provider termination with an open window, and cases in every state."""

from datetime import timedelta

from django.utils import timezone
from django_fsm_log.models import StateLog

from . import services
from .models import (
    AngelaMelodyOutcome,
    Case,
    ErredBy,
    ForCauseReason,
    Kind,
    Mco,
    OutreachAttempt,
    Participant,
    ProviderTermination,
)

# Maryland HealthChoice MCOs.
HEALTHCHOICE_MCOS = [
    "Aetna Better Health of Maryland",
    "CareFirst BlueCross BlueShield Community Health Plan Maryland",
    "Jai Medical Systems",
    "Kaiser Permanente of the Mid-Atlantic States",
    "Maryland Physicians Care",
    "MedStar Family Choice",
    "Priority Partners",
    "UnitedHealthcare Community Plan",
    "Wellpoint Maryland",
]

PEOPLE = [
    ("Maria Lopez", "10000000001", "123456781"),
    ("James Carter", "10000000002", "223456782"),
    ("Aisha Bello", "10000000003", "323456783"),
    ("Tom Becker", "10000000004", "423456784"),
    ("Linh Tran", "10000000005", "523456785"),
    ("Grace Kim", "10000000006", "623456786"),
]


def load(stdout, *, users):
    mcos = {name: Mco.objects.get_or_create(name=name)[0] for name in HEALTHCHOICE_MCOS}
    today = timezone.localdate()
    termination, _ = ProviderTermination.objects.get_or_create(
        mco=mcos["Maryland Physicians Care"],
        provider_name="Chesapeake Family Practice",
        defaults={
            "window_start": today - timedelta(days=15),
            "window_end": today + timedelta(days=45),
        },
    )
    if Case.objects.exists():
        stdout.write(f"{Case.objects.count()} cases already there; no demo cases added.")
        return users
    alice, bob, carol = users["csr.alice"], users["csr.bob"], users["csr.carol"]
    qc, monitor = users["qc.lead"], users["monitor"]
    sup = {alice.team_id: users["sup.alpha"], carol.team_id: users["sup.beta"]}
    priority, medstar = mcos["Priority Partners"], mcos["MedStar Family Choice"]

    # Demo cases are backdated; their history must be too, or every timeline would say today.
    def when(case, days_after):
        """When a step "happened": days after the case was logged, never in the future."""
        return min(case.created_at + timedelta(days=days_after), timezone.now())

    def stamped(case, days_after):
        """Date the case's newest history entry (just written, stamped now) back to `when`."""
        newest = StateLog.objects.for_(case).order_by("-pk").values_list("pk", flat=True)[:1]
        StateLog.objects.filter(pk__in=list(newest)).update(timestamp=when(case, days_after))
        return case

    def log(csr, days_ago, person, **fields):
        name, ma, ssn = PEOPLE[person % len(PEOPLE)]
        # Fictional 555-01xx numbers, one per demo person.
        fields.setdefault("consumer_phone", f"410-555-01{person % len(PEOPLE):02d}")
        fields.setdefault("best_time_to_call", ["Mornings", "After 3 pm", ""][person % 3])
        case = Case(created_at=timezone.now() - timedelta(days=days_ago), **fields)
        services.case_log(
            case=case, participants=[Participant(name=name, ma_number=ma, ssn=ssn)], by=csr
        )
        return stamped(case, 0)

    def vet_true(case):
        return stamped(services.case_vet_true(case=case, by=qc), 1)

    def vet_false(case, reason):
        return stamped(services.case_vet_false(case=case, by=qc, reason=reason), 1)

    def attempt(case, reached, days_after):
        at = when(case, days_after)
        made = services.case_record_attempt(
            case=case,
            by=sup[case.team_id],
            made_on=timezone.localdate(at),
            method="phone",
            reached=reached,
        )
        OutreachAttempt.objects.filter(pk=made.pk).update(recorded_at=at)
        stamped(case, days_after)

    for_cause = {
        "kind": Kind.FOR_CAUSE,
        "for_cause_reason": ForCauseReason.NEW_COUNTY,
        "target_mco": priority,
    }
    mct = {"kind": Kind.MCT_SPAN, "target_mco": medstar}
    wrong = {"kind": Kind.INCORRECT_SELECTION, "target_mco": priority, "erred_by": ErredBy.CSC}
    angela = {"kind": Kind.PROVIDER_TERMINATION, "provider_termination": termination}

    fresh = log(alice, 1, 0, **for_cause)  # escalated
    services.case_comment_add(
        case=fresh, by=alice, text="Consumer will call back with the new county's address."
    )
    log(carol, 9, 1, **mct)  # escalated, old
    log(bob, 2, 2, angela_melody_outcome=AngelaMelodyOutcome.QUESTION_ANSWERED, **angela)
    log(
        alice,
        3,
        3,
        angela_melody_outcome=AngelaMelodyOutcome.MCO_UPDATED,
        target_mco=medstar,
        **angela,
    )  # mco_updated
    vet_true(log(bob, 4, 4, **wrong))  # true_tracker
    vet_true(log(carol, 6, 5, **mct))
    processed = vet_true(log(alice, 8, 0, **mct))
    services.case_mark_processed(
        case=processed,
        by=monitor,
        mmis_date=timezone.localdate(when(processed, 2)),
        mmis_reference="MMIS-20931",
    )
    stamped(processed, 2)
    returned = vet_true(log(carol, 7, 1, **for_cause))
    services.case_return_unprocessed(case=returned, by=monitor, reason="No MCT span in MMIS yet")
    stamped(returned, 2)
    vet_false(log(alice, 5, 2, **wrong), "Consumer chose this MCO on the call recording")
    first = vet_false(log(carol, 10, 3, **for_cause), "Not a valid For Cause reason")
    attempt(first, reached=False, days_after=2)
    maxed = vet_false(log(bob, 12, 4, **mct), "Already enrolled")
    attempt(maxed, reached=False, days_after=2)
    attempt(maxed, reached=False, days_after=4)
    done = vet_false(log(bob, 11, 5, **for_cause), "Duplicate")
    attempt(done, reached=True, days_after=3)
    mistaken = log(alice, 2, 1, **mct)
    services.case_withdraw(case=mistaken, by=alice, reason="Logged for the wrong consumer")
    stamped(mistaken, 0)
    stdout.write(f"Demo cases: {Case.objects.count()} across every state.")
    return users
