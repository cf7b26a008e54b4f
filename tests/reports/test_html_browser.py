"""report.html in a real headless Chromium: loads offline, filters and sorts the findings table.

Skipped when Debian's Chromium (/usr/bin/chromium) or the playwright package is absent.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from esg_audit.reports.html import write_html
from tests.reports.fixtures import audit_result

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic",
]
SCRIPT_NAME = "<script>alert(1)</script>"

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="needs Debian's chromium at /usr/bin/chromium"),
]
sync_api = pytest.importorskip("playwright.sync_api", reason="needs the playwright package")

SPEC_ORDER = [
    ("S004", "SOC-001"), ("S003", "ENV-001"), ("S002", "ENV-001"), ("S006", "ENV-002"),
    ("S003", "ENV-002"), ("S003", "CBAM-001"), ("S001", "CBAM-001"), ("S002", "GOV-001"),
    ("S006", "GOV-001"),
]


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def report_path(tmp_path_factory) -> Path:
    result = audit_result()
    # A supplier named like a script: it must show as text and never run.
    suppliers = result.suppliers.copy()
    suppliers["name"] = suppliers["name"].mask(suppliers["supplier_id"] == "S002", SCRIPT_NAME)
    findings = result.findings.copy()
    findings["name"] = findings["name"].mask(findings["supplier_id"] == "S002", SCRIPT_NAME)
    result = dataclasses.replace(result, suppliers=suppliers, findings=findings)
    path = tmp_path_factory.mktemp("html") / "report.html"
    write_html(result, path)
    return path


@pytest.fixture()
def page(browser, report_path):
    """A fresh page on report.html that records console messages, requests and dialogs."""
    context = browser.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.console_messages_seen = []
    page.requests_seen = []
    page.dialogs_seen = []
    page.on("console", lambda m: page.console_messages_seen.append((m.type, m.text)))
    page.on("pageerror", lambda e: page.console_messages_seen.append(("pageerror", str(e))))
    page.on("request", lambda r: page.requests_seen.append(r.url))
    page.on("dialog", lambda d: (page.dialogs_seen.append(d.message), d.dismiss()))
    page.goto(report_path.as_uri())
    yield page
    context.close()


def visible_findings(page) -> list[tuple[str, str]]:
    """(supplier_id, rule_id) of the findings rows a person can see, top to bottom."""
    return [tuple(pair) for pair in page.eval_on_selector_all(
        "#findings-table tbody tr",
        """rows => rows.filter(r => !r.hidden && r.offsetParent !== null)
                       .map(r => [r.cells[2].querySelector('.id').textContent,
                                  r.cells[3].querySelector('.id').textContent])""")]


def count_text(page) -> str:
    return page.inner_text("#findings-count")


def test_loads_offline_without_errors(page, report_path, tmp_path):
    page.wait_for_load_state("load")
    assert page.console_messages_seen == []
    assert page.requests_seen == [report_path.as_uri()]  # the page itself, nothing else
    assert page.dialogs_seen == []
    assert page.title() == "ESG supplier audit, as of 2026-11-27"
    assert visible_findings(page) == SPEC_ORDER
    assert count_text(page) == "Showing 9 of 9 findings"
    # Hostile names show as text.
    assert page.inner_text("#supplier-2 h3") == f"S002 {SCRIPT_NAME}"
    assert page.inner_text("#supplier-3 h3") == 'S003 =HYPERLINK("http://example.com","x")'
    shot = tmp_path / "report.png"
    page.screenshot(path=str(shot), full_page=True)
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_text_filter_narrows_to_exact_rows(page):
    page.fill("#findings-filter", "S003")
    assert visible_findings(page) == [("S003", "ENV-001"), ("S003", "ENV-002"),
                                      ("S003", "CBAM-001")]
    assert count_text(page) == "Showing 3 of 9 findings"
    page.fill("#findings-filter", "s003   MISSING")  # every word, any case
    assert visible_findings(page) == [("S003", "CBAM-001")]
    page.fill("#findings-filter", "<script>")  # the escaped supplier name is searchable text
    assert visible_findings(page) == [("S002", "ENV-001"), ("S002", "GOV-001")]
    page.fill("#findings-filter", "no such thing")
    assert visible_findings(page) == []
    assert count_text(page) == "Showing 0 of 9 findings"
    assert page.is_visible("#findings-none")
    page.click("#findings-clear")
    assert visible_findings(page) == SPEC_ORDER
    assert not page.is_visible("#findings-none")


def test_severity_and_status_selects_combine_with_text(page):
    page.select_option("#findings-severity", "info")
    assert visible_findings(page) == [("S002", "GOV-001"), ("S006", "GOV-001")]
    page.select_option("#findings-status", "warn")
    assert visible_findings(page) == [("S006", "GOV-001")]
    assert count_text(page) == "Showing 1 of 9 findings"
    page.select_option("#findings-severity", "")
    assert visible_findings(page) == [("S002", "ENV-001"), ("S003", "ENV-002"),
                                      ("S001", "CBAM-001"), ("S006", "GOV-001")]
    page.fill("#findings-filter", "renewable")
    assert visible_findings(page) == [("S003", "ENV-002")]


def test_clicking_a_header_sorts(page):
    page.click("#findings-table th:nth-child(3) button")  # Supplier, ascending
    assert visible_findings(page) == [
        ("S001", "CBAM-001"), ("S002", "ENV-001"), ("S002", "GOV-001"), ("S003", "ENV-001"),
        ("S003", "ENV-002"), ("S003", "CBAM-001"), ("S004", "SOC-001"), ("S006", "ENV-002"),
        ("S006", "GOV-001")]
    assert page.get_attribute("#findings-table th:nth-child(3)", "aria-sort") == "ascending"
    page.click("#findings-table th:nth-child(3) button")  # descending; ties keep report order
    assert visible_findings(page) == [
        ("S006", "ENV-002"), ("S006", "GOV-001"), ("S004", "SOC-001"), ("S003", "ENV-001"),
        ("S003", "ENV-002"), ("S003", "CBAM-001"), ("S002", "ENV-001"), ("S002", "GOV-001"),
        ("S001", "CBAM-001")]
    assert page.get_attribute("#findings-table th:nth-child(3)", "aria-sort") == "descending"
    page.click("#findings-table th:nth-child(2) button")  # Status: fail, missing, warn
    assert visible_findings(page) == [
        ("S004", "SOC-001"), ("S003", "ENV-001"), ("S006", "ENV-002"), ("S003", "CBAM-001"),
        ("S002", "GOV-001"), ("S002", "ENV-001"), ("S003", "ENV-002"), ("S001", "CBAM-001"),
        ("S006", "GOV-001")]
    assert page.get_attribute("#findings-table th:nth-child(3)", "aria-sort") is None
    page.fill("#findings-filter", "S003")  # filtering keeps the sort
    assert visible_findings(page) == [("S003", "ENV-001"), ("S003", "CBAM-001"),
                                      ("S003", "ENV-002")]
    assert page.console_messages_seen == []


def test_supplier_link_jumps_to_its_section(page):
    page.click("#findings-table tbody tr:nth-child(2) a.id")
    assert page.evaluate("location.hash") == "#supplier-3"
    assert page.is_visible("#supplier-3")
