"""The seed's "Representative will identify the appropriate assister type", as one pure function.

- No application → preferred navigator.
- Public program determination (Medical Assistance, MinnesotaCare) → preferred navigator.
- QHP determination → preferred broker.

Where the seed is silent we decided (and say so to the rep):
- A mixed household (a public program AND a QHP determination) goes to a navigator: navigators can
  help with both, brokers cannot enrol anyone in a public program.
- An application with no determination yet goes to a navigator, who helps finish applications.
"""

from dataclasses import dataclass

from django.db import models


class AssisterType(models.TextChoices):
    NAVIGATOR = "navigator", "Navigator grantee"
    BROKER = "broker", "Broker enrollment center"


class Determination(models.TextChoices):
    NONE = "none", "None"
    MA = "ma", "Medical Assistance"
    MINNESOTACARE = "mncare", "MinnesotaCare"
    QHP = "qhp", "QHP"


PUBLIC_PROGRAMS = frozenset({Determination.MA, Determination.MINNESOTACARE})


@dataclass(frozen=True)
class TypeDecision:
    assister_type: AssisterType
    reason: str


def assister_type_for(*, has_application: bool, determinations) -> TypeDecision:
    """Which kind of preferred assister this consumer needs, and why (in the seed's words)."""
    chosen = {Determination(d) for d in determinations} - {Determination.NONE}
    if not has_application:
        return TypeDecision(
            AssisterType.NAVIGATOR, "No application – refer to a preferred navigator."
        )
    public = chosen & PUBLIC_PROGRAMS
    if public:
        names = " and ".join(sorted(d.label for d in public))
        extra = (
            " (the household also has a QHP determination)" if Determination.QHP in chosen else ""
        )
        return TypeDecision(
            AssisterType.NAVIGATOR,
            f"Public program determination ({names}){extra} – refer to a preferred navigator.",
        )
    if Determination.QHP in chosen:
        return TypeDecision(AssisterType.BROKER, "QHP determination – refer to a preferred broker.")
    return TypeDecision(
        AssisterType.NAVIGATOR,
        "Application without a determination yet – refer to a preferred navigator.",
    )
