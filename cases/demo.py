"""Demo MCOs, a provider termination with an open window, and cases in every state."""

from datetime import timedelta

from django.utils import timezone

from . import services
from .models import (
    AngelaMelodyOutcome,
    Case,
    ErredBy,
    ForCauseReason,
    Kind,
    Mco,
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

    def log(csr, days_ago, person, **fields):
        case = Case(created_at=timezone.now() - timedelta(days=days_ago), **fields)
        name, ma, ssn = PEOPLE[person % len(PEOPLE)]
        return services.case_log(
            case=case, participants=[Participant(name=name, ma_number=ma, ssn=ssn)], by=csr
        )

    def attempt(case, reached):
        services.case_record_attempt(
            case=case, by=sup[case.team_id], made_on=today, method="phone", reached=reached
        )

    for_cause = {
        "kind": Kind.FOR_CAUSE,
        "for_cause_reason": ForCauseReason.NEW_COUNTY,
        "target_mco": priority,
    }
    mct = {"kind": Kind.MCT_SPAN, "target_mco": medstar}
    wrong = {"kind": Kind.INCORRECT_SELECTION, "target_mco": priority, "erred_by": ErredBy.CSC}
    angela = {"kind": Kind.PROVIDER_TERMINATION, "provider_termination": termination}

    log(alice, 1, 0, **for_cause)  # escalated
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
    services.case_vet_true(case=log(bob, 4, 4, **wrong), by=qc)  # true_tracker
    services.case_vet_true(case=log(carol, 6, 5, **mct), by=qc)
    processed = services.case_vet_true(case=log(alice, 8, 0, **mct), by=qc)
    services.case_mark_processed(
        case=processed, by=monitor, mmis_date=today, mmis_reference="MMIS-20931"
    )
    returned = services.case_vet_true(case=log(carol, 7, 1, **for_cause), by=qc)
    services.case_return_unprocessed(case=returned, by=monitor, reason="No MCT span in MMIS yet")
    services.case_vet_false(
        case=log(alice, 5, 2, **wrong),
        by=qc,
        reason="Consumer chose this MCO on the call recording",
    )
    first = services.case_vet_false(
        case=log(carol, 10, 3, **for_cause), by=qc, reason="Not a valid For Cause reason"
    )
    attempt(first, reached=False)
    maxed = services.case_vet_false(case=log(bob, 12, 4, **mct), by=qc, reason="Already enrolled")
    attempt(maxed, reached=False)
    attempt(maxed, reached=False)
    done = services.case_vet_false(case=log(bob, 11, 5, **for_cause), by=qc, reason="Duplicate")
    attempt(done, reached=True)
    stdout.write(f"Demo cases: {Case.objects.count()} across every state.")
    return users
