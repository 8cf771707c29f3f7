"""axe-core (bundled by axe-playwright-python, no network) run on the page a journey is on.

assert_accessible(page) fails with every WCAG 2.0/2.1 A and AA violation on the page: rule, impact,
the elements and what to fix. Exceptions live in FALSE_POSITIVES, each with the reason it is one.
"""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

# rule id -> why it is a false positive here. Keep this empty unless axe is wrong about a page.
FALSE_POSITIVES: dict[str, str] = {}

_axe = Axe()


def violations(page) -> list[dict]:
    """The page's violations at the WCAG A/AA tags, less the documented false positives."""
    found = _axe.run(page, options=OPTIONS).response["violations"]
    return [v for v in found if v["id"] not in FALSE_POSITIVES]


def describe(found: list[dict]) -> str:
    lines = []
    for v in found:
        targets = ", ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:5])
        more = f" (+{len(v['nodes']) - 5} more)" if len(v["nodes"]) > 5 else ""
        lines.append(f"  {v['id']} [{v['impact']}] {v['help']}: {targets}{more}")
        summary = v["nodes"][0].get("failureSummary", "").replace("\n", " ")
        lines.append(f"      {summary[:300]}")
        lines.append(f"      {v['nodes'][0].get('html', '')[:300]}")
    return "\n".join(lines)


def assert_accessible(page) -> None:
    found = violations(page)
    assert not found, f"axe found on {page.url}:\n{describe(found)}"
