"""Content-Security-Policy and `Cache-Control: no-store`, checked by crawling the app as each demo
role from its home page (menu and tiles) through the same-site links of the pages they lead to,
down to the XLSX downloads."""

from html.parser import HTMLParser
from io import StringIO
from urllib.parse import urlsplit

import pytest
from django.core.management import call_command

from tests.second_factor import Client
from tracker.models import User

# One demo user per role (tracker/demo.py).
ROLE_USERS = [
    "csr.alice",
    "sup.alpha",
    "qc.lead",
    "monitor",
    "pal.rep",
    "pal.coord",
    "assister",
    "admin",
]
# GET on these would end the session or is not a page of ours.
SKIP_PREFIXES = ("/logout/", "/admin/logout/", "/static/")
# Data blocks are not executed, so the CSP does not apply to them.
DATA_SCRIPT_TYPES = {"application/json", "application/ld+json"}


class PageScan(HTMLParser):
    """Collects same-site links and anything the CSP would block or that needs an exception."""

    def __init__(self):
        super().__init__()
        self.links, self.inline = [], []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "script" and not attrs.get("src") and attrs.get("type") not in DATA_SCRIPT_TYPES:
            self.inline.append("<script> without src")
        if tag == "style":
            self.inline.append("<style> block")
        for name, value in attrs.items():
            if name == "style":
                self.inline.append(f"style= on <{tag}>")
            elif name.startswith("on"):
                self.inline.append(f"{name}= on <{tag}>")
            elif name in {"href", "src", "action"} and (value or "").strip().lower().startswith(
                "javascript:"
            ):
                self.inline.append(f"javascript: URL on <{tag}>")
        if tag == "a" and attrs.get("href"):
            self.links.append(attrs["href"])


def scan(response) -> PageScan:
    page = PageScan()
    page.feed(response.content.decode())
    return page


def same_site_paths(base_path: str, hrefs: list[str]) -> list[str]:
    paths = []
    for href in hrefs:
        parts = urlsplit(href)
        if parts.scheme or parts.netloc or not parts.path:
            continue  # other sites, mailto:, in-page anchors
        path = parts.path if parts.path.startswith("/") else base_path.rsplit("/", 1)[0] + "/"
        if not path.startswith(SKIP_PREFIXES):
            paths.append(path + (f"?{parts.query}" if parts.query else ""))
    return paths


def crawl(client) -> dict[str, object]:
    """Home, the links on it (menu, tiles), and two more levels of links from there, so that
    downloads behind a list and a detail page (an assister's report) are reached too; one visit
    per path (the first query seen). The admin is walked two levels; its change pages have
    their own test."""
    seen, responses = set(), {}
    frontier = ["/"]
    for depth in range(4):
        next_frontier = []
        for url in frontier:
            path = url.split("?", 1)[0]
            if path in seen or (depth == 3 and path.startswith("/admin/")):
                continue
            seen.add(path)
            response = client.get(url)
            responses[url] = response
            if is_html(response):
                next_frontier += same_site_paths(path, scan(response).links)
        frontier = next_frontier
    return responses


def is_html(response) -> bool:
    return response.get("Content-Type", "").startswith("text/html") and not response.streaming


@pytest.fixture
def demo(db, debug_on, settings):
    call_command("demo", stdout=StringIO())
    settings.DEBUG = False  # the crawl sees the pages as deployed


def directives(response) -> list[str]:
    policy = response.get("Content-Security-Policy", "")
    return [directive.strip() for directive in policy.split(";")]


def problems_of(response) -> list[str]:
    """What is wrong with one response to a signed-in user."""
    found = [] if "no-store" in response.get("Cache-Control", "") else ["cacheable"]
    if response.status_code >= 400:
        found.append(f"status {response.status_code}")
    if is_html(response):
        policy = directives(response)
        found += [] if "default-src 'self'" in policy else ["no CSP default-src 'self'"]
        found += [d for d in policy if "unsafe" in d]
        found += scan(response).inline
    return sorted(set(found))


# One crawl per role checks both rules: a crawl is the slow part.
@pytest.mark.parametrize("username", ROLE_USERS)
def test_it_sends_csp_no_inline_code_and_no_store_on_every_page_of_every_role(demo, username):
    client = Client()
    client.force_login(User.objects.get(username=username))

    responses = crawl(client)

    assert sum(is_html(r) for r in responses.values()) >= 4, sorted(responses)  # it walked
    problems = {url: problems_of(r) for url, r in responses.items()}
    assert {url: found for url, found in problems.items() if found} == {}


def test_it_keeps_the_admin_change_pages_free_of_inline_code(demo):
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    changelists = [
        path
        for path in same_site_paths("/admin/", scan(client.get("/admin/")).links)
        if path.count("/") == 4 and not path.endswith("/add/")  # /admin/<app>/<model>/
    ]
    change_pages = []
    for changelist in changelists:
        rows = [
            p
            for p in same_site_paths(changelist, scan(client.get(changelist)).links)
            if p.startswith(changelist) and p.endswith("/change/")
        ]
        change_pages += rows[:1]

    assert len(changelists) >= 10 and len(change_pages) >= 8, (changelists, change_pages)
    problems = {url: problems_of(client.get(url)) for url in changelists + change_pages}
    assert {url: found for url, found in problems.items() if found} == {}


def test_it_lets_static_files_keep_their_caching(db, settings, admin_user):
    settings.WHITENOISE_USE_FINDERS = True  # read when the test client loads the middleware
    settings.WHITENOISE_AUTOREFRESH = True
    client = Client()
    client.force_login(admin_user)

    response = client.get("/static/css/tracker.css")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")
    assert "max-age" in response["Cache-Control"]


def test_it_sends_the_csp_to_anonymous_visitors_too(db):
    response = Client().get("/login/")

    assert "default-src 'self'" in directives(response)
    assert scan(response).inline == []
