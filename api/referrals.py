"""/api/v1/referrals: the PAL representative's "New referral" for a CRM, and reading referrals.

Create runs the page's own steps (referrals/views/referrals.referral_new): the intake form
validates the answers (consent included), the seed's rule picks the assister type, routing
(referrals/routing.route) offers the organizations and pre-selects one, the duplicate warning
asks for a reason, and referrals/services.referral_create sends the lead. Reading is scoped by
referrals_visible_to, as the list and the referral page are."""

from typing import Literal

from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404
from ninja import Field, Path, Query, Router, Schema, Status

from referrals import permissions, services
from referrals.duplicates import mark_visible, recent_referrals_to
from referrals.forms import DuplicateReasonForm, ReferralForm
from referrals.languages import LANGUAGES
from referrals.models import County, Referral
from referrals.permissions import referrals_visible_to
from referrals.routing import route
from referrals.rules import Determination, assister_type_for
from tracker import limits

from .cursors import decode_cursor, encode_cursor
from .errors import refused
from .referral_common import (
    ERRORS,
    ID_MAX,
    Errors,
    ReferralOut,
    may_read_referrals,
    referral_out,
    require,
)

router = Router(tags=["referrals"])

_COUNTY_MAX = County._meta.get_field("name").max_length
_LANGUAGE_MAX = Referral._meta.get_field("language").max_length
LIST_MAX = 200


class ReferralIn(Schema):
    """The intake form's questions (ReferralForm), with its bounds."""

    consumer_name: str = Field(max_length=limits.NAME)
    phone: str = Field(max_length=limits.PHONE)
    email: str = Field("", max_length=limits.EMAIL)
    county: str = Field(max_length=_COUNTY_MAX, description="The county's name, e.g. Hennepin.")
    language: str = Field(
        "English", max_length=_LANGUAGE_MAX, description="One of: " + ", ".join(LANGUAGES)
    )
    has_active_account: bool
    has_active_application: bool
    determinations: list[Literal[tuple(Determination.values)]] = Field(
        min_length=1, max_length=len(Determination.values)
    )
    reason_for_help: str = Field(max_length=limits.REASON)
    guidance_given: str = Field(max_length=limits.NOTE)
    consent: bool
    organization: int | None = Field(
        None,
        ge=1,
        le=ID_MAX,
        description="One of the offered organizations; empty: routing's pick.",
    )
    duplicate_reason: str = Field(
        "",
        max_length=limits.REASON,
        description="Required when the phone or email was referred in the last 30 days.",
    )


class OfferedOrganization(Schema):
    id: int
    name: str
    open_leads: int
    max_open_leads: int | None
    has_room: bool
    speaks_language: bool


class RoutingOut(Schema):
    assister_type: str
    type_reason: str
    organization: OfferedOrganization
    offered: list[OfferedOrganization]
    explanation: list[str]


class CreatedOut(Schema):
    referral: ReferralOut
    routing: RoutingOut


class Duplicate(Schema):
    id: int | None = Field(description="Only when the caller may open that referral.")
    number: str
    created_at: str
    organization: str
    state: str


class DuplicateErrors(Errors):
    duplicates: list[Duplicate] = []


def _offered(organization) -> dict:
    return {
        "id": organization.pk,
        "name": organization.name,
        "open_leads": organization.open_leads,
        "max_open_leads": organization.max_open_leads,
        "has_room": organization.has_room,
        "speaks_language": organization.speaks,
    }


def _form_data(payload: ReferralIn) -> dict:
    """The answers as the intake form receives them from the page."""
    name = payload.county.strip()
    # PostgreSQL refuses a NUL in a query's text; no county has one.
    county = County.objects.filter(name__iexact=name).first() if "\x00" not in name else None
    yes_no = {True: "yes", False: "no"}
    return {
        "consumer_name": payload.consumer_name,
        "phone": payload.phone,
        "email": payload.email,
        # An unknown name goes to the form as it is: its "Select a valid choice" names county.
        "county": county.pk if county else payload.county,
        "language": payload.language,
        "has_active_account": yes_no[payload.has_active_account],
        "has_active_application": yes_no[payload.has_active_application],
        "determinations": list(payload.determinations),
        "reason_for_help": payload.reason_for_help,
        "guidance_given": payload.guidance_given,
        "consent": yes_no[payload.consent],
    }


@router.post(
    "",
    response={201: CreatedOut, 409: DuplicateErrors, **ERRORS},
    summary="Refer a consumer to an assister organization (the New referral page)",
)
def referral_create(request, payload: ReferralIn):
    user = request.auth
    require(permissions.can_create_referral, user)
    form = ReferralForm(_form_data(payload))
    reason_form = DuplicateReasonForm({"duplicate_reason": payload.duplicate_reason})
    if not form.is_valid() or not reason_form.is_valid():
        raise ValidationError({**form.errors.as_data(), **reason_form.errors.as_data()})
    referral = form.instance
    decision = assister_type_for(
        has_application=referral.has_active_application, determinations=referral.determinations
    )
    county, language = form.cleaned_data["county"], form.cleaned_data["language"]
    routing = route(assister_type=decision.assister_type, county=county, language=language)
    if not routing.organizations:
        # The page keeps the need for the coverage-gap report; so does the API.
        services.record_unmet_request(
            county=county, assister_type=decision.assister_type, language=language, by=user
        )
        return refused(
            422,
            "no_organization",
            f"No {decision.assister_type.label.lower()} serves {county} County and takes new "
            "leads today: give the consumer the assister directory. "
            + " ".join(routing.explanation),
            field="county",
        )
    offered = {organization.pk: organization for organization in routing.organizations}
    if payload.organization is None:
        organization = routing.pick
    elif payload.organization in offered:
        organization = offered[payload.organization]
    else:
        return refused(
            422,
            "not_offered",
            "This organization is not offered for this consumer (type, county, status or "
            f"pause): choose one of {sorted(offered)}.",
            field="organization",
        )
    duplicates = mark_visible(recent_referrals_to(phone=referral.phone, email=referral.email), user)
    reason = reason_form.cleaned_data["duplicate_reason"].strip()
    if duplicates and not reason:
        answer = refused(
            409,
            "duplicate",
            "This consumer was referred in the last 30 days: say why you refer them again, or "
            "open the earlier referral instead.",
            field="duplicate_reason",
        )
        answer.value["duplicates"] = [
            {
                "id": earlier.pk if earlier.visible else None,
                "number": earlier.number,
                "created_at": earlier.created_at.isoformat(),
                "organization": earlier.organization.name,
                "state": earlier.get_state_display(),
            }
            for earlier in duplicates
        ]
        return answer
    referral = services.referral_create(
        referral=referral, organization=organization, by=user, duplicate_reason=reason
    )
    referral = Referral.objects.select_related("county", "organization").get(pk=referral.pk)
    return Status(
        201,
        {
            "referral": referral_out(referral),
            "routing": {
                "assister_type": decision.assister_type,
                "type_reason": decision.reason,
                "organization": _offered(organization),
                "offered": [_offered(org) for org in routing.organizations],
                "explanation": routing.explanation,
            },
        },
    )


class ReferralPage(Schema):
    items: list[ReferralOut]
    next_cursor: str | None = Field(
        description="Pass as cursor for the next page; null when this page was the last."
    )


class ReferralListQuery(Schema):
    cursor: str | None = Field(None, max_length=80)
    limit: int = Field(50, ge=1, le=LIST_MAX)


@router.get(
    "",
    response={200: ReferralPage, **ERRORS},
    summary="The referrals the caller may see, oldest first, a page at a time",
)
def referral_list(request, query: Query[ReferralListQuery]):
    user = request.auth
    require(may_read_referrals, user)
    queryset = referrals_visible_to(user).select_related("county", "organization")
    if query.cursor:
        (after,) = decode_cursor(query.cursor, 1)
        queryset = queryset.filter(pk__gt=after)
    # One more than the page tells whether another page follows, without a count.
    rows = list(queryset.order_by("pk")[: query.limit + 1])
    page = rows[: query.limit]
    more = len(rows) > query.limit
    return {
        "items": [referral_out(referral) for referral in page],
        "next_cursor": encode_cursor(page[-1].pk) if more else None,
    }


@router.get(
    "/{referral_id}",
    response={200: ReferralOut, **ERRORS},
    summary="One referral, if the caller may see it (404 otherwise)",
)
def referral_read(request, referral_id: int = Path(..., ge=1, le=ID_MAX)):
    user = request.auth
    require(may_read_referrals, user)
    queryset = referrals_visible_to(user).select_related("county", "organization")
    return referral_out(get_object_or_404(queryset, pk=referral_id))
