"""Coverage: counties × assister type, active organizations, gaps and unmet requests."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from referrals import services
from referrals.models import County, UnmetRequest
from reports.coverage import coverage


@pytest.fixture
def map_(make_org, pal_rep, pal_coordinator):
    make_org("Lakes Area Navigators", counties=["Hennepin", "Ramsey"])
    make_org("Metro Brokers", kind="broker", counties=["Hennepin"])
    prairie = make_org("Prairie Brokers", kind="broker", counties=["Ramsey", "Stearns"])
    services.organization_suspend(organization=prairie, by=pal_coordinator, reason="Full")
    ramsey, stearns = County.objects.get(name="Ramsey"), County.objects.get(name="Stearns")
    for county, kind in [(ramsey, "broker"), (ramsey, "broker"), (stearns, "navigator")]:
        UnmetRequest.objects.create(
            county=county, assister_type=kind, language="English", recorded_by=pal_rep
        )
    old = UnmetRequest.objects.create(
        county=stearns, assister_type="broker", language="Somali", recorded_by=pal_rep
    )
    UnmetRequest.objects.filter(pk=old.pk).update(recorded_at=timezone.now() - timedelta(days=400))


def _cells(result, county):
    (row,) = [r for r in result.rows if r.county == county]
    return row.cells


def test_it_maps_each_county_and_type_to_active_organizations_and_unmet_requests(map_):
    result = coverage()

    assert len(result.rows) == 87
    hennepin, ramsey, stearns = (_cells(result, c) for c in ("Hennepin", "Ramsey", "Stearns"))
    assert (hennepin["navigator"].active, hennepin["broker"].active) == (
        ["Lakes Area Navigators"],
        ["Metro Brokers"],
    )
    # A suspended organization does not cover Ramsey's brokers: a gap with 2 unmet requests.
    assert ramsey["broker"].gap and ramsey["broker"].suspended == ["Prairie Brokers"]
    assert ramsey["broker"].unmet == 2 and not ramsey["navigator"].gap
    assert (stearns["navigator"].unmet, stearns["broker"].unmet) == (1, 1)
    # Lakes covers 2 counties and no active broker but Metro's 1: 85 and 86 gaps.
    assert result.gaps == {"navigator": 85, "broker": 86}
    assert result.unmet == {"navigator": 1, "broker": 3}


def test_unmet_requests_can_be_counted_from_a_date(map_):
    result = coverage(since=timezone.localdate() - timedelta(days=30))
    assert _cells(result, "Stearns")["broker"].unmet == 0
    assert result.unmet_total == 3


def test_the_coverage_page_shows_gaps(client, pal_coordinator, map_, django_assert_max_num_queries):
    client.force_login(pal_coordinator)
    with django_assert_max_num_queries(10):
        page = client.get(reverse("reports:coverage")).content.decode()
    assert '<dd data-gaps="broker">86</dd>' in page
    assert '<dd data-count="unmet">4</dd>' in page
    ramsey = page[page.index('data-county="Ramsey"') :].split("</tr>")[0]
    assert 'class="gap" data-type="broker"' in ramsey and "2 unmet" in ramsey
    assert "suspended: Prairie Brokers" in ramsey


# ---- language gaps (issue 14) ------------------------------------------------------------------
@pytest.fixture
def languages_map(make_org, make_referral, pal_rep):
    """Hennepin: a navigator speaking English and Somali, a broker speaking Hmong (paused);
    consumers asked for Somali (1), Hmong (2 referrals, 1 unmet) and Karen (1 unmet), and
    "Other" (never a gap)."""
    from referrals.models import Language

    def speaks(org, *names):
        org.languages.set(Language.objects.filter(name__in=names))
        return org

    lakes = speaks(make_org("Lakes Area Navigators", counties=["Hennepin"]), "English", "Somali")
    metro = speaks(make_org("Metro Brokers", kind="broker", counties=["Hennepin"]), "Hmong")
    make_referral(organization=lakes, language="Somali")
    make_referral(organization=metro, language="Hmong")
    make_referral(organization=metro, language="Hmong")
    make_referral(organization=lakes, language="Other")
    hennepin = County.objects.get(name="Hennepin")
    for language in ["Hmong", "Karen"]:
        UnmetRequest.objects.create(
            county=hennepin, assister_type="navigator", language=language, recorded_by=pal_rep
        )
    # Metro stops new leads after its leads came in: its Hmong no longer covers Hennepin.
    metro.paused_from, metro.pause_reason = timezone.localdate(), "Short-staffed"
    metro.save()


def test_it_shows_languages_nobody_taking_leads_in_the_county_speaks(languages_map):
    result = coverage()

    hennepin = _cells(result, "Hennepin")
    assert hennepin["broker"].paused == ["Metro Brokers"] and hennepin["broker"].gap
    (row,) = [r for r in result.rows if r.county == "Hennepin"]
    assert row.language_gaps == [("Hmong", 3), ("Karen", 1)]
    by_language = {r.language: (r.asked, r.counties_with_gap, r.consumers_in_gaps)
                   for r in result.languages}  # fmt: skip
    assert by_language == {"Somali": (1, 0, 0), "Hmong": (3, 1, 3), "Karen": (1, 1, 1)}
    assert result.language_gap_total == 2


def test_the_coverage_page_shows_language_gaps_next_to_county_gaps(
    client, pal_coordinator, languages_map
):
    client.force_login(pal_coordinator)
    page = client.get(reverse("reports:coverage")).content.decode()
    hennepin = page[page.index('data-county="Hennepin"') :].split("</tr>")[0]
    assert "Hmong (3), Karen (1)" in hennepin
    assert "not taking new leads: Metro Brokers" in hennepin
    assert '<dd data-count="language-gaps">2</dd>' in page
