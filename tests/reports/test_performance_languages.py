"""The scorecard's coverage by language (issue 14) on a hand-built season, against figures worked
out by hand below: on the page, in the export, over one period and over the season."""

import io
from datetime import date

import pytest
from bs4 import BeautifulSoup
from django.urls import reverse
from openpyxl import load_workbook

from referrals import services
from referrals.models import AssisterOrganization, Language
from referrals.states import DeclineReason
from reports.performance import scorecard

pytestmark = pytest.mark.django_db

D = date


def speaks(org, *languages):
    org.languages.set(Language.objects.filter(name__in=languages))


@pytest.fixture
def season(oe5, lakes, make_org, make_sent_referral, assister_user):
    """Period 1 is 11/01–11/15/2017, period 2 11/16–11/29.

    Lakes lists English and Somali; North lists English, Spanish and Vietnamese; Metro lists
    Hmong but is suspended, so no active organization lists Hmong (nor Karen).

    | language   | period 1 leads (→ organization)            | routed to one that lists it |
    |------------|--------------------------------------------|-----------------------------|
    | English    | 4: Lakes, Lakes, North, North              | 4 (100.0%)                  |
    | Somali     | 3: Lakes, North, Lakes (+1 to Lakes that   | 2 (66.7%)                   |
    |            | Lakes declined: not a lead received)       |                             |
    | Spanish    | 2: North, Lakes                            | 1 (50.0%)                   |
    | Hmong      | 1: North                                   | 0: gap (no active org)      |
    | Other      | 1: Lakes                                   | — (names no language)       |
    | Vietnamese | 1: Lakes                                   | 0: gap (North lists it)     |

    Period 2: Somali → Lakes (matched), Karen → North (nobody lists Karen: a gap).
    """
    north = make_org("North Star Navigators")
    metro = make_org("Metro Brokers", kind="broker", status=AssisterOrganization.Status.SUSPENDED)
    speaks(lakes, "English", "Somali")
    speaks(north, "English", "Spanish", "Vietnamese")
    speaks(metro, "Hmong")
    leads = [
        (lakes, 6, "English"),
        (lakes, 7, "English"),
        (north, 7, "English"),
        (north, 8, "English"),
        (lakes, 6, "Somali"),
        (north, 9, "Somali"),
        (lakes, 13, "Somali"),
        (north, 9, "Spanish"),
        (lakes, 14, "Spanish"),
        (north, 10, "Hmong"),
        (lakes, 10, "Other"),
        (lakes, 15, "Vietnamese"),
        (lakes, 20, "Somali"),  # period 2
        (north, 21, "Karen"),  # period 2
    ]
    for org, day, language in leads:
        make_sent_referral(organization=org, sent_on=D(2017, 11, day), language=language)
    declined = make_sent_referral(organization=lakes, sent_on=D(2017, 11, 8), language="Somali")
    services.referral_decline(referral=declined, by=assister_user, reason=DeclineReason.NO_CAPACITY)
    return oe5


# language, leads, routed to one that lists it, %, active organizations listing it, gap
PERIOD_1 = [
    ("English", 4, 4, 100.0, 2, False),
    ("Somali", 3, 2, 66.7, 1, False),
    ("Spanish", 2, 1, 50.0, 1, False),
    ("Hmong", 1, 0, 0.0, 0, True),
    ("Other", 1, None, None, None, False),
    ("Vietnamese", 1, 0, 0.0, 1, True),
]
SEASON = [
    ("English", 4, 4, 100.0, 2, False),
    ("Somali", 4, 3, 75.0, 1, False),
    ("Spanish", 2, 1, 50.0, 1, False),
    ("Hmong", 1, 0, 0.0, 0, True),
    ("Karen", 1, 0, 0.0, 0, True),
    ("Other", 1, None, None, None, False),
    ("Vietnamese", 1, 0, 0.0, 1, True),
]


def figures(card):
    return [
        (row.language, row.leads, row.matched, row.matched_pct, row.organizations, row.gap)
        for row in card.languages
    ]


def page_figures(client, period):
    page = client.get(reverse("reports:performance"), {"period": period})
    assert page.status_code == 200
    table = BeautifulSoup(page.content, "html.parser").find("table", id="languages")
    assert table.caption and table.find("thead").find_all("th", scope="col")
    rows = []
    for tr in table.find("tbody").find_all("tr"):
        cells = {td["data-figure"]: td.get_text(strip=True) for td in tr.find_all("td")}
        rows.append(
            (
                tr["data-language"],
                cells["leads"],
                cells["matched"],
                cells["matched_pct"],
                cells["organizations"],
                tr.th.find(attrs={"data-gap": True}) is not None,
            )
        )
    return rows


def export_figures(client, period):
    response = client.get(reverse("reports:performance_export"), {"period": period})
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book["Coverage by language"]
    header = [cell.value for cell in sheet[1]]
    assert header == [
        "Preferred language",
        "Leads received",
        "Routed to an organization that lists it",
        "% routed to one that lists it",
        "Active organizations that list it",
        "Gap",
    ]
    return [
        (*row[:5], row[5] == "gap") for row in sheet.iter_rows(min_row=2, values_only=True)
    ], book


def as_text(expected):
    def text(value):
        return "—" if value is None else str(value)

    return [
        (language, *(text(value) for value in numbers), gap) for language, *numbers, gap in expected
    ]


def test_it_counts_a_periods_leads_by_language_most_first(season):
    card = scorecard([season[0]], today=D(2017, 11, 30))
    assert figures(card) == PERIOD_1
    # The same leads as the organizations' rows: the declined Somali lead is in neither.
    assert sum(row.leads for row in card.languages) == card.total.leads == 12
    assert card.language_gaps == ["Hmong", "Vietnamese"]


def test_it_counts_the_seasons_leads_with_the_same_rules(season):
    card = scorecard(season, today=D(2017, 12, 30))
    assert figures(card) == SEASON
    assert sum(row.leads for row in card.languages) == card.total.leads == 14


def test_it_shows_the_period_and_the_season_on_the_page(client, pal_coordinator, season):
    client.force_login(pal_coordinator)
    assert page_figures(client, season[0].pk) == as_text(PERIOD_1)
    assert page_figures(client, "all") == as_text(SEASON)
    page = client.get(reverse("reports:performance"), {"period": season[0].pk}).content
    gaps = BeautifulSoup(page, "html.parser").find(attrs={"data-language-gaps": True})
    assert "No lead in Hmong, Vietnamese reached" in gaps.get_text(" ", strip=True)


def test_it_writes_the_period_and_the_season_to_the_export(client, pal_coordinator, season):
    client.force_login(pal_coordinator)
    rows, book = export_figures(client, season[0].pk)
    assert rows == PERIOD_1
    # The organizations' sheet stays first, the one a spreadsheet opens on.
    assert book.sheetnames[:2] == ["PAL scorecard", "Coverage by language"]
    assert export_figures(client, "all")[0] == SEASON


def test_an_empty_season_has_no_languages(client, pal_coordinator, oe5):
    assert scorecard(oe5).languages == [] and scorecard([]).languages == []
    client.force_login(pal_coordinator)
    page = client.get(reverse("reports:performance"), {"period": "all"})
    soup = BeautifulSoup(page.content, "html.parser")
    assert soup.find("table", id="languages") is None
    assert "No leads were sent in all periods." in soup.get_text()
    assert export_figures(client, "all")[0] == []


@pytest.mark.parametrize("role_user", ["csr", "pal_rep", "assister_user", "monitor", "qc_lead"])
def test_the_languages_are_refused_to_other_roles(client, request, role_user, season):
    client.force_login(request.getfixturevalue(role_user))
    for url_name in ("reports:performance", "reports:performance_export"):
        response = client.get(reverse(url_name), {"period": "all"})
        assert response.status_code == 403 and b"Somali" not in response.content


def test_it_takes_the_same_queries_for_2_or_9_languages(oe5, lakes, make_sent_referral):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from referrals.languages import LANGUAGES

    counts = []
    for languages in (LANGUAGES[:2], LANGUAGES[2:9]):
        for language in languages:
            make_sent_referral(organization=lakes, sent_on=D(2017, 11, 6), language=language)
        with CaptureQueriesContext(connection) as queries:
            card = scorecard([oe5[0]], today=D(2017, 11, 30))
        counts.append(len(queries))
    assert len(card.languages) == 9
    assert counts[0] == counts[1], counts
