"""Routing (DESIGN.md "PAL referrals", issue 14): which organizations may get a lead, in which
order, and why the first one was picked.

Offered: active organizations of the needed type serving the county and taking new leads today
(a paused organization is never offered: seed, "unable to accept any new leads"). Order:

1. has room (fewer open leads than its maximum, or no maximum): the organization's own word on
   what it can take, which the seed's "capacity to complete appointments within two weeks" rests on;
2. speaks the consumer's preferred language;
3. fewest open leads, then name.

A full organization, or one without the language, is still offered (last): the rep or coordinator
may know better, and a county with one organization must not become a gap for it."""

from dataclasses import dataclass, field

from django.db.models import BooleanField as BooleanOutput
from django.db.models import Case, Count, Exists, F, OuterRef, Q, Value, When
from django.utils import timezone

from .models import AssisterOrganization, paused_q
from .states import OPEN


def eligible_organizations(*, assister_type: str, county, language: str = "", today=None):
    """The organizations that may get a lead of `assister_type` in `county`, best first (see the
    module's docstring), annotated with `open_leads`, `has_room` and `speaks` (the language)."""
    today = today or timezone.localdate()
    if language:
        speaks = Exists(
            AssisterOrganization.languages.through.objects.filter(
                assisterorganization=OuterRef("pk"), language__name=language
            )
        )
    else:
        speaks = Value(False)
    return (
        AssisterOrganization.objects.filter(
            status=AssisterOrganization.Status.ACTIVE, kind=assister_type, counties=county
        )
        .exclude(paused_q(today))
        .annotate(
            open_leads=Count("referrals", filter=Q(referrals__state__in=OPEN)),
            speaks=speaks,
        )
        .annotate(
            has_room=Case(
                When(max_open_leads__isnull=True, then=Value(True)),
                When(open_leads__lt=F("max_open_leads"), then=Value(True)),
                default=Value(False),
                output_field=BooleanOutput(),
            )
        )
        .order_by("-has_room", "-speaks", "open_leads", "name")
    )


def default_organization(*, assister_type: str, county, language: str = ""):
    return eligible_organizations(
        assister_type=assister_type, county=county, language=language
    ).first()


def paused_organizations(*, assister_type: str, county, today=None):
    """Active organizations of the type serving the county that are paused today: named, with
    their reason, so the rep knows why they are not offered."""
    today = today or timezone.localdate()
    return AssisterOrganization.objects.filter(
        paused_q(today),
        status=AssisterOrganization.Status.ACTIVE,
        kind=assister_type,
        counties=county,
    ).order_by("name")


def describe(organization, language: str = "") -> str:
    """One organization as a choice: its open leads against its maximum, and the language."""
    leads = organization.open_leads
    text = f"{organization.name} · {leads} open lead{'s' if leads != 1 else ''}"
    if organization.max_open_leads is not None:
        text += f" of at most {organization.max_open_leads}"
        if not organization.has_room:
            text += " (full)"
    if language:
        text += f" · speaks {language}" if organization.speaks else f" · no {language}"
    return text


@dataclass
class Routing:
    """The offered organizations (best first), the pick, and the pick explained in words."""

    organizations: list
    language: str
    paused: list = field(default_factory=list)
    queryset: object = None  # the same organizations, for a form's ModelChoiceField

    @property
    def pick(self):
        return self.organizations[0] if self.organizations else None

    @property
    def explanation(self) -> list[str]:
        lines = []
        pick, language = self.pick, self.language
        if pick is not None:
            why = []
            if any(org.speaks for org in self.organizations):
                if pick.speaks:
                    why.append(f"speaks {language}")
                else:
                    # Only when every organization with the language is full.
                    why.append(f"has room, unlike every organization that speaks {language}")
            if pick.max_open_leads is not None:
                why.append(
                    f"{pick.open_leads} open lead(s) of at most {pick.max_open_leads}"
                    + ("" if pick.has_room else ": full")
                )
            else:
                why.append(f"{pick.open_leads} open lead(s), no maximum")
            lines.append(f"Pre-selected {pick.name}: " + "; ".join(why) + ".")
            if not any(org.has_room for org in self.organizations):
                lines.append(
                    "Every organization here is at its maximum of open leads: the one with the "
                    "fewest is pre-selected."
                )
            if language and not any(org.speaks for org in self.organizations):
                lines.append(
                    f"No organization here lists {language} among its languages: chosen by room "
                    "and open leads alone. Tell the assister the consumer's language."
                )
        for org in self.paused:
            until = f" until {org.paused_until:%m/%d/%Y}" if org.paused_until else " until resumed"
            lines.append(f"Not offered: {org.name} takes no new leads{until} ({org.pause_reason}).")
        return lines


def route(*, assister_type: str, county, language: str = "") -> Routing:
    """Routing for a new lead: the offered organizations, the pick and why (referral form)."""
    from .languages import SERVED_LANGUAGES

    # "Other" (or anything outside the vocabulary) names no language an organization lists.
    matchable = language if language in SERVED_LANGUAGES else ""
    queryset = eligible_organizations(
        assister_type=assister_type, county=county, language=matchable
    )
    return Routing(
        organizations=list(queryset),
        language=matchable,
        paused=list(paused_organizations(assister_type=assister_type, county=county)),
        queryset=queryset,
    )
