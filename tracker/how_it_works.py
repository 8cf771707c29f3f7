"""The "How it works" page (issue 16, part 2): each workflow's state diagram drawn from its
model's transitions (tracker/state_diagram.py), the same transitions as a table, and the seed's
procedure steps with who acts at each. Nothing here restates a transition: sources, targets and
names come from django-fsm-2; who may take a step is named once per permission rule below, and
tests/tracker/test_how_it_works.py fails when a transition or a rule is missing here.
"""

from dataclasses import dataclass
from functools import cache

from django.shortcuts import render

from cases import permissions as case_rules
from referrals import permissions as referral_rules

from .state_diagram import Machine, arrows, human_name, svg, transitions_of

# Who passes each permission rule (the functions in cases/ and referrals/permissions.py that
# the transitions name as `permission=`). None: a transition nobody takes by hand.
WHO = {
    case_rules.can_log: "CSR who logged the case",
    case_rules.can_vet: "QC Lead",
    case_rules.can_process: "State Monitor",
    case_rules.can_record_outreach: "Supervisor of the case's team",
    case_rules.can_withdraw: "CSR who logged it or their Supervisor until QC vets it; QC Lead "
    "after",
    referral_rules.can_submit: "PAL Representative who made the referral",
    referral_rules.can_resend: "PAL Coordinator",
    referral_rules.can_reassign: "PAL Coordinator",
    referral_rules.can_withdraw: "PAL Coordinator, or the PAL Representative who made it",
    referral_rules.can_respond: "Assister of the organization holding the lead",
    referral_rules.can_report_outcome: "Assister of the organization holding the lead, or a PAL "
    "Coordinator",
    None: "The app: the lead delivery task, when the mail server answers",
}


def who_takes(transition) -> str:
    return WHO.get(transition.permission, "")


@dataclass(frozen=True)
class Step:
    title: str
    seed: str  # the seed's own words for this step
    transitions: tuple[str, ...]


@dataclass(frozen=True)
class Workflow:
    slug: str
    title: str
    model_path: str
    source: str  # which seed the steps quote
    steps: tuple[Step, ...]

    @property
    def model(self):
        from django.apps import apps

        return apps.get_model(self.model_path)


WORKFLOWS = (
    Workflow(
        slug="case",
        title="MCO Manual Tracker case",
        model_path="cases.Case",
        source="MCO Manual Tracker Procedure",
        steps=(
            Step(
                "CSR Salesforce processing",
                "Angela Melody: Question Answered or MCO Updated. "
                "“To be used for all manual reasons except Angela Melody”: Plan Selected in "
                "Error, status Escalated.",
                ("log",),
            ),
            Step(
                "QC vetting",
                "Once the case has been fully vetted and is determined to be a “true” tracker "
                "case, the QC Team Lead will update the taxonomy. If the case is not a “true” "
                "tracker case the case will be relabeled and sent back to the Supervisor for "
                "Consumer outreach.",
                ("vet_true", "vet_false"),
            ),
            Step(
                "State Monitor hand-off",
                "Upon receipt of the cases the State Monitors will take the appropriate actions "
                "in MMIS. If a case cannot be processed by the State Monitors the spreadsheet "
                "will be updated and sent back to the QC Team for Supervisor notification and "
                "outreach.",
                ("mark_processed", "return_unprocessed", "require_outreach"),
            ),
            Step(
                "Supervisors",
                "Each Supervisor will be responsible for ensuring outreach has occurred on "
                "their cases escalated in error. They will be responsible for two (2) outreach "
                "attempts, updating CRM documentation and CRM Taxonomy.",
                ("record_attempt",),
            ),
            Step(
                "A case logged in error (our addition)",
                "Not in the seed: a case logged by mistake is withdrawn with a reason, and "
                "leaves every work list (docs/states.md).",
                ("withdraw",),
            ),
        ),
    ),
    Workflow(
        slug="referral",
        title="PAL referral",
        model_path="referrals.Referral",
        source="PAL Referrals, OE5",
        steps=(
            Step(
                "Referral emails",
                "Representative will identify the appropriate assister type. Did the consumer "
                "consent to have their information sent to an assister?",
                ("submit",),
            ),
            Step(
                "Leads sent as soon as they are created",
                "Leads are sent to the Preferred Assister as soon as they are created – no more "
                "delays!",
                ("mark_sent", "mark_failed", "resend"),
            ),
            Step(
                "The assister contacts the consumer",
                "Contact a consumer as soon as possible, but no later than within one to two "
                "business days. Have the capacity to complete appointments within two weeks.",
                ("accept", "decline", "record_contact"),
            ),
            Step(
                "Reporting",
                "Each organization is required to report back to MNsure what happened to each "
                "referral that is sent to them.",
                ("report_outcome",),
            ),
            Step(
                "A single point of contact at MNsure",
                "Created a single point of contact at MNsure so that preferred assister issues "
                "can be resolved quickly.",
                ("reassign", "withdraw"),
            ),
        ),
    ),
)


@dataclass(frozen=True)
class Row:
    action: str
    sources: list[str]
    targets: list[str]
    who: str


def rows(workflow: Workflow) -> list[Row]:
    """The table beside the diagram: one row per transition, in the model's order."""
    model = workflow.model
    machine = Machine.of(model)
    values = [value for value, _label in machine.states]
    by_name: dict[str, list] = {}
    for transition in transitions_of(model):
        by_name.setdefault(transition.name, []).append(transition)
    # In the order of the procedure's steps, as the page reads.
    order = [name for step in workflow.steps for name in step.transitions]
    table = []
    for _name, declared in sorted(
        by_name.items(), key=lambda item: order.index(item[0]) if item[0] in order else len(order)
    ):
        sources, targets = set(), set()
        for transition in declared:
            for source, target in arrows(transition, values):
                sources.add(source)
                targets.add(target)
        table.append(
            Row(
                action=human_name(declared[0]).capitalize(),
                sources=[machine.label_of(v) for v in values if v in sources],
                targets=[machine.label_of(v) for v in values if v in targets],
                who=who_takes(declared[0]),
            )
        )
    return table


@cache
def diagram(slug: str) -> str:
    """The workflow's SVG, drawn once per process: transitions only change with the code."""
    workflow = next(w for w in WORKFLOWS if w.slug == slug)
    return svg(
        Machine.of(workflow.model),
        title=f"{workflow.title}: states and transitions",
        description=(
            "Each box is a state, each arrow a step that moves the record, labelled with its "
            "name. The table below says the same in words."
        ),
        id_prefix=f"{slug}-diagram",
    )


def steps(workflow: Workflow) -> list[dict]:
    by_name = {t.name: t for t in transitions_of(workflow.model)}
    return [
        {
            "title": step.title,
            "seed": step.seed,
            "actions": [human_name(by_name[name]) for name in step.transitions],
            "who": list(dict.fromkeys(who_takes(by_name[name]) for name in step.transitions)),
        }
        for step in workflow.steps
    ]


def how_it_works(request):
    """Every signed-in role: how a case and a referral move, and who moves them."""
    sections = [
        {
            "workflow": workflow,
            "svg": diagram(workflow.slug),
            "rows": rows(workflow),
            "steps": steps(workflow),
        }
        for workflow in WORKFLOWS
    ]
    return render(request, "tracker/how_it_works.html", {"sections": sections})
