"""The PAL lists at scale (issue 12): the same number of queries for one row as for a page of
them, every sort in a stable order (its column, then the lead number) that pages without
repeating or losing a referral, the filters' conditions, and the scoping that keeps a
representative to their own referrals and an assister to their organization's leads."""

import re
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals.models import County, Referral
from referrals.states import REPORTABLE, State
from referrals.tables import PortalLeadTable, ReferralTable
from tests.conftest import make_user
from tracker import roles

pytestmark = pytest.mark.django_db

LIST = reverse("referrals:list")
PORTAL = reverse("portal:home")


@pytest.fixture
def orgs(make_org):
    # Created in the reverse of their alphabetical order, so that sorting by id is not sorting
    # by name.
    return {
        "zenith": make_org("Zenith Brokers", kind="broker", counties=["Hennepin", "Aitkin"]),
        "anoka": make_org("Anoka Navigators", counties=["Hennepin", "Aitkin"]),
    }


def clone(base, n, **vary):
    """n copies of `base` in one insert; `vary[field]` is a function of the copy's index."""
    fields = [
        f.attname
        for f in Referral._meta.concrete_fields
        if f.attname not in ("id",) and not f.primary_key
    ]
    rows = []
    for i in range(n):
        values = {name: getattr(base, name) for name in fields}
        values.update({name: make(i) for name, make in vary.items()})
        rows.append(Referral(**values))
    return Referral.objects.bulk_create(rows)


@pytest.fixture
def many(orgs, make_referral, pal_rep):
    """40 referrals with repeated values in every sortable column (ties everywhere)."""
    base = make_referral(organization=orgs["zenith"])
    counties = list(County.objects.filter(name__in=["Hennepin", "Aitkin"]).order_by("-name"))
    states = [State.QUEUED, State.SENT, State.FAILED, State.COMPLETED, State.WITHDRAWN]
    today = timezone.localdate()
    now = timezone.now()
    return [base] + clone(
        base,
        39,
        consumer_name=lambda i: ["Bo Nilsen", "Ana Ortiz", "Cy Young"][i % 3],
        county_id=lambda i: counties[i % 2].pk,
        organization_id=lambda i: [orgs["zenith"], orgs["anoka"]][i // 2 % 2].pk,
        assister_type=lambda i: ["broker", "navigator"][i % 2],
        state=lambda i: states[i % 5],
        created_at=lambda i: now - timedelta(days=i % 4),
        contact_due_on=lambda i: None if i % 3 == 0 else today - timedelta(days=i % 7 - 3),
        contact_made=lambda i: None if i % 2 else True,
    )


def shown(response):
    assert response.status_code == 200, response.content.decode()[:500]
    return [row.record for row in response.context["table"].paginated_rows]


def queries(client, url, params=None):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(captured.captured_queries)


# ---- the same number of queries for one row as for fifty ---------------------------------------


def test_the_coordinators_list_runs_as_many_queries_for_one_referral_as_for_fifty(
    client, pal_coordinator, orgs, make_referral
):
    make_referral(organization=orgs["zenith"])
    client.force_login(pal_coordinator)
    one = queries(client, LIST)
    clone(Referral.objects.get(), 49, organization_id=lambda i: orgs["anoka"].pk)
    assert queries(client, LIST) == one
    for sort in [c.name for c in ReferralTable([]).columns if c.orderable]:
        assert queries(client, LIST, {"sort": sort}) == one, sort


def test_a_representatives_list_runs_as_many_queries_for_one_referral_as_for_fifty(
    client, pal_rep, orgs, make_referral
):
    make_referral(organization=orgs["zenith"])
    client.force_login(pal_rep)
    one = queries(client, LIST)
    clone(Referral.objects.get(), 49)
    assert queries(client, LIST) == one
    assert queries(client, LIST, {"sort": "-organization"}) == one


def test_the_portal_runs_as_many_queries_for_one_lead_as_for_fifty(
    client, assister_user, orgs, make_sent_referral
):
    orgs["anoka"].members.add(assister_user)
    make_sent_referral(organization=orgs["anoka"], sent_on=date(2017, 11, 6))
    client.force_login(assister_user)
    one = queries(client, PORTAL)
    assert len(shown(client.get(PORTAL))) == 1
    clone(Referral.objects.get(), 49)
    assert queries(client, PORTAL) == one
    assert len(shown(client.get(PORTAL))) == 50
    for sort in [c.name for c in PortalLeadTable([]).columns if c.orderable]:
        assert queries(client, PORTAL, {"sort": sort}) == one, sort


# ---- sorts: the column, then the lead number; names, not ids ------------------------------------


def key_for(name):
    nulls_last = date.max
    return {
        "number": lambda r: (r.pk,),
        "created_at": lambda r: (r.created_at, r.pk),
        "consumer_name": lambda r: (r.consumer_name, r.pk),
        "county": lambda r: (r.county.name, r.pk),
        "assister_type": lambda r: (r.assister_type, r.pk),
        "organization": lambda r: (r.organization.name, r.pk),
        "state": lambda r: (r.state, r.pk),
        # PostgreSQL puts missing dates last going up, first going down; SQLite the other way.
        "contact_due_on": lambda r: (r.contact_due_on or nulls_last, r.pk),
    }[name]


@pytest.mark.parametrize("name", [c.name for c in ReferralTable([]).columns if c.orderable])
@pytest.mark.parametrize("descending", [False, True])
def test_every_sort_pages_through_every_referral_once_in_order(
    client, pal_coordinator, many, name, descending
):
    client.force_login(pal_coordinator)
    sort = f"-{name}" if descending else name
    seen = []
    for page in (1, 2, 3, 4):
        seen += shown(client.get(LIST, {"sort": sort, "per_page": 12, "page": page}))
    assert sorted(r.pk for r in seen) == sorted(r.pk for r in many)  # each once
    expected = sorted(
        Referral.objects.select_related("county", "organization"),
        key=key_for(name),
        reverse=descending,
    )
    if name == "contact_due_on":
        # Where the referrals without a due date go depends on the database; among the others the
        # order is the column's, then the number's.
        dated = [r.pk for r in expected if r.contact_due_on]
        assert [r.pk for r in seen if r.contact_due_on] == dated
    else:
        assert [r.pk for r in seen] == [r.pk for r in expected]


def test_county_and_organization_sort_by_name(client, pal_coordinator, many):
    client.force_login(pal_coordinator)
    counties = [r.county.name for r in shown(client.get(LIST, {"sort": "county"}))]
    assert counties[0] == "Aitkin" and counties[-1] == "Hennepin"
    names = [r.organization.name for r in shown(client.get(LIST, {"sort": "-organization"}))]
    assert names[0] == "Zenith Brokers" and names[-1] == "Anoka Navigators"


# ---- filters -------------------------------------------------------------------------------------


def is_overdue(referral):
    return (
        referral.state == State.SENT
        and referral.contact_made is None
        and referral.contact_due_on is not None
        and referral.contact_due_on < timezone.localdate()
    )


def test_overdue_and_not_overdue_split_the_list_between_them(client, pal_coordinator, many):
    client.force_login(pal_coordinator)
    overdue = shown(client.get(LIST, {"overdue": "true", "per_page": 100}))
    others = shown(client.get(LIST, {"overdue": "false", "per_page": 100}))
    assert overdue and all(is_overdue(r) for r in overdue)
    assert not any(is_overdue(r) for r in others)
    # Leads without a due date (never sent) are "not overdue", not lost.
    assert any(r.contact_due_on is None for r in others)
    assert len(overdue) + len(others) == len(many)


@pytest.mark.parametrize(
    "params, keep",
    [
        ({"assister_type": "navigator"}, lambda r: r.assister_type == "navigator"),
        ({"state": "sent"}, lambda r: r.state == State.SENT),
        ({"state": "sent", "sort": "-organization"}, lambda r: r.state == State.SENT),
    ],
)
def test_filters_keep_exactly_their_referrals(client, pal_coordinator, many, params, keep):
    client.force_login(pal_coordinator)
    got = shown(client.get(LIST, {**params, "per_page": 100}))
    assert {r.pk for r in got} == {r.pk for r in many if keep(r)}


# ---- scoping -------------------------------------------------------------------------------------


def test_a_representative_sees_only_their_own_in_every_sort(client, pal_rep, orgs, many):
    other_rep = make_user("pal.rep2", roles.PAL_REPRESENTATIVE)
    Referral.objects.filter(pk__in=[r.pk for r in many[::2]]).update(created_by=other_rep)
    client.force_login(pal_rep)
    mine = {r.pk for r in many[1::2]}
    for sort in ["", "county", "-organization", "state"]:
        got = shown(client.get(LIST, {"sort": sort, "per_page": 100}))
        assert {r.pk for r in got} == mine, sort


def test_an_assister_never_sees_another_organizations_leads(client, assister_user, orgs, many):
    orgs["anoka"].members.add(assister_user)
    client.force_login(assister_user)
    theirs = {r.pk for r in many if r.organization_id == orgs["anoka"].pk and r.state in REPORTABLE}
    assert theirs
    for params in [{}, {"sort": "-county"}, {"status": "awaiting"}, {"status": "overdue"}]:
        got = shown(client.get(PORTAL, {**params, "per_page": 100}))
        assert {r.pk for r in got} <= theirs, params
    assert {r.pk for r in shown(client.get(PORTAL, {"per_page": 100}))} == theirs
    # Asking for the other organization is refused, and shows nothing of theirs.
    response = client.get(PORTAL, {"organization": orgs["zenith"].pk, "per_page": 100})
    assert response.status_code == 400
    assert {row.record.pk for row in response.context["table"].paginated_rows} <= theirs


def test_a_representative_in_an_organization_sees_their_own_and_its_leads_once(
    client, pal_rep, orgs, many
):
    orgs["anoka"].members.add(pal_rep)
    other_rep = make_user("pal.rep2", roles.PAL_REPRESENTATIVE)
    Referral.objects.filter(pk__in=[r.pk for r in many[::2]]).update(created_by=other_rep)
    client.force_login(pal_rep)
    got = [r.pk for r in shown(client.get(LIST, {"per_page": 100}))]
    own = {r.pk for r in many[1::2]}
    expected = {r.pk for r in many if r.pk in own or r.organization_id == orgs["anoka"].pk}
    assert sorted(got) == sorted(expected)  # nobody twice


def test_the_directory_counts_each_organizations_open_leads(
    client, pal_coordinator, orgs, many, make_org
):
    make_org("Idle Navigators")
    client.force_login(pal_coordinator)
    response = client.get(reverse("referrals:organizations"), {"sort": "-open_leads"})
    counts = {row.record.name: row.record.open_leads for row in response.context["table"].rows}
    open_states = {State.QUEUED, State.REASSIGNED, State.SENT, State.FAILED}
    assert counts == {
        org.name: sum(r.organization_id == org.pk and r.state in open_states for r in many)
        for org in orgs.values()
    } | {"Idle Navigators": 0}
    assert list(counts.values()) == sorted(counts.values(), reverse=True)


# ---- the lean body renders what django-tables2 rendered ----------------------------------------


def _body(html):
    """The <tbody> of a rendered table, without the whitespace between tags (django-tables2's
    template indents its rows; LeanTable writes them in one line)."""
    body = html[html.index("<tbody") : html.index("</tbody>")]
    return re.sub(r">\s+", ">", re.sub(r"\s+<", "<", body)).replace("<td >", "<td>")


def _both_bodies(response):
    table = response.context["table"]
    lean = table.as_html(response.wsgi_request)
    table.template_name = "django_tables2/bootstrap4.html"  # django-tables2's own row loop
    return _body(lean), _body(table.as_html(response.wsgi_request))


@pytest.mark.parametrize("sort", ["-created_at", "state", "contact_due_on"])
def test_the_referral_list_renders_every_cell_as_django_tables2_did(
    client, pal_coordinator, many, sort
):
    declined = many[1]
    Referral.objects.filter(pk=declined.pk).update(
        state=State.DECLINED, decline_reason="no_capacity"
    )
    client.force_login(pal_coordinator)
    lean, plain = _both_bodies(client.get(LIST, {"sort": sort, "per_page": 100}))
    assert lean.count("<tr") == len(many) and "overdue" in lean and "—" in lean
    assert "No capacity for an appointment" in plain
    assert lean == plain


def test_the_portal_renders_every_cell_as_django_tables2_did(client, assister_user, orgs, many):
    orgs["anoka"].members.add(assister_user)
    Referral.objects.filter(organization=orgs["anoka"]).update(
        sent_at=timezone.now(), resolution="enrolled_qhp"
    )
    client.force_login(assister_user)
    lean, plain = _both_bodies(client.get(PORTAL, {"per_page": 100}))
    assert lean.count("<tr") > 1 and "badge" in lean
    assert lean == plain


def test_the_directory_renders_every_cell_as_django_tables2_did(
    client, pal_coordinator, orgs, many, make_org
):
    make_org("Idle Navigators", status="suspended", suspension_reason="Grant <ended>")
    paused = make_org("Paused Brokers", kind="broker", max_open_leads=5)
    paused.paused_from = timezone.localdate()
    paused.paused_until = timezone.localdate() + timedelta(days=3)
    paused.pause_reason = "Staff out"
    paused.save()
    client.force_login(pal_coordinator)
    lean, plain = _both_bodies(client.get(reverse("referrals:organizations")))
    assert lean.count("<tr") == 4 and "mailto:" in lean and "Grant &lt;ended&gt;" in lean
    assert "No new leads" in lean and "of at most 5" in lean
    assert lean == plain


def test_a_page_past_the_deepest_one_says_how_to_reach_the_rest(
    client, pal_coordinator, many, monkeypatch
):
    from tracker import pagination

    monkeypatch.setattr(pagination, "MAX_ROWS", 4)
    client.force_login(pal_coordinator)
    html = client.get(LIST, {"per_page": 1, "page": 999}).content.decode()
    assert "past the deepest page this list offers (4, the first 4 rows)" in html
    assert "sort it the other way round" in html
    assert "deepest page" not in client.get(LIST, {"per_page": 1}).content.decode()


def test_the_portal_says_which_page_it_shows_for_one_past_its_end(
    client, assister_user, orgs, many
):
    orgs["anoka"].members.add(assister_user)
    client.force_login(assister_user)
    response = client.get(PORTAL, {"per_page": 1, "page": 999})
    pages = response.context["table"].paginator.num_pages
    assert f"There is no page 999: this list has {pages} page(s). Showing the last one." in (
        response.content.decode()
    )
