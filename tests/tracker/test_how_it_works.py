"""The How it works page (issue 16, part 2): both state machines drawn from their transitions,
every transition drawn and in the table, who acts at each procedure step."""

import xml.etree.ElementTree as ET

import pytest
from bs4 import BeautifulSoup
from django_fsm import RETURN_VALUE

from cases.models import Case
from referrals.models import Referral
from tests.conftest import make_user
from tracker import how_it_works
from tracker.roles import ALL_ROLES
from tracker.state_diagram import Edge, Layout, Machine, svg, transitions_of

pytestmark = pytest.mark.django_db

MODELS = {"case": Case, "referral": Referral}


def declared_arrows(model) -> set[tuple[str, str, str]]:
    """(transition, from, to) as the model declares them, read straight from django-fsm-2."""
    found = set()
    for transition in transitions_of(model):
        target = transition.target
        targets = target.allowed_states if isinstance(target, RETURN_VALUE) else [target]
        for state in targets:
            found.add((transition.name, str(transition.source), str(state)))
    return found


def drawn_arrows(page, slug) -> set[tuple[str, str, str]]:
    diagram = page.find(attrs={"aria-labelledby": f"{slug}-diagram-title {slug}-diagram-desc"})
    return {
        (name, edge["data-from"], edge["data-to"])
        for edge in diagram.select("g.edge")
        for name in edge["data-transitions"].split()
    }


@pytest.fixture
def page(client, csr):
    client.force_login(csr)
    response = client.get("/how-it-works/")
    assert response.status_code == 200
    return BeautifulSoup(response.content, "html.parser")


@pytest.mark.parametrize("role", ALL_ROLES)
def test_it_shows_both_workflows_to_every_role(client, role):
    client.force_login(make_user("someone", role))
    page = BeautifulSoup(client.get("/how-it-works/").content, "html.parser")
    assert [h.get_text() for h in page.select("main h2")] == [
        "MCO Manual Tracker case",
        "PAL referral",
    ]
    assert len(page.select("svg.state-diagram")) == 2
    assert page.find("a", string="How it works")["href"] == "/how-it-works/"


def test_someone_signed_out_is_sent_to_sign_in(client):
    response = client.get("/how-it-works/")
    assert response.status_code == 302 and response["Location"].startswith("/login/")


@pytest.mark.parametrize("slug", MODELS)
def test_it_draws_every_transition_the_model_declares_and_nothing_else(page, slug):
    """Add a transition to the model and this fails until it is drawn (it is, by construction:
    the drawing reads the same metadata)."""
    assert drawn_arrows(page, slug) == declared_arrows(MODELS[slug])


@pytest.mark.parametrize("slug", MODELS)
def test_it_draws_every_state_once(page, slug):
    diagram = page.find(attrs={"aria-labelledby": f"{slug}-diagram-title {slug}-diagram-desc"})
    states = [g["data-state"] for g in diagram.select("g.state")]
    choices = MODELS[slug]._meta.get_field("state").choices
    assert sorted(states) == sorted(str(value) for value, _label in choices)


@pytest.mark.parametrize("slug", MODELS)
def test_the_table_lists_every_transition_with_who_takes_it(page, slug):
    table = page.find(
        "caption",
        string=lambda s: (
            s and s.startswith(dict(case="MCO Manual Tracker case", referral="PAL referral")[slug])
        ),
    ).parent
    rows = {
        row.th.get_text(): [td.get_text() for td in row.select("td")]
        for row in table.tbody.select("tr")
    }
    names = {t.name.replace("_", " ").capitalize() for t in transitions_of(MODELS[slug])}
    assert set(rows) == names
    assert all(cells[2] for cells in rows.values()), "a transition without who takes it"


def test_it_says_who_acts_for_every_permission_rule():
    """A new permission rule on a transition must say here who passes it."""
    for model in MODELS.values():
        for transition in transitions_of(model):
            assert transition.permission in how_it_works.WHO, (model, transition.name)


def test_every_transition_belongs_to_exactly_one_procedure_step():
    for workflow in how_it_works.WORKFLOWS:
        named = [name for step in workflow.steps for name in step.transitions]
        assert sorted(named) == sorted({t.name for t in transitions_of(workflow.model)})


def test_it_names_the_right_people_at_the_seed_steps(page):
    steps = {
        li.h4.get_text(): li.find("dt", string="Who acts").find_next("dd").get_text()
        for li in page.select("ol.steps > li")
    }
    assert steps["QC vetting"] == "QC Lead"
    assert steps["State Monitor hand-off"] == "State Monitor; QC Lead"
    assert steps["Supervisors"] == "Supervisor of the case's team"
    assert "lead delivery task" in steps["Leads sent as soon as they are created"]


@pytest.mark.parametrize("model", MODELS.values())
def test_arrows_go_down_unless_they_close_a_loop(model):
    layout = Layout(Machine.of(model))
    assert layout.rows[0] == [layout.machine.initial]
    for s, t in layout.pairs:
        if layout.rank[t] <= layout.rank[s]:
            assert Layout._reaches(layout.following, t, s), (s, t)


def test_it_draws_any_machine_as_well_formed_svg_with_loops_and_wildcards():
    class T:  # a transition as django-fsm-2 stores it
        def __init__(self, name, source, target):
            self.name, self.source, self.target, self.custom = name, source, target, {}

    from tracker.state_diagram import arrows

    states = ["a", "b", "c"]
    assert arrows(T("cancel", "*", "c"), states) == [("a", "c"), ("b", "c"), ("c", "c")]
    assert arrows(T("move", "+", "c"), states) == [("a", "c"), ("b", "c")]
    assert arrows(T("touch", "b", None), states) == [("b", "b")]
    machine = Machine(
        states=[("a", "A <first>"), ("b", "B & co"), ("c", "C")],
        initial="a",
        edges=[
            Edge("a", "b", "go", "go"),
            Edge("b", "a", "back", "back"),
            Edge("b", "b", "stay", "stay"),
            Edge("b", "c", "end", "end"),
        ],
    )
    root = ET.fromstring(svg(machine, title="T", description="D", id_prefix="t"))
    ns = {"s": "http://www.w3.org/2000/svg"}
    assert {g.get("data-transitions") for g in root.findall(".//s:g[@class='edge']", ns)} == {
        "go",
        "back",
        "stay",
        "end",
    }
    assert "A <first>" in "".join(root.itertext())


def test_the_page_costs_a_handful_of_queries(client, csr, django_assert_max_num_queries):
    client.force_login(csr)
    client.get("/how-it-works/")  # the diagrams are drawn once per process
    with django_assert_max_num_queries(6):
        assert client.get("/how-it-works/").status_code == 200
