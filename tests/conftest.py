"""Shared fixtures: a user per role, two teams (an owner team and an outsider team), MCOs and
a factory that logs cases through the real services."""

import os
from datetime import timedelta

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from tracker import roles
from tracker.models import Team, User

from .second_factor import Client

# The API's referral fixtures (Lakes, North, a lead), for tests/api only but declared here: a
# non-root conftest may not name plugins, and tests/api/conftest.py is the token helper's.
pytest_plugins = ["tests.api.referral_fixtures"]

# Playwright runs an event loop in the test thread; Django must still allow sync DB access.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def debug_on(settings):
    """`manage.py demo` (and `totp_code`) refuse without DEBUG, which the test runner turns off."""
    settings.DEBUG = True


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    # The suite creates many users; the production hasher is deliberately slow.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def client():
    return Client()


def make_user(username, *role_names, team=None, **extra):
    user = User.objects.create_user(
        username=username,
        password="pw-for-tests-123",
        email=f"{username}@example.org",
        team=team,
        **extra,
    )
    for role in role_names:
        user.groups.add(Group.objects.get(name=role))
    return user


@pytest.fixture
def team(db):
    supervisor = make_user("sup.alpha", roles.SUPERVISOR)
    team = Team.objects.create(name="Team Alpha", supervisor=supervisor)
    supervisor.team = team
    supervisor.save()
    return team


@pytest.fixture
def other_team(db):
    supervisor = make_user("sup.beta", roles.SUPERVISOR)
    return Team.objects.create(name="Team Beta", supervisor=supervisor)


@pytest.fixture
def supervisor(team):
    return team.supervisor


@pytest.fixture
def other_supervisor(other_team):
    return other_team.supervisor


@pytest.fixture
def csr(team):
    return make_user("csr.alice", roles.CSR, team=team, first_name="Alice", last_name="Reyes")


@pytest.fixture
def other_csr(other_team):
    return make_user("csr.carol", roles.CSR, team=other_team)


@pytest.fixture
def qc_lead(db):
    return make_user("qc.lead", roles.QC_LEAD)


@pytest.fixture
def monitor(db):
    return make_user("monitor", roles.STATE_MONITOR)


@pytest.fixture
def admin_user(db):
    return make_user("admin", roles.ADMIN, is_staff=True)


@pytest.fixture
def pal_rep(db):
    return make_user("pal.rep", roles.PAL_REPRESENTATIVE)


@pytest.fixture
def pal_coordinator(db):
    return make_user("pal.coord", roles.PAL_COORDINATOR)


@pytest.fixture
def assister_user(db):
    return make_user("assister", roles.ASSISTER)


@pytest.fixture
def mcos(db):
    from cases.demo import HEALTHCHOICE_MCOS
    from cases.models import Mco

    return {name: Mco.objects.create(name=name) for name in HEALTHCHOICE_MCOS}


@pytest.fixture
def termination(mcos):
    from cases.models import ProviderTermination

    today = timezone.localdate()
    return ProviderTermination.objects.create(
        mco=mcos["Maryland Physicians Care"],
        provider_name="Chesapeake Family Practice",
        window_start=today - timedelta(days=10),
        window_end=today + timedelta(days=20),
    )


@pytest.fixture
def log_case(csr, mcos, termination):
    """Log a case through the real service: log_case(kind="mct_span", by=csr, **fields)."""
    from cases import services
    from cases.models import Case, ForCauseReason, Kind, Participant

    defaults = {
        Kind.MCT_SPAN: {"target_mco": mcos["Priority Partners"]},
        Kind.FOR_CAUSE: {
            "target_mco": mcos["Priority Partners"],
            "for_cause_reason": ForCauseReason.HOMELESS,
        },
        Kind.INCORRECT_SELECTION: {"target_mco": mcos["Jai Medical Systems"], "erred_by": "csc"},
        Kind.PROVIDER_TERMINATION: {
            "provider_termination": termination,
            "angela_melody_outcome": "mco_updated",
            "target_mco": mcos["MedStar Family Choice"],
        },
    }

    def _log(kind=Kind.MCT_SPAN, by=None, participants=None, **fields):
        fields.setdefault("consumer_phone", "410-555-0142")  # required where outreach may follow
        case = Case(kind=kind, **{**defaults[kind], **fields})
        people = participants or [
            Participant(name="Maria Lopez", ma_number="10000000001", ssn="123456789")
        ]
        return services.case_log(case=case, participants=people, by=by or csr)

    return _log


# ---- PAL referrals --------------------------------------------------------------------------
@pytest.fixture
def make_org(db):
    """make_org("Name", kind="broker", counties=["Hennepin"], status="suspended", ...)."""
    from referrals.models import AssisterOrganization, County

    def _make(name, *, kind="navigator", counties=("Hennepin",), lead_email=None, **extra):
        slug = "".join(ch for ch in name.lower() if ch.isalnum())[:30]
        org = AssisterOrganization.objects.create(
            name=name, kind=kind, lead_email=lead_email or f"leads@{slug}.example.org", **extra
        )
        org.counties.set(County.objects.filter(name__in=counties))
        return org

    return _make


@pytest.fixture
def make_referral(pal_rep):
    """Create a referral through the real service (its lead email is queued on commit)."""
    from referrals import services
    from referrals.models import County, Referral

    def _make(*, organization, county="Hennepin", by=None, **fields):
        values = {
            "consumer_name": "Maria Lopez",
            "phone": "612-555-0142",
            "email": "maria.lopez@example.org",
            "language": "Spanish",
            "has_active_account": True,
            "has_active_application": True,
            "determination_qhp": organization.kind == "broker",
            "determination_ma": organization.kind == "navigator",
            "reason_for_help": "Wants help comparing QHP plans in person",
            "guidance_given": "Explained the PAL program and that an assister will call",
            "consent": True,
            **fields,
        }
        referral = Referral(county=County.objects.get(name=county), **values)
        return services.referral_create(
            referral=referral, organization=organization, by=by or pal_rep
        )

    return _make


@pytest.fixture
def make_sent_referral(make_referral, django_capture_on_commit_callbacks):
    """A referral whose lead email really went out (through the delivery task), then dated as
    sent on `sent_on` (a date, local noon) so reporting periods and the SLA clock can be set."""
    from datetime import datetime, time

    from django.utils import timezone

    from referrals.models import CONTACT_DUE_BUSINESS_DAYS, HOLIDAY_SUBDIV, Referral
    from tracker.business_days import add_business_days

    def _make(*, organization, sent_on=None, at=time(12, 0), **fields):
        with django_capture_on_commit_callbacks(execute=True):
            referral = make_referral(organization=organization, **fields)
        if sent_on is not None:
            Referral.objects.filter(pk=referral.pk).update(
                sent_at=timezone.make_aware(datetime.combine(sent_on, at)),
                contact_due_on=add_business_days(
                    sent_on, CONTACT_DUE_BUSINESS_DAYS, subdiv=HOLIDAY_SUBDIV
                ),
            )
        referral.refresh_from_db()
        return referral

    return _make


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
