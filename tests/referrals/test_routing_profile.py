"""Issue 14 routing: organizations that have room and speak the consumer's language first, a
paused organization never, and the pick explained in words."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from referrals.models import County, Language
from referrals.routing import default_organization, eligible_organizations, route

pytestmark = pytest.mark.django_db


@pytest.fixture
def hennepin():
    return County.objects.get(name="Hennepin")


@pytest.fixture
def org(make_org):
    """org(name, languages=[...], max_open_leads=N, leads=K, **fields): a broker in Hennepin."""

    def _make(name, *, languages=(), leads=0, make_referral=None, **fields):
        made = make_org(name, kind="broker", **fields)
        made.languages.set(Language.objects.filter(name__in=languages))
        for _ in range(leads):
            make_referral(organization=made)
        return made

    return _make


def test_it_loads_the_served_languages_without_other():
    names = list(Language.objects.values_list("name", flat=True))
    assert names[:3] == ["English", "Spanish", "Somali"]
    assert "Other" not in names and len(names) == 11


# (A's languages, A's max, A's open leads, B's languages, B's max, B's open leads) -> pick.
# Names break ties: A before B.
CASES = [
    ("speaks beats not speaking", ["English"], None, 0, ["Somali"], None, 0, "B"),
    ("speaks beats fewer leads", ["English"], None, 0, ["Somali"], None, 2, "B"),
    ("room beats speaking", ["English"], None, 1, ["Somali"], 1, 1, "A"),
    ("room beats speaking (A has a max)", ["English"], 5, 2, ["Somali"], 2, 2, "A"),
    ("both speak: fewest leads", ["Somali"], None, 2, ["Somali"], None, 1, "B"),
    ("nobody speaks: fewest leads", ["English"], None, 2, ["Hmong"], None, 1, "B"),
    ("both full: speaks", ["English"], 1, 1, ["Somali"], 1, 1, "B"),
    ("both full, nobody speaks: fewest", ["English"], 1, 1, [], 2, 2, "A"),
    ("no max is room", ["Somali"], None, 2, ["Somali"], 3, 3, "A"),
]


@pytest.mark.parametrize(
    "a_langs, a_max, a_leads, b_langs, b_max, b_leads, pick",
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_it_prefers_room_then_the_language_then_fewest_leads(
    org, make_referral, hennepin, a_langs, a_max, a_leads, b_langs, b_max, b_leads, pick
):
    a = org("A Brokers", languages=a_langs, max_open_leads=a_max, leads=a_leads,
            make_referral=make_referral)  # fmt: skip
    b = org("B Brokers", languages=b_langs, max_open_leads=b_max, leads=b_leads,
            make_referral=make_referral)  # fmt: skip

    chosen = default_organization(assister_type="broker", county=hennepin, language="Somali")

    assert chosen == {"A": a, "B": b}[pick]


@pytest.mark.parametrize(
    "from_days, until_days, offered",
    [
        (None, None, True),  # never paused
        (0, None, False),  # paused from today until resumed
        (-3, 2, False),  # in the middle of a pause
        (-3, 0, False),  # the pause's last day
        (-5, -1, True),  # the pause ended yesterday: back by itself
        (1, 5, True),  # a pause to come
    ],
)
def test_a_paused_organization_gets_no_new_lead(org, hennepin, from_days, until_days, offered):
    today = timezone.localdate()

    def day(n):
        return None if n is None else today + timedelta(days=n)

    paused = org(
        "Paused Brokers",
        languages=["Somali"],
        paused_from=day(from_days),
        paused_until=day(until_days),
        pause_reason="Staff on leave",
    )
    found = eligible_organizations(assister_type="broker", county=hennepin, language="Somali")
    assert (paused in found) is offered


def test_it_refuses_a_referral_to_a_paused_organization(org, make_referral):
    paused = org("Paused Brokers", paused_from=timezone.localdate(), pause_reason="Full")
    with pytest.raises(ValidationError, match="taking new leads today"):
        make_referral(organization=paused)


def test_it_explains_the_pick(org, make_referral, hennepin):
    org("A Brokers", languages=["English"], leads=0, make_referral=make_referral)
    org("B Brokers", languages=["Somali"], max_open_leads=3, leads=1, make_referral=make_referral)
    org("C Brokers", paused_from=timezone.localdate(), pause_reason="Office move")

    routing = route(assister_type="broker", county=hennepin, language="Somali")

    assert routing.pick.name == "B Brokers"
    assert routing.explanation == [
        "Pre-selected B Brokers: speaks Somali; 1 open lead(s) of at most 3.",
        "Not offered: C Brokers takes no new leads until resumed (Office move).",
    ]


def test_it_says_so_when_nobody_speaks_the_language(org, hennepin):
    org("A Brokers", languages=["English"])

    routing = route(assister_type="broker", county=hennepin, language="Karen")

    assert routing.pick.name == "A Brokers"
    assert any("No organization here lists Karen" in line for line in routing.explanation)


def test_it_says_so_when_every_organization_is_full(org, make_referral, hennepin):
    org("A Brokers", languages=["Somali"], max_open_leads=1, leads=1, make_referral=make_referral)

    routing = route(assister_type="broker", county=hennepin, language="Somali")

    assert routing.pick.name == "A Brokers"
    assert "Every organization here is at its maximum" in " ".join(routing.explanation)


def test_other_is_no_language_to_match(org, hennepin):
    org("A Brokers", languages=["English"])
    routing = route(assister_type="broker", county=hennepin, language="Other")
    assert routing.language == "" and routing.explanation == [
        "Pre-selected A Brokers: 0 open lead(s), no maximum."
    ]


def test_the_rep_sees_the_pick_explained_on_the_referral_form(client, pal_rep, org):
    org("A Brokers", languages=["English"])
    org("B Brokers", languages=["Somali"], max_open_leads=10)
    client.force_login(pal_rep)
    page = client.post(
        reverse("referrals:new"),
        {
            "consumer_name": "Ahmed Warsame",
            "phone": "612-555-0199",
            "county": County.objects.get(name="Hennepin").pk,
            "language": "Somali",
            "has_active_account": "yes",
            "has_active_application": "yes",
            "determinations": "qhp",
            "reason_for_help": "Compare plans",
            "guidance_given": "A broker will call",
            "consent": "yes",
            "step": "route",
        },
    ).content.decode()
    assert "Pre-selected B Brokers: speaks Somali; 0 open lead(s) of at most 10." in page
    assert "B Brokers · 0 open leads of at most 10 · speaks Somali" in page
    assert "A Brokers · 0 open leads · no Somali" in page
