"""Generated subject and CRM documentation line per kind (seed: "Subject and CRM documentation")."""

import pytest

from cases.models import Kind, Participant

PEOPLE = [
    Participant(name="Maria Lopez", ma_number="10000000001", ssn="123456789"),
    Participant(name="Juan Lopez", ma_number="10000000002", ssn="234567891"),
]


@pytest.mark.parametrize(
    "kind,fields,subject,line",
    [
        (
            Kind.PROVIDER_TERMINATION,
            {"target_mco": None, "new_provider_name": "Dr. Patel"},
            "Angela Melody",
            "Maria Lopez, Juan Lopez/10000000001, 10000000002/***-**-6789, ***-**-7891/Dr. Patel",
        ),
        (
            Kind.MCT_SPAN,
            {},
            "MCT Span",
            "Maria Lopez, Juan Lopez/10000000001, 10000000002/***-**-6789, ***-**-7891/"
            "Priority Partners",
        ),
        (
            Kind.FOR_CAUSE,
            {"for_cause_reason": "foster_care"},
            "For Cause Reason – Foster Care Consumer",
            "Maria Lopez, Juan Lopez/Foster Care Consumer/10000000001, 10000000002/"
            "***-**-6789, ***-**-7891/Priority Partners",
        ),
        (
            Kind.INCORRECT_SELECTION,
            {"erred_by": "caw"},
            "Incorrect Selection",
            "Maria Lopez, Juan Lopez/10000000001, 10000000002/***-**-6789, ***-**-7891/"
            "Priority Partners",
        ),
    ],
)
def test_it_generates_subject_and_masked_documentation_line(
    log_case, mcos, kind, fields, subject, line
):
    fields = {"target_mco": mcos["Priority Partners"], **fields}
    if kind == Kind.PROVIDER_TERMINATION:
        fields["angela_melody_outcome"] = "mco_updated"
    case = log_case(
        kind=kind,
        participants=[Participant(name=p.name, ma_number=p.ma_number, ssn=p.ssn) for p in PEOPLE],
        **fields,
    )

    assert case.subject == subject
    assert case.documentation_line() == line


def test_it_shows_full_ssns_only_when_asked(log_case):
    case = log_case()
    assert "123-45-6789" in case.documentation_line(full_ssn=True)
    assert "6789" in case.documentation_line() and "12345" not in case.documentation_line()
