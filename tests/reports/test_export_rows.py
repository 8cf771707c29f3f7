"""The case exports' participant columns (reports.export_rows): on PostgreSQL aggregated by the
database, elsewhere grouped in Python; both give each case's participants in entry order."""

from cases.models import Participant
from reports.export_rows import NOBODY, People, participants_of


def test_it_lists_each_cases_participants_in_the_order_they_were_entered(log_case):
    people = [
        Participant(name="Zed Ortiz", ma_number="30000000003", ssn="333224444"),
        Participant(name="Amy Chen", ma_number="10000000001", ssn="111223333"),
        Participant(name="Mo Farah", ma_number="20000000002", ssn="222335555"),
    ]
    family = log_case(participants=people)
    alone = log_case()

    masked = participants_of([family.pk, alone.pk], full_ssn=False)
    full = participants_of([family.pk, alone.pk], full_ssn=True)

    names = ["Zed Ortiz", "Amy Chen", "Mo Farah"]
    ma_numbers = ["30000000003", "10000000001", "20000000002"]
    assert masked[family.pk] == People(
        names, ma_numbers, ["***-**-4444", "***-**-3333", "***-**-5555"]
    )
    assert full[family.pk] == People(
        names, ma_numbers, ["333-22-4444", "111-22-3333", "222-33-5555"]
    )
    assert masked[alone.pk] == People(["Maria Lopez"], ["10000000001"], ["***-**-6789"])


def test_it_leaves_out_cases_without_participants(log_case):
    case = log_case()
    Participant.objects.filter(case=case).delete()
    assert participants_of([case.pk], full_ssn=True).get(case.pk, NOBODY) == NOBODY
