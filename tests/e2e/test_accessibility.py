"""Issue 17: every page, for every role, passes axe-core at WCAG 2.0/2.1 A and AA — menu pages
empty and full, detail pages, and every form showing its errors, all on a 390 px phone screen —
and no page is wider than that screen."""

import re
from collections import Counter
from urllib.parse import urlparse

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tracker import demo
from tracker.models import User

from .axe import assert_accessible, describe, violations
from .conftest import PASSWORD

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True)]

# One demo user per role (the demo has several CSRs and supervisors; their pages are the same).
ROLE_USERS = [
    "admin",
    "csr.alice",
    "sup.alpha",
    "qc.lead",
    "monitor",
    "pal.rep",
    "pal.coord",
    "assister",
]
SKIP = ("/logout/", "export", "download", ".xlsx", ".csv")
# The lists are the same for every role; empty, they are checked as the roles that see them all.
EMPTY_STATE_USERS = ["admin", "csr.alice", "assister"]
# Pages that do not change with the role: checked once.
ONCE = ("/admin/", "/account/security/", "/how-it-works/")


PHONE_WIDTH = 390


class Crawl:
    """Visits pages, runs axe on each, and keeps every violation for one report at the end."""

    def __init__(self, page, base):
        self.page, self.base = page, base
        self.found: list[tuple[str, dict]] = []
        self.visited: list[str] = []
        self.too_wide: list[tuple[str, int]] = []

    def check(self, label):
        for v in violations(self.page):
            self.found.append((label, v))
            print(f"    ✗ {label}\n{describe([v])}")
        self.visited.append(label)
        # The crawl runs on a 390 px phone screen: no page may be wider (WCAG 1.4.10 reflow).
        width = self.page.evaluate("document.documentElement.scrollWidth")
        if width > PHONE_WIDTH:
            self.too_wide.append((label, width))
        print(f"  axe: {label} ({width} px wide)")

    def visit(self, path, label=None):
        self.page.goto(path if path.startswith("http") else f"{self.base}{path}")
        self.check(label or urlparse(self.page.url).path)

    def menu(self):
        """The signed-in user's menu, less Home (checked on sign-in) and pages already checked."""
        links = self.page.locator("nav.main-nav a, header .who a")
        hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
        keep = []
        for href in hrefs:
            if not href or href == "/" or any(s in href for s in SKIP):
                continue
            if href in ONCE and any(label.startswith(href + " ") for label in self.visited):
                continue
            keep.append(href)
        return keep

    def submit_empty(self, form_selector, label, button=None):
        """Submit a form with nothing filled in (browser validation off) and check its errors."""
        self.page.evaluate("document.querySelectorAll('form').forEach(f => f.noValidate = true)")
        form = self.page.locator(form_selector).first
        if not form.count():
            print(f"  (no form {form_selector} on {label})")
            return
        (form.locator(button) if button else form.locator("button[type=submit]")).first.click()
        self.page.wait_for_load_state()
        self.check(f"{label} (submitted empty)")

    def first_link(self, pattern):
        """The first link on the page whose path matches `pattern`, if any."""
        for href in self.page.locator("main a[href]").evaluate_all("as => as.map(a => a.href)"):
            if re.fullmatch(pattern, urlparse(href).path):
                return href
        return None


def _demo_passwords():
    # The demo's users share the README's password; the e2e login types the tests' one.
    for user in User.objects.filter(username__in=[u[0] for u in demo.DEMO_USERS]):
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])


def test_it_passes_axe_on_every_page_for_every_role(page, live_server, login, debug_on):
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    crawl = Crawl(page, live_server.url)

    # Signed out: the login page, and the login page with its error.
    crawl.visit("/login/")
    page.fill("input[name=username]", "nobody")
    page.fill("input[name=password]", "wrong-password")
    page.click("main button[type=submit]")
    crawl.check("/login/ (wrong password)")

    # Empty states: only the users exist, so every list is empty.
    demo.load(_Quiet())
    _demo_passwords()
    for username in EMPTY_STATE_USERS:
        print(f"{username} (no data yet)")
        login(User.objects.get(username=username))
        crawl.check(f"home as {username}, empty")
        for href in crawl.menu():
            if "/admin/" not in href:
                crawl.visit(href, f"{href} as {username}, empty")

    # Full demo data: every menu page of every role, then detail pages and forms with errors.
    call_command("demo", stdout=_Quiet())
    _demo_passwords()
    details, seen = {}, set()
    for username in ROLE_USERS:
        print(username)
        login(User.objects.get(username=username))
        crawl.check(f"home as {username}")
        for href in crawl.menu():
            crawl.visit(href, f"{href} as {username}")
            # The admin sees every list; the assister's portal and reports are their own.
            if username in ("admin", "assister"):
                found = {pattern: crawl.first_link(pattern) for pattern in DETAIL_PAGES}
                for pattern, link in found.items():
                    if link and (username, pattern) not in seen:
                        seen.add((username, pattern))
                        details[pattern] = link
                        crawl.visit(link, f"{urlparse(link).path} as {username}")
        for path, form, button in FORMS.get(username, []):
            path = path(details) if callable(path) else path
            if path is None:
                continue
            crawl.visit(path, f"{path} as {username}")
            crawl.submit_empty(form, f"{path} as {username}", button)

    counts = Counter(v["id"] for _label, v in crawl.found)
    print(f"\n{len(crawl.visited)} pages checked; violations by rule: {dict(counts) or 'none'}")
    assert not crawl.too_wide, f"wider than {PHONE_WIDTH} px: {crawl.too_wide}"
    assert not crawl.found, "axe violations:\n" + "\n".join(
        f"{label}:\n{describe([v])}" for label, v in crawl.found
    )


# Detail pages reached from the first row of a list (as the admin, who sees every list).
CASE, REFERRAL, ORGANIZATION, LEAD = (
    r"/cases/\d+/",
    r"/referrals/\d+/",
    r"/referrals/organizations/\d+/",
    r"/portal/leads/\d+/",
)
ASSISTER_REPORT = r"/reports/assister/\d+/"
PORTAL_THREAD = r"/portal/messages/\d+/"
DETAIL_PAGES = [
    CASE,
    REFERRAL,
    ORGANIZATION,
    r"/reports/uploads/\d+/",
    r"/reports/assister/periods/\d+/",
    ASSISTER_REPORT,
    r"/reports/assister/uploads/\d+/",
    LEAD,
    PORTAL_THREAD,
]

# Forms each role fills in, submitted empty: (path or a function of the detail links, form, button).
FORMS = {
    "csr.alice": [
        ("/cases/new/mct_span/", "main form[method=post]", None),
        ("/cases/new/for_cause/", "main form[method=post]", None),
        ("/cases/new/incorrect_selection/", "main form[method=post]", None),
        ("/cases/new/provider_termination/", "main form[method=post]", None),
    ],
    "qc.lead": [("/cases/qc/", "form.bulk", "button[value=false]")],
    "monitor": [("/reports/handoff/", "main form[enctype='multipart/form-data']", None)],
    "pal.rep": [("/referrals/new/", "main form[method=post]", None)],
    "pal.coord": [
        ("/referrals/organizations/new/", "main form[method=post]", None),
        (lambda d: d.get(ORGANIZATION), "main form[method=post]", None),
        (lambda d: _coordinator_thread(), "main form[action*='/messages/']", None),
        # Issue 15: the API token form (the list is in the menu).
        ("/api-tokens/new/", "main form[method=post]", None),
    ],
    "admin": [
        (lambda d: d.get(CASE), "form[data-action]", None),
        ("/api-tokens/new/", "main form[method=post]", None),
    ],
    "assister": [
        (lambda d: d.get(LEAD), "form.outcome-form", None),
        # The lead's steps (issue 14): decline without a reason, a contact without a date.
        (lambda d: d.get(LEAD), "form[data-step=decline]", None),
        (lambda d: d.get(LEAD), "form[data-step=contact]", None),
        (lambda d: d.get(ASSISTER_REPORT), "form[enctype='multipart/form-data']", None),
        # Issue 14's self-service page: each of its forms, then a thread's reply form.
        ("/portal/organization/", "main form[action$='/pause/']", None),
        ("/portal/organization/", "main form[action$='/contact/']", None),
        ("/portal/organization/", "main form[action$='/messages/new/']", None),
        (lambda d: d.get(PORTAL_THREAD), "main form[method=post]", None),
    ],
}


def _coordinator_thread():
    """The demo's first message thread, as the coordinators' page shows it."""
    from referrals.models import Thread

    thread = Thread.objects.order_by("pk").first()
    return f"/referrals/messages/{thread.pk}/" if thread else None


class _Quiet:
    def write(self, *_args, **_kwargs):
        pass


def _tab_to(page, condition: str, limit: int = 150):
    """Press Tab until the focused element satisfies the JS `condition` (on `el`): keyboard only."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(f"(() => {{ const el = document.activeElement; return {condition}; }})()"):
            return
    raise AssertionError(f"Tab never reached an element where {condition}")


def test_it_vets_three_cases_with_the_keyboard_and_fits_a_phone(page, live_server, login, debug_on):
    from cases.models import Case
    from cases.states import State

    call_command("demo", stdout=_Quiet())
    _demo_passwords()

    # Keyboard only: skip link, three row checkboxes (named after their case), vet true.
    login(User.objects.get(username="qc.lead"))
    page.goto(f"{live_server.url}/cases/qc/")
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.textContent") == "Skip to main content"
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main"
    chosen = []
    for _ in range(3):
        # A case the State Monitor has not returned (those go back through outreach, not vet true).
        _tab_to(
            page,
            "el.name === 'selection' && !el.checked"
            " && !el.closest('tr').textContent.includes('Returned by State Monitor')",
        )
        chosen.append(page.evaluate("document.activeElement.getAttribute('aria-label')"))
        page.keyboard.press("Space")
    assert all(re.fullmatch(r"Select MCO-\d+", name) for name in chosen), chosen
    _tab_to(page, "el.name === 'verdict' && el.value === 'true'")
    page.keyboard.press("Enter")
    expect(page.locator(".messages")).to_contain_text("Vetted 3 case(s) true")
    numbers = [name.removeprefix("Select MCO-") for name in chosen]
    assert {c.state for c in Case.objects.filter(pk__in=[int(n) for n in numbers])} == {
        State.TRUE_TRACKER
    }
    assert_accessible(page)

    # At 390 px the wide tables scroll inside their card: the page is never wider than the phone.
    page.set_viewport_size({"width": 390, "height": 844})
    for username, path in [
        ("qc.lead", "/cases/qc/"),
        ("monitor", "/cases/monitor/"),
        ("assister", "/portal/"),
    ]:
        login(User.objects.get(username=username))
        page.goto(f"{live_server.url}{path}")
        expect(page.locator("main table").first).to_be_visible()
        width = page.evaluate("document.documentElement.scrollWidth")
        print(f"{path} as {username} at 390 px: page {width} px wide")
        assert width <= 390, f"{path} is {width} px wide at 390 px"


def test_it_passes_axe_on_the_mco_dashboard(page, live_server, login, debug_on):
    """Issue 16's dashboard (also in every role's crawl above, through the menu): with the demo's
    data, as each role that sees it, charts and tables, and with a wrong period's message — on a
    phone screen, no wider than it."""
    page.set_viewport_size({"width": PHONE_WIDTH, "height": 844})
    crawl = Crawl(page, live_server.url)
    call_command("demo", stdout=_Quiet())
    _demo_passwords()
    for username in ("qc.lead", "sup.alpha", "admin"):
        login(User.objects.get(username=username))
        crawl.visit("/reports/mco/", f"/reports/mco/ as {username}")
        crawl.visit("/reports/mco/?period=quarter", f"/reports/mco/ this quarter as {username}")
    crawl.visit("/reports/mco/?period=range&start=2026-11-15&end=2026-11-01", "wrong period")
    assert page.locator('[role="alert"]').count() == 1
    assert len(crawl.visited) == 7
    assert not crawl.too_wide, f"wider than {PHONE_WIDTH} px: {crawl.too_wide}"
    assert not crawl.found, "axe violations:\n" + "\n".join(
        f"{label}:\n{describe([v])}" for label, v in crawl.found
    )
