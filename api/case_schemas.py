"""The cases endpoints' request and response schemas (api/cases.py). Every bound is taken from
the model or tracker.limits, declared once."""

from datetime import date, datetime
from typing import Literal

from ninja import Field, Schema

from cases.actions import ACTIONS
from cases.forms import MAX_ID
from cases.models import (
    AngelaMelodyOutcome,
    Case,
    ErredBy,
    ForCauseReason,
    Kind,
    OutreachAttempt,
    Participant,
)
from cases.states import State
from tracker import limits

from .cursors import CURSOR_MAX
from .schemas import Error

# One intake rarely names more than a household; the page's formset has no lower bound that
# an API body should be allowed to reach.
MAX_PARTICIPANTS = 20
PAGE_SIZE, MAX_PAGE_SIZE = 50, 100


def _max_length(model, name):
    return model._meta.get_field(name).max_length


def _choices(enum):
    return Literal[tuple(enum.values)]


# ---- schemas -----------------------------------------------------------------------------------


class Taxonomy(Schema):
    record_type: str
    category: str
    sub_category: str
    disposition: str
    child_disposition: str
    status: str
    owner_queue: str


class CaseRow(Schema):
    id: int
    number: str
    kind: str
    state: str
    state_label: str
    created_at: datetime
    csr: str
    team: str | None
    mco: str | None
    taxonomy: Taxonomy | None


class CasePage(Schema):
    items: list[CaseRow]
    next_cursor: str | None = Field(
        description="Pass as `cursor` for the next page; null on the last page."
    )


class ParticipantOut(Schema):
    name: str
    ma_number: str
    ssn: str = Field(description="Masked (***-**-1234) unless the caller may see full SSNs.")


class Change(Schema):
    label: str
    old: str
    new: str


class TimelineEntry(Schema):
    at: datetime
    kind: str
    title: str
    what: str
    by: str | None
    source: str
    detail: str
    changes: list[Change]


class CaseDetail(CaseRow):
    ssn_full: bool
    participants: list[ParticipantOut]
    documentation_line: str
    consumer_phone: str
    best_time_to_call: str
    consumer_email: str
    notes: str
    duplicate_reason: str
    mmis_date: date | None
    mmis_reference: str
    returned_count: int
    actions: list[str] = Field(description="The transitions the caller may take now.")
    timeline: list[TimelineEntry]


class ParticipantIn(Schema):
    name: str = Field(min_length=1, max_length=_max_length(Participant, "name"))
    ma_number: str = Field(min_length=1, max_length=20)  # ParticipantForm's bound
    ssn: str = Field(min_length=1, max_length=20)


class CaseIn(Schema):
    """The intake form of `kind`; fields another kind's form asks for are ignored. When an open
    case already holds one of the MA numbers, the API answers 409 (rule `duplicate`) with
    those cases, as the page warns; send the request again with `duplicate_reason` to log it
    anyway (the page's "why log another case" box: the reason is kept on the case)."""

    kind: _choices(Kind)
    participants: list[ParticipantIn] = Field(min_length=1, max_length=MAX_PARTICIPANTS)
    provider_termination: int | None = Field(None, ge=1, le=MAX_ID)
    angela_melody_outcome: _choices(AngelaMelodyOutcome) | None = None
    target_mco: int | None = Field(None, ge=1, le=MAX_ID)
    new_provider_name: str = Field("", max_length=_max_length(Case, "new_provider_name"))
    for_cause_reason: _choices(ForCauseReason) | None = None
    erred_by: _choices(ErredBy) | None = None
    auto_assigned: bool = False
    consumer_phone: str = Field("", max_length=_max_length(Case, "consumer_phone"))
    best_time_to_call: str = Field("", max_length=_max_length(Case, "best_time_to_call"))
    consumer_email: str = Field("", max_length=_max_length(Case, "consumer_email"))
    issues_resolved: bool = False
    supervisor_requested: bool = False
    notes: str = Field("", max_length=limits.NOTE)
    duplicate_reason: str = Field("", max_length=limits.REASON)


class Duplicate(Schema):
    number: str
    state: str
    created_at: datetime
    visible: bool = Field(description="Whether the caller may open it (GET /cases/{id}).")
    id: int | None = Field(description="Only when `visible`.")


class DuplicateWarning(Schema):
    errors: list[Error]
    duplicates: list[Duplicate]


class Filters(Schema):
    """The work lists' filters (cases.filters); ids as numbers."""

    kind: _choices(Kind) | None = None
    state: _choices(State) | None = None
    created_after: date | None = None
    created_before: date | None = None
    older_than: int | None = Field(None, ge=0, le=limits.AGE_FILTER_MAX_BUSINESS_DAYS)
    csr: int | None = Field(None, ge=1, le=MAX_ID)
    team: int | None = Field(None, ge=1, le=MAX_ID)
    target_mco: int | None = Field(None, ge=1, le=MAX_ID)
    cursor: str | None = Field(None, max_length=CURSOR_MAX)
    limit: int = Field(PAGE_SIZE, ge=1, le=MAX_PAGE_SIZE)


class TransitionIn(Schema):
    """`action` and the fields of its form on the case page (cases.forms)."""

    action: Literal[tuple(ACTIONS)]
    note: str = Field("", max_length=limits.NOTE)
    reason: str = Field("", max_length=limits.REASON)
    mmis_date: date | None = None
    mmis_reference: str = Field("", max_length=_max_length(Case, "mmis_reference"))
    made_on: date | None = None
    method: _choices(OutreachAttempt.Method) | None = None
    reached: bool | None = None
