import pytest


@pytest.fixture
def make_cases(csr, mcos):
    """make_cases(n, state, **fields): n cases created directly in `state` (fixtures may set the
    state; the app never does) with one participant each, for list and query-count tests."""
    from cases.models import Case, Kind, Participant

    def _make(n, state, **fields):
        fields = {
            "kind": Kind.MCT_SPAN,
            "csr": csr,
            "team": csr.team,
            "target_mco": mcos["Priority Partners"],
            **fields,
        }
        cases = []
        for i in range(n):
            case = Case.objects.create(state=state, **fields)
            Participant.objects.create(
                case=case, name=f"Person {i}", ma_number=f"{20000000000 + i}", ssn="123456789"
            )
            cases.append(case)
        return cases

    return _make
