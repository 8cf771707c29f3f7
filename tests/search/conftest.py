import pytest

from cases.models import Kind, Participant
from tests.conftest import make_user
from tracker import roles

SSN = "123-45-6789"
MA = "10000000001"


@pytest.fixture
def maria_case(log_case):
    """Alice's (Team Alpha) case for María López."""
    return log_case(
        kind=Kind.MCT_SPAN,
        participants=[Participant(name="María López", ma_number=MA, ssn="123456789")],
    )


@pytest.fixture
def org(make_org):
    return make_org("Lakes Navigator Partners")


@pytest.fixture
def other_org(make_org):
    return make_org("Prairie Navigator Collective")


@pytest.fixture
def org_assister(org):
    user = make_user("assister.lakes", roles.ASSISTER)
    org.members.add(user)
    return user


@pytest.fixture
def other_assister(other_org):
    user = make_user("assister.prairie", roles.ASSISTER)
    other_org.members.add(user)
    return user


@pytest.fixture
def other_rep(db):
    return make_user("pal.rep2", roles.PAL_REPRESENTATIVE)


@pytest.fixture
def ahmed_referral(make_referral, org):
    return make_referral(
        organization=org,
        consumer_name="Ahmed Wársame",
        phone="612-555-0142",
        email="Ahmed.W@Example.org",
    )
