"""The people, teams and reference data the seeded cases and referrals point at.

Seeded users are named `seed.*`: that is how `seed_scale` tells a seeded database from one that
holds real (or demo) data. They have no usable password (sign in with force_login, as the bench
does, or set one in the admin)."""

import random
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.contrib.auth.models import Group

from cases.demo import HEALTHCHOICE_MCOS
from cases.models import Mco, ProviderTermination
from referrals.calendar import reporting_calendar
from referrals.languages import SERVED_LANGUAGES
from referrals.models import AssisterOrganization, County, Language, ReportingPeriod
from referrals.rules import AssisterType
from tracker import roles
from tracker.models import Team, User

SEED_PREFIX = "seed."
TEAMS = 10
CSRS_PER_TEAM = 20
ORGANIZATIONS = 40
PERIODS = 55
PERIOD_DAYS = 27  # 55 periods of 27 days: about four years


@dataclass
class Directory:
    teams: list = field(default_factory=list)  # (team_id, supervisor_id, [csr ids])
    qc_leads: list = field(default_factory=list)
    monitors: list = field(default_factory=list)
    reps: list = field(default_factory=list)
    coordinators: list = field(default_factory=list)
    mcos: list = field(default_factory=list)
    terminations: list = field(default_factory=list)
    counties: list = field(default_factory=list)
    # (assister type, county id) -> [organization ids]; organization id -> assister user id
    serving: dict = field(default_factory=dict)
    organizations: dict = field(default_factory=dict)
    member_of: dict = field(default_factory=dict)
    periods: list = field(default_factory=list)  # ReportingPeriod instances, by start


def _user(username, first, last, role, *, team=None, staff=True):
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@example.org",
            "is_staff": staff,
            "team": team,
            "password": "!seeded",  # unusable: starts with "!"
        },
    )
    if created:
        user.groups.add(Group.objects.get(name=role))
    return user


FIRST = ["Alex", "Jordan", "Taylor", "Morgan", "Casey", "Riley", "Jamie", "Avery", "Quinn", "Sam"]
LAST = ["Nguyen", "Garcia", "Smith", "Okafor", "Hansen", "Lee", "Patel", "Kim", "Lopez", "Brown"]


def _name(rng):
    return rng.choice(FIRST), rng.choice(LAST)


def load(*, start: date, rng: random.Random) -> Directory:
    d = Directory()
    for t in range(1, TEAMS + 1):
        team, _ = Team.objects.get_or_create(name=f"Seed Team {t:02d}")
        sup = _user(f"{SEED_PREFIX}sup{t:02d}", *_name(rng), roles.SUPERVISOR, team=team)
        if team.supervisor_id is None:
            Team.objects.filter(pk=team.pk).update(supervisor=sup)
        csrs = [
            _user(f"{SEED_PREFIX}csr{t:02d}.{c:02d}", *_name(rng), roles.CSR, team=team).pk
            for c in range(1, CSRS_PER_TEAM + 1)
        ]
        d.teams.append((team.pk, team.supervisor_id or sup.pk, csrs))
    d.qc_leads = [_user(f"{SEED_PREFIX}qc{i}", *_name(rng), roles.QC_LEAD).pk for i in (1, 2, 3)]
    d.monitors = [
        _user(f"{SEED_PREFIX}monitor{i}", *_name(rng), roles.STATE_MONITOR).pk for i in (1, 2, 3)
    ]
    d.reps = [
        _user(f"{SEED_PREFIX}rep{i:02d}", *_name(rng), roles.PAL_REPRESENTATIVE, staff=False).pk
        for i in range(1, 21)
    ]
    d.coordinators = [
        _user(f"{SEED_PREFIX}coord{i}", *_name(rng), roles.PAL_COORDINATOR).pk for i in (1, 2)
    ]
    d.mcos = [Mco.objects.get_or_create(name=name)[0].pk for name in HEALTHCHOICE_MCOS]
    for i, mco in enumerate(d.mcos):
        window = start + timedelta(days=150 * i)
        term, _ = ProviderTermination.objects.get_or_create(
            mco_id=mco,
            provider_name=f"Seed Provider Group {i + 1}",
            defaults={"window_start": window, "window_end": window + timedelta(days=60)},
        )
        d.terminations.append(term.pk)
    d.counties = list(County.objects.values_list("pk", flat=True))
    _organizations(d, rng)
    _periods(d, start)
    return d


def _organizations(d: Directory, rng: random.Random) -> None:
    for i in range(1, ORGANIZATIONS + 1):
        kind = AssisterType.NAVIGATOR if i % 2 else AssisterType.BROKER
        org, created = AssisterOrganization.objects.get_or_create(
            name=f"Seed {kind.label} {i:02d}",
            defaults={"kind": kind, "lead_email": f"leads{i:02d}@seed-assisters.example.org"},
        )
        if created:
            # Every county has organizations of both kinds: each one serves a slice of the state.
            org.counties.set(d.counties[(i // 2) % 20 :: 20])
            # English and two more languages each, so every language has some organizations.
            names = ["English", *(SERVED_LANGUAGES[1:][(i + k) % 10] for k in (0, 3))]
            org.languages.set(Language.objects.filter(name__in=names))
        assister = _user(f"{SEED_PREFIX}assister{i:02d}", *_name(rng), roles.ASSISTER, staff=False)
        org.members.add(assister)
        d.organizations[org.pk] = org.kind
        d.member_of[org.pk] = assister.pk
        for county in org.counties.values_list("pk", flat=True):
            d.serving.setdefault((org.kind, county), []).append(org.pk)


def _periods(d: Directory, start: date) -> None:
    for p in reporting_calendar(
        start=start,
        first_end=start + timedelta(days=PERIOD_DAYS - 1),
        length=PERIOD_DAYS,
        count=PERIODS,
    ):
        period, _ = ReportingPeriod.objects.get_or_create(
            start=p.start, defaults={"end": p.end, "send_on": p.send_on, "due_on": p.due_on}
        )
        d.periods.append(period)
