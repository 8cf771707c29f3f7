"""Carry what a CSR typed on an Angela Melody form into a For Cause Reason form (issue 13).

A request outside the termination's enrollment window is processed under the For Cause Reason
guidelines (rules.validate_case says so). The consumer is on the phone: the CSR should not retype
the participants, the new MCO and the notes. Nothing is saved here; the values become the new
form's initial data, each cut to its field's bound, and the CSR chooses the reason and logs it.
"""

from tracker import limits

from .models import CONTACT_FIELDS, Case, Mco, ProviderTermination

# A case rarely has more than a household; the intake formset allows up to its max_num, but a
# crafted request must not make us render thousands of rows.
MAX_CARRIED_PARTICIPANTS = 50
PARTICIPANT_FIELDS = {"name": limits.NAME, "ma_number": 20, "ssn": 20}


def _pk(value) -> int | None:
    value = (value or "").strip()
    return int(value) if value.isdigit() and len(value) < 10 else None


def _participants(data) -> list[dict]:
    total = _pk(data.get("participants-TOTAL_FORMS")) or 0
    people = []
    for i in range(min(total, MAX_CARRIED_PARTICIPANTS)):
        prefix = f"participants-{i}-"
        if data.get(f"{prefix}DELETE"):
            continue
        person = {
            name: (data.get(prefix + name) or "").strip()[:bound]
            for name, bound in PARTICIPANT_FIELDS.items()
        }
        if any(person.values()):
            people.append(person)
    return people


def for_cause_initial(data) -> tuple[dict, list[dict]]:
    """(For Cause Reason form initial, participants formset initial) from an Angela Melody POST."""
    initial = {
        name: data[name]
        for name in ("issues_resolved", "supervisor_requested")
        if data.get(name) in ("yes", "no")
    }
    for name in CONTACT_FIELDS:
        bound = Case._meta.get_field(name).max_length
        if data.get(name):
            initial[name] = data[name].strip()[:bound]
    mco = _pk(data.get("target_mco"))
    if mco is not None and Mco.objects.filter(pk=mco, active=True).exists():
        initial["target_mco"] = mco
    notes = (data.get("notes") or "").strip()
    termination_pk = _pk(data.get("provider_termination"))
    termination = (
        ProviderTermination.objects.select_related("mco").filter(pk=termination_pk).first()
        if termination_pk is not None
        else None
    )
    if termination is not None:
        about = f"Angela Melody request outside the enrollment window: {termination}."
        notes = f"{about}\n{notes}" if notes else about
    initial["notes"] = notes[: limits.NOTE]
    return initial, _participants(data)
