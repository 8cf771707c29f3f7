"""Field history of cases and participants on the case timeline (docs/decisions/0002).

Participants' SSNs never enter the history tables: the historical row keeps the masked form
(through `Participant.ssn_masked`, so it works whatever field type holds the SSN) and whether
the SSN changed, which the timeline shows as "***-**-6789 → ***-**-4321".
"""

from django.db.models.signals import pre_save
from django.dispatch import receiver
from simple_history.signals import pre_create_historical_record

from tracker.history import Change, HistorySpec, as_timeline, entries

from .models import Case, Participant
from .validators import normalize_digits

# Reason on the history rows written while a CSR logs the case: those participants are part of
# the logging, not later additions.
LOGGED = "logged"
# Reason on the rows a correction writes (services.case_correct): the timeline says "corrected".
CORRECTED = "corrected"


@receiver(pre_save, sender=Participant, dispatch_uid="cases.history.ssn_changed")
def _note_ssn_change(sender, instance, raw=False, **kwargs):
    """Remember whether this save changes the SSN (one query, on updates only)."""
    if raw or instance.pk is None or instance._state.adding:
        instance._ssn_changed = False
        return
    old = Participant.objects.filter(pk=instance.pk).values_list("ssn", flat=True).first()
    instance._ssn_changed = old is not None and normalize_digits(old) != normalize_digits(
        instance.ssn
    )


@receiver(pre_create_historical_record, dispatch_uid="cases.history.mask_ssn")
def _mask_ssn(sender, instance, history_instance, **kwargs):
    if not isinstance(instance, Participant):
        return
    history_instance.ssn_masked = instance.ssn_masked
    history_instance.ssn_changed = getattr(instance, "_ssn_changed", False)
    instance.__dict__.pop("_ssn_changed", None)


def _ssn_change(before, row):
    if not row.ssn_changed:
        return None
    return Change("SSN", before.ssn_masked or "—", row.ssn_masked or "—")


# `withdrawn_from` is set by the withdraw transition, whose entry already says "from <state>".
CASE_HISTORY = HistorySpec(model=Case, hidden=("withdrawn_from",), labels={"target_mco": "MCO"})
PARTICIPANT_HISTORY = HistorySpec(
    model=Participant, hidden=("case",), custom={"ssn_masked": _ssn_change}
)


def case_history(case) -> list[dict]:
    """The case's and its participants' recorded edits, as timeline entries (two queries, plus
    one per kind of related record named in a change)."""
    by_case = entries(CASE_HISTORY, Case.history.filter(id=case.pk).select_related("history_user"))
    people = entries(
        PARTICIPANT_HISTORY,
        Participant.history.filter(case_id=case.pk).select_related("history_user"),
    )
    timeline = []
    for entry in by_case:
        if entry.kind != "~":
            continue  # creation is the "log" transition's entry
        corrected = entry.reason == CORRECTED
        timeline.append(as_timeline(entry, "Case corrected" if corrected else "Case edited"))
    for entry in people:
        row = entry.record
        who = f"{row.name} (SSN {row.ssn_masked})"
        if entry.kind == "+":
            if entry.reason == LOGGED:
                continue
            timeline.append(as_timeline(entry, f"Participant added: {who}"))
        elif entry.kind == "-":
            timeline.append(as_timeline(entry, f"Participant removed: {who}"))
        else:
            verb = "corrected" if entry.reason == CORRECTED else "edited"
            timeline.append(as_timeline(entry, f"Participant {row.name} {verb}"))
    return timeline
