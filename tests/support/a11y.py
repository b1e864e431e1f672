"""axe-core in the browser tests: WCAG 2.0, 2.1 and 2.2 at levels A and AA.

Call ``assert_accessible(page)`` (or the ``axe_check`` fixture) after the page is
in the state to check: blank form, form after a failed submit, and so on. It runs
the axe-core build bundled with axe-playwright-python (pinned by that package's
version) and fails with every violation spelled out: rule, impact, help URL and
the offending elements.
"""

from axe_playwright_python.sync_playwright import Axe

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()


def _loaded(page) -> None:
    """A page shows its text before its stylesheet has arrived; unstyled, its
    buttons and links are smaller than they will be. Check what people see."""
    page.wait_for_load_state("load")


def violations(page, context=None) -> list[dict]:
    """Every axe violation on the page (or inside ``context``, a CSS selector)."""
    _loaded(page)
    return _axe.run(page, context=context, options=OPTIONS).response["violations"]


def report(found: list[dict]) -> str:
    lines = []
    for v in found:
        lines.append(f"- {v['id']} ({v['impact']}): {v['help']} <{v['helpUrl']}>")
        for node in v["nodes"]:
            lines.append(f"    at {', '.join(map(str, node['target']))}: {node['html'][:200]}")
            lines.append(f"       {node.get('failureSummary', '').replace(chr(10), ' ')}")
    return "\n".join(lines)


def assert_accessible(page, context=None) -> None:
    found = violations(page, context)
    assert not found, f"axe found {len(found)} WCAG A/AA violation(s) on {page.url}:\n" + report(
        found
    )


def assert_no_axe_violations(page) -> None:
    """axe-core with every rule it runs by default (best practices as well as
    WCAG), failing with axe's own report: the first browser tests' check."""
    _loaded(page)
    results = _axe.run(page)
    assert results.violations_count == 0, results.generate_report()
