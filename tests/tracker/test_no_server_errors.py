"""Property-based hunts for the next 500 (issue 11): any query string on every list page, and any
text (any unicode, up to 1 MB) in any field of every form, gets an answer — never a server error.

Example counts are bounded so the suite stays quick; each form post runs in a savepoint that is
rolled back, so every example starts from the same records.
"""

from urllib.parse import urlencode

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

HUNT = settings(
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Any unicode a browser can send (no lone surrogates: they cannot be encoded at all).
any_text = st.text(st.characters(exclude_categories=["Cs"]), max_size=40)
numbers = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    st.sampled_from(["1e400", "NaN", "-0", "inf", "٣", "²", "0x10", " 1", "9" * 5000]),
)
values = st.one_of(
    any_text,
    numbers,
    st.sampled_from(["", "true", "false", "all", "2017-13-45"]),
    # The MCO dashboard's period: a chosen range, and dates at the ends of the calendar.
    st.sampled_from(["range", "week", "quarter", "2026-11-02", "0001-01-01", "9999-12-31"]),
)
# The parameters the lists read, and anything else.
names = st.one_of(
    st.sampled_from(
        [
            "older_than",
            "page",
            "per_page",
            "sort",
            "kind",
            "state",
            "csr",
            "team",
            "target_mco",
            "created_after",
            "created_before",
            "organization",
            "county",
            "assister_type",
            "overdue",
            "status",
            "period",
            "since",
            "start",
            "end",
        ]
    ),
    any_text,
)
query_strings = st.lists(st.tuples(names, values), max_size=6).map(urlencode)

LISTS = [
    ("qc_lead", "cases:qc_queue"),
    ("qc_lead", "reports:qc_report"),
    ("qc_lead", "reports:qc_report_export"),
    ("monitor", "cases:monitor_list"),
    ("monitor", "reports:handoff"),
    ("monitor", "reports:uploads"),
    ("supervisor", "cases:outreach"),
    ("csr", "cases:mine"),
    ("pal_rep", "referrals:list"),
    ("pal_coordinator", "referrals:list"),
    ("pal_coordinator", "referrals:organizations"),
    ("pal_coordinator", "referrals:requests"),
    ("pal_coordinator", "referrals:unmet"),
    ("pal_coordinator", "reports:performance"),
    ("pal_coordinator", "reports:performance_export"),
    ("pal_coordinator", "reports:coverage"),
    ("qc_lead", "reports:mco_dashboard"),
    ("qc_lead", "reports:mco_dashboard_export"),
    ("supervisor", "reports:mco_dashboard"),
    ("pal_coordinator", "reports:assister_calendar"),
    ("pal_coordinator", "reports:assister_reports"),
    ("assister_user", "portal:home"),
    ("assister_user", "reports:assister_reports"),
    ("pal_coordinator", "referrals:threads"),
]


@pytest.mark.parametrize("role, url_name", LISTS)
def test_it_answers_any_query_string_on_a_list_with_200_or_400(
    client, request, log_case, role, url_name
):
    log_case()
    client.force_login(request.getfixturevalue(role))
    url = reverse(url_name)

    @HUNT
    @given(query=query_strings)
    def hunt(query):
        response = client.get(f"{url}?{query}")
        assert response.status_code in (200, 400), query

    hunt()


# ---- forms ------------------------------------------------------------------------------------


@st.composite
def big_text(draw):
    """Any unicode text up to 1 MB, built by repeating a drawn piece (drawing 1 MB is slow)."""
    piece = draw(st.text(st.characters(exclude_categories=["Cs"]), min_size=1, max_size=12))
    # Short text, text around the limits (1,000 and 2,000 characters), and a full megabyte.
    size = draw(st.one_of(st.integers(0, 300), st.integers(900, 2_100), st.just(1_000_000)))
    return (piece * (size // len(piece) + 1))[:size]


def _hostile(fields: dict):
    """The valid `fields`, with any of them replaced by any text."""
    return st.dictionaries(st.sampled_from(sorted(fields)), big_text(), max_size=3).map(
        lambda changed: {**fields, **changed}
    )


@pytest.fixture
def forms_world(
    log_case, qc_lead, monitor, supervisor, csr, mcos, make_org, make_referral, pal_coordinator,
    make_sent_referral, assister_user,
):  # fmt: skip
    """One record for every form to act on, and each form's valid answers (by URL)."""
    from cases import services
    from referrals import services as referral_services
    from referrals.models import County, OrganizationRequest

    escalated = log_case()
    true_case = services.case_vet_true(case=log_case(), by=qc_lead)
    outreach = services.case_vet_false(case=log_case(), by=qc_lead, reason="Not a case")
    org = make_org("Metro Brokers", kind="broker")
    make_org("Twin Cities Brokers", kind="broker")
    referral = make_referral(organization=org)
    logged = OrganizationRequest.objects.create(
        organization=org, kind="other", details="Question", logged_by=pal_coordinator
    )
    hennepin = County.objects.get(name="Hennepin").pk
    today = timezone.localdate().isoformat()
    # The assister portal's steps (issue 14): a new lead, and one whose contact is recorded.
    org.members.add(assister_user)
    new_lead = make_sent_referral(organization=org)
    in_progress = referral_services.referral_record_contact(
        referral=make_sent_referral(organization=org),
        by=assister_user,
        contact_date=timezone.localdate(),
    )

    def step(lead, name):
        return reverse("portal:lead_step", args=[lead.pk, name])

    # Issue 14's self-service: the assister's organization, a thread and a contact change.
    own = make_org("Lakes Navigators")
    own.members.add(assister_user)
    thread = referral_services.thread_start(
        organization=own, by=assister_user, subject="Question", body="Hello"
    )
    change = referral_services.contact_change_request(
        organization=own, by=assister_user, contact_name="Ana", lead_email="ana@example.org"
    )

    def transition(case, action):
        return reverse("cases:transition", args=[case.pk, action])

    people = {
        "participants-TOTAL_FORMS": "1",
        "participants-INITIAL_FORMS": "0",
        "participants-0-name": "Maria Lopez",
        "participants-0-ma_number": "10000000001",
        "participants-0-ssn": "123-45-6789",
        "issues_resolved": "no",
        "supervisor_requested": "no",
        "notes": "Called twice",
        "consumer_phone": "410-555-0142",
        "best_time_to_call": "Mornings",
        "consumer_email": "maria.lopez@example.org",
    }
    person = escalated.participants.get()
    return [
        ("csr", reverse("cases:intake", args=["mct_span"]), {
            **people, "target_mco": mcos["Priority Partners"].pk,
        }),
        ("csr", reverse("cases:intake", args=["for_cause"]), {
            **people, "for_cause_reason": "homeless", "target_mco": mcos["Priority Partners"].pk,
        }),
        ("qc_lead", transition(escalated, "vet_true"), {"note": "Checked"}),
        ("qc_lead", transition(escalated, "vet_false"), {"reason": "Not a case"}),
        ("qc_lead", reverse("cases:qc_bulk_vet"), {
            "selection": str(escalated.pk), "verdict": "false", "reason": "No", "query": "page=1",
        }),
        ("monitor", transition(true_case, "mark_processed"), {
            "mmis_date": today, "mmis_reference": "MMIS-1",
        }),
        ("monitor", transition(true_case, "return_unprocessed"), {"reason": "Not in MMIS"}),
        ("supervisor", transition(outreach, "record_attempt"), {
            "made_on": today, "method": "phone", "reached": "no", "note": "Voicemail",
        }),
        ("csr", transition(escalated, "withdraw"), {"reason": "Logged in error"}),
        ("csr", reverse("cases:comment", args=[escalated.pk]), {"text": "Called back"}),
        ("csr", reverse("cases:correct", args=[escalated.pk]), {
            "participants-TOTAL_FORMS": "2", "participants-INITIAL_FORMS": "1",
            "participants-0-id": str(person.pk), "participants-0-name": "María López",
            "participants-0-ma_number": "10000000009", "participants-0-ssn": "",
            "participants-1-name": "Leo Lopez", "participants-1-ma_number": "10000000002",
            "participants-1-ssn": "223-45-6780", "participants-1-DELETE": "",
            "consumer_phone": "410-555-0199", "best_time_to_call": "Evenings",
            "consumer_email": "m@example.org",
        }),
        ("pal_rep", reverse("referrals:new"), {
            "consumer_name": "Ahmed Warsame", "phone": "612-555-0199", "county": hennepin,
            "language": "Somali", "has_active_account": "yes", "has_active_application": "yes",
            "determinations": "qhp", "reason_for_help": "Compare plans",
            "guidance_given": "A broker will call", "consent": "yes", "step": "send",
        }),
        ("pal_coordinator", reverse("referrals:action", args=[referral.pk, "withdraw"]), {
            "reason": "Duplicate",
        }),
        ("pal_coordinator", reverse("referrals:organization_new"), {
            "name": "Prairie Navigators", "kind": "navigator",
            "lead_email": "leads@prairie.example.org", "phone": "651-296-3000",
            "counties": hennepin, "note": "New grantee",
        }),
        ("pal_coordinator", reverse("referrals:organization_suspend", args=[org.pk]), {
            "reason": "Full", "suspended_on": today,
        }),
        ("pal_coordinator", reverse("referrals:request_new", args=[org.pk]), {
            "kind": "other", "received_on": today, "from_contact": "Ana", "details": "Hello",
        }),
        ("pal_coordinator", reverse("referrals:request_handle", args=[logged.pk]), {
            "response": "Answered by phone",
        }),
        ("pal_coordinator", reverse("reports:assister_calendar"), {
            "start": "2017-11-01", "first_end": "2017-11-15", "length": "14", "count": "2",
        }),
        ("assister_user", step(new_lead, "decline"), {
            "decline-reason": "other", "decline-note": "Our Somali speaker left",
        }),
        ("assister_user", step(new_lead, "contact"), {
            "contact-contact_date": today, "contact-appointment_on": today,
        }),
        ("assister_user", step(in_progress, "resolution"), {
            "resolution-resolution": "eligible_ma", "resolution-comments": "Renewed",
        }),
        ("pal_coordinator", reverse("referrals:organization_edit", args=[org.pk]), {
            "name": "Metro Brokers", "kind": "broker", "contact_name": "Ana",
            "lead_email": "leads@metro.example.org", "counties": hennepin, "languages": "1",
            "max_open_leads": "10", "paused_from": today, "paused_until": today,
            "pause_reason": "Full", "note": "Asked by phone",
        }),
        ("assister_user", reverse("portal:pause", args=[own.pk]), {
            "pause_reason": "Office move", "paused_from": today, "paused_until": today,
        }),
        ("assister_user", reverse("portal:contact", args=[own.pk]), {
            "contact_name": "Dana", "lead_email": "dana@example.org", "phone": "612-555-0142",
            "note": "Retired",
        }),
        ("assister_user", reverse("portal:thread_new", args=[own.pk]), {
            "subject": "Languages", "body": "Add Oromo",
        }),
        ("assister_user", reverse("portal:thread", args=[thread.pk]), {"body": "Any news?"}),
        ("pal_coordinator", reverse("referrals:thread", args=[thread.pk]), {"body": "Done"}),
        ("pal_coordinator", reverse("referrals:contact_change_reject", args=[change.pk]), {
            "note": "Not your address",
        }),
    ]  # fmt: skip


FORMS = [
    "intake mct_span",
    "intake for_cause",
    "vet true",
    "vet false",
    "bulk vet",
    "mark processed",
    "return unprocessed",
    "record attempt",
    "withdraw case",
    "comment on case",
    "correct case",
    "new referral",
    "withdraw referral",
    "new organization",
    "suspend organization",
    "log organization request",
    "handle organization request",
    "reporting calendar",
    "decline lead",
    "record contact",
    "record resolution",
    "edit organization (profile and pause)",
    "pause new leads (portal)",
    "contact change (portal)",
    "new message (portal)",
    "reply (portal)",
    "reply (coordinator)",
    "reject contact change",
]


@pytest.mark.parametrize("index", range(len(FORMS)), ids=FORMS)
def test_it_answers_any_text_in_any_form_field_without_a_server_error(
    client, request, forms_world, index
):
    role, url, fields = forms_world[index]
    client.force_login(request.getfixturevalue(role))

    @settings(HUNT, max_examples=15)
    @given(data=_hostile(fields))
    def hunt(data):
        with transaction.atomic():  # every example starts from the same records
            response = client.post(url, data)
            transaction.set_rollback(True)
        assert response.status_code in (200, 302, 400), sorted(data)

    hunt()
