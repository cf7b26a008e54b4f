"""report.html: content, escaping, caps and self-containment, read back with the stdlib parser."""

from __future__ import annotations

import dataclasses
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from esg_audit.reports import html as html_report
from esg_audit.reports import write_reports
from esg_audit.reports.html import render_html, write_html
from tests.reports.fixtures import HYPERLINK_NAME, audit_result, repeated

SCRIPT_NAME = "<script>alert(1)</script>"

# The fixture's findings in SPEC order: (supplier_id, rule_id, severity, status).
FINDINGS = [
    ("S004", "SOC-001", "critical", "fail"),
    ("S003", "ENV-001", "high", "fail"),
    ("S002", "ENV-001", "high", "warn"),
    ("S006", "ENV-002", "medium", "fail"),
    ("S003", "ENV-002", "medium", "warn"),
    ("S003", "CBAM-001", "low", "missing"),
    ("S001", "CBAM-001", "low", "warn"),
    ("S002", "GOV-001", "info", "missing"),
    ("S006", "GOV-001", "info", "warn"),
]


class PageReader(HTMLParser):
    """Collects the page's tables (by id or class) as lists of cell texts, and element ids."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict] = []
        self.stack: list[dict] = []
        self.row: list[str] | None = None
        self.row_attrs: dict = {}
        self.cell: list[str] | None = None
        self.ids: list[str] = []
        self.articles: list[str] = []
        self.tags: list[tuple[str, dict]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self.tags.append((tag, attrs))
        if "id" in attrs:
            self.ids.append(attrs["id"])
        if tag == "article":
            self.articles.append(attrs.get("id", ""))
        if tag == "table":
            table = {"id": attrs.get("id"), "class": attrs.get("class", ""), "rows": [],
                     "attrs": []}
            self.tables.append(table)
            self.stack.append(table)
        elif tag == "tr" and self.stack:
            self.row, self.row_attrs = [], attrs
        elif tag in ("td", "th") and self.row is not None:
            self.cell = []
        elif tag == "br" and self.cell is not None:
            self.cell.append(" | ")

    def handle_endtag(self, tag):
        if tag == "table" and self.stack:
            self.stack.pop()
        elif tag == "tr" and self.row is not None and self.stack:
            self.stack[-1]["rows"].append(self.row)
            self.stack[-1]["attrs"].append(self.row_attrs)
            self.row = None
        elif tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.row.append(" ".join("".join(self.cell).split()))
            self.cell = None

    def handle_data(self, data):
        self.text.append(data)
        if self.cell is not None:
            self.cell.append(data)

    def table(self, key: str) -> dict:
        found = [t for t in self.tables if t["id"] == key or key in t["class"].split()]
        assert len(found) >= 1, key
        return found[0]

    def all_text(self) -> str:
        return " ".join(" ".join(self.text).split())


def read(page: str) -> PageReader:
    reader = PageReader()
    reader.feed(page)
    reader.close()
    return reader


def with_names(result, names: dict[str, str]):
    """The fixture with some suppliers renamed, in every frame that carries the name."""
    suppliers = result.suppliers.copy()
    suppliers["name"] = suppliers["name"].mask(
        suppliers["supplier_id"].isin(names), suppliers["supplier_id"].map(names))
    findings = result.findings.copy()
    findings["name"] = findings["name"].mask(
        findings["supplier_id"].isin(names), findings["supplier_id"].map(names))
    return dataclasses.replace(result, suppliers=suppliers, findings=findings)


def scaled(result, copies: int):
    """The fixture's six suppliers repeated `copies` times with ids S001-0001 ...: a large audit."""
    return repeated(result, copies)


@pytest.fixture(scope="module")
def page() -> str:
    return render_html(audit_result())


@pytest.fixture(scope="module")
def reader(page: str) -> PageReader:
    return read(page)


def test_write_html_writes_one_page_atomically(tmp_path: Path):
    path = tmp_path / "report.html"
    write_html(audit_result(), path)
    text = path.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>\n<html lang=\"en\">")
    assert text.rstrip().endswith("</html>")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["report.html"]
    assert text == render_html(audit_result())  # deterministic for the same audit


def test_write_reports_html_format(tmp_path: Path):
    written = write_reports(audit_result(), tmp_path / "out", ["html"])
    assert written == [tmp_path / "out" / "report.html"]
    assert written[0].read_text(encoding="utf-8") == render_html(audit_result())


def test_page_fetches_nothing(page: str, reader: PageReader):
    # No external script, style, image, font or frame: everything is inline.
    fetching = [(tag, attrs) for tag, attrs in reader.tags
                if attrs.get("src") is not None
                or (tag == "link" and attrs.get("href") != "data:,")
                or (tag == "a" and not str(attrs.get("href", "#")).startswith("#"))]
    assert fetching == []
    assert [t for t, _ in reader.tags].count("script") == 1
    assert [t for t, _ in reader.tags].count("style") == 1
    assert "url(" not in page and "@import" not in page
    assert "https://" not in page
    # The one "http://" is the hostile supplier name, shown as escaped text.
    assert page.count("http://") == page.count("=HYPERLINK(&#34;http://example.com&#34;")


def test_header_names_as_of_inputs_and_packs(reader: PageReader):
    text = reader.all_text()
    assert "Supplier audit as of 2026-11-27" in text
    assert "Generated 2026-11-27 09:30:05 UTC by esg-audit 0.1.0." in text
    assert "grades: A from 80, B from 60, C from 40, D below 40" in text
    inputs = [t for t in reader.tables if t["rows"] and t["rows"][0] == ["File", "Rows", "SHA-256"]]
    assert inputs[0]["rows"][1:] == [
        ["inputs/suppliers.xlsx", "7", "c" * 64],
        ["inputs/certificates.csv", "4", "d" * 64],
    ]
    packs = [t for t in reader.tables if t["rows"] and t["rows"][0][0] == "Pack"]
    assert packs[0]["rows"][1:] == [
        ["baseline", "2026.11", "4", "rules/baseline.yaml", "a" * 64],
        ["cbam", "1.0", "1", "rules/cbam.yaml", "b" * 64],
    ]
    assert "esg-audit check suppliers.xlsx --as-of 2026-11-27 --format xlsx,json,csv,html" in text


def test_summary_counts(reader: PageReader):
    text = reader.all_text()
    assert "6 suppliers audited of 7 non-blank supplier rows read; 1 not audited (see data issues)" in text
    assert "9 findings 3 fail, 2 missing, 4 warn" in text
    assert "1 knockout supplier forced to grade D" in text
    assert "4 data issues" in text
    assert "1 waiver applied 5 rules in 2 packs" in text
    assert "critical 1 high 2 medium 2 low 2 info 2" in text


def test_charts_are_inline_svg_with_exact_values(page: str):
    assert "Suppliers by grade: A 1, B 1, C 2, D 1, N/A 1</title>" in page
    assert "Average pillar score: environment 61.6, social 80.0, governance 80.0</title>" in page
    bars = re.findall(r'<rect x="[\d.]+" y="[\d.]+" width="46" height="([\d.]+)" '
                      r'class="fill-grade-(\w+)"', page)
    assert bars == [("75.0", "a"), ("75.0", "b"), ("150.0", "c"), ("75.0", "d"), ("75.0", "na")]
    pillar_widths = re.findall(r'width="([\d.]+)" height="18" class="fill-pillar"', page)
    assert pillar_widths == ["184.8", "240.0", "240.0"]  # 3 px per point


def test_frameworks_table(reader: PageReader):
    rows = reader.table("frameworks")["rows"]
    assert rows[0] == ["Framework", "Pass", "Warn", "Fail", "Missing", "Applicable", "Passing",
                       "Share of results"]
    assert [r[:7] for r in rows[1:]] == [
        ["CBAM", "3", "1", "0", "1", "5", "60%"],
        ["CSRD ESRS E1", "3", "1", "0", "1", "5", "60%"],
        ["CSRD ESRS S2", "4", "0", "1", "0", "5", "80%"],
        ["GHG Protocol", "3", "1", "1", "0", "5", "60%"],
        ["ISO 14001", "2", "1", "1", "0", "4", "50%"],
        ["SBTi", "3", "1", "1", "0", "5", "60%"],
    ]


def test_findings_table_rows_in_spec_order(reader: PageReader):
    table = reader.table("findings-table")
    assert table["rows"][0] == ["Severity", "Status", "Supplier", "Rule", "Finding",
                                "Remediation", "Due"]
    body = table["rows"][1:]
    got = [(r[2].split(" | ")[0], r[3].split(" | ")[0], r[0], r[1]) for r in body]
    assert got == FINDINGS
    assert [(a["data-severity"], a["data-status"]) for a in table["attrs"][1:]] == [
        (sev, st) for _, _, sev, st in FINDINGS]
    assert body[1] == [
        "high", "fail", 'S003 | =HYPERLINK("http://example.com","x")',
        "ENV-001 | Valid ISO 14001 certificate | ISO 14001:2015",
        "+no valid ISO 14001 certificate",
        "Certify the site's environmental management system to ISO 14001.",
        "2027-01-26",
    ]
    assert [r[6] for r in body] == ["2026-12-27", "2027-01-26", "2027-01-26", "2027-02-25",
                                   "2027-02-25", "2027-05-26", "2027-05-26", "2027-11-27",
                                   "2027-11-27"]
    assert [r[4] for r in body if r[4][0] in "+-@"] == [
        "+no valid ISO 14001 certificate", "@cbam_embedded_tco2e is missing",
        "-12% embedded emissions versus last year, report incomplete"]


def test_findings_controls_and_count(page: str, reader: PageReader):
    assert {"findings-filter", "findings-severity", "findings-status", "findings-count",
            "findings-clear"} <= set(reader.ids)
    assert ('<output id="findings-count" aria-live="polite" data-total="9">'
            "Showing 9 of 9 findings</output>") in page
    options = re.findall(r'<select id="findings-(\w+)">(.*?)</select>', page)
    assert [(name, re.findall(r'value="([^"]*)"', body)) for name, body in options] == [
        ("severity", ["", "critical", "high", "medium", "low", "info"]),
        ("status", ["", "fail", "missing", "warn"]),
    ]


def test_supplier_sections_findings_first(reader: PageReader):
    assert reader.articles == ["supplier-1", "supplier-2", "supplier-3", "supplier-4",
                               "supplier-6", "supplier-5"]
    results = [t for t in reader.tables if "results" in t["class"].split()]
    assert len(results) == 6
    s003 = results[2]["rows"]
    assert s003[1:] == [
        ["ENV-001 Valid ISO 14001 certificate", "environment", "high", "fail", "0 / 10",
         "+no valid ISO 14001 certificate"],
        ["ENV-002 Renewable electricity share", "environment", "medium", "warn", "2.5 / 5",
         "renewable_share 0.45 is below 0.6"],
        ["SOC-001 No forced labour findings", "social", "critical", "pass", "5 / 5", ""],
        ["GOV-001 Anti-bribery policy disclosed", "governance", "info", "pass", "1 / 1", ""],
        ["CBAM-001 Embedded emissions reported", "environment", "low", "missing", "0 / 2",
         "@cbam_embedded_tco2e is missing"],
    ]
    waived = results[4]["rows"][1]
    assert waived == ["ENV-001 Valid ISO 14001 certificate", "environment", "high", "waived",
                      "–", "no valid ISO 14001 certificate (waived)"]
    assert [r[3] for r in results[5]["rows"][1:]] == ["n/a"] * 5


def test_supplier_section_scores_grades_and_pillars(page: str):
    heads = re.findall(
        r'<span class="grade grade-(\w+)" title="grade ([^"]+)">.*?'
        r'<span class="id">([^<]+)</span>.*?<div class="score"><span class="big">([^<]+)</span>',
        page, flags=re.S)
    assert heads == [("a", "A", "S001", "97.1"), ("b", "B", "S002", "72.8"),
                     ("c", "C", "S003", "57.4"), ("d", "D", "S004", "75.0"),
                     ("c", "C", "S006", "51.8"), ("na", "N/A", "S005", "–")]
    assert page.count("Knockout: a failed knockout rule forces grade D") == 1
    s002 = page[page.index('id="supplier-2"'):page.index('id="supplier-3"')]
    assert re.findall(r'<span class="label">(\w+)</span><span class="meter"><span '
                      r'style="width: ([\d.]+)%"></span></span><span class="value">([^<]+)<',
                      s002) == [("environment", "70.6", "70.6"), ("social", "100.0", "100.0"),
                                ("governance", "50.0", "50.0")]
    s005 = page[page.index('id="supplier-5"'):]
    assert "(no name given)" in s005[:600]


def test_hostile_text_is_escaped():
    result = with_names(audit_result(), {"S002": SCRIPT_NAME})
    page = render_html(result)
    assert "<script>alert(1)</script>" not in page
    assert page.count("&lt;script&gt;alert(1)&lt;/script&gt;") == 3  # 2 findings + section
    assert '=HYPERLINK("http://example.com","x")' not in page
    assert page.count("=HYPERLINK(&#34;http://example.com&#34;,&#34;x&#34;)") == 4
    reader = read(page)
    assert reader.articles[1] == "supplier-2"
    assert [t for t, _ in reader.tags].count("script") == 1
    issues = reader.table("issues")["rows"]
    assert issues[3] == ["inputs/suppliers.xlsx", "Suppliers", "6", "Country",
                         "=cmd|' /C calc'!A0", "not an ISO 3166-1 alpha-2 country code"]
    assert HYPERLINK_NAME in reader.all_text()


def test_data_issues_notes_and_waivers(reader: PageReader):
    assert reader.table("issues")["rows"] == [
        ["File", "Sheet", "Row", "Column", "Value", "Problem"],
        ["inputs/suppliers.xlsx", "Suppliers", "8", "Supplier ID", "",
         "row has data but no supplier_id; not scored"],
        ["inputs/suppliers.xlsx", "Suppliers", "5", "Renewable Share (%)", "140",
         "renewable_share 140% is outside [0, 100]"],
        ["inputs/suppliers.xlsx", "Suppliers", "6", "Country", "=cmd|' /C calc'!A0",
         "not an ISO 3166-1 alpha-2 country code"],
        ["inputs/certificates.csv", "Certificates", "3", "", "",
         "supplier_id S999 is not an audited supplier"],
    ]
    assert ("inputs/suppliers.xlsx, sheet Suppliers, column On-time delivery: "
            "values above 1 read as percent") in reader.all_text()
    assert reader.table("waivers")["rows"][1:] == [
        ["Applied", "S006", "ENV-001", "certification audit booked for 2027-01", "J. Doe",
         "2027-03-31"],
        ["Expired", "S002", "ENV-002", "old exemption", "J. Doe", "2026-01-31"],
        ["Unmatched", "S999", "ENV-001", "supplier left", "J. Doe", "2027-01-31"],
    ]


def test_caps_state_what_is_not_shown(monkeypatch):
    monkeypatch.setattr(html_report, "MAX_SUPPLIER_SECTIONS", 2)
    monkeypatch.setattr(html_report, "MAX_FINDING_ROWS", 3)
    monkeypatch.setattr(html_report, "MAX_DATA_ISSUE_ROWS", 1)
    reader = read(render_html(audit_result()))
    text = reader.all_text()
    assert reader.articles == ["supplier-1", "supplier-2"]
    assert ("This page shows 2 of 6 suppliers (those with findings first, in input order); "
            "the other 4 are not shown. report.xlsx has every supplier.") in text
    body = reader.table("findings-table")["rows"][1:]
    assert [(r[2].split(" | ")[0], r[3].split(" | ")[0]) for r in body] == [
        (s, r) for s, r, _, _ in FINDINGS[:3]]
    assert ("This page lists the first 3 of 9 findings, most urgent first. "
            "report.xlsx and findings.csv list all of them.") in text
    assert "Showing 3 of 3 findings" in text
    assert "Findings (9)" in text
    assert len(reader.table("issues")["rows"]) == 2
    assert "This page lists the first 1 of 4 data issues; report.xlsx lists all of them." in text


def test_default_caps_on_a_large_audit():
    result = scaled(audit_result(), 100)  # 600 suppliers, 900 findings
    page = render_html(result)
    articles = re.findall(r'<article class="supplier" id="(supplier-\d+)">', page)
    assert len(articles) == html_report.MAX_SUPPLIER_SECTIONS == 500
    # 500 suppliers with findings exist (5 of every 6): no finding-free S005 copy is shown.
    positions = [int(a.removeprefix("supplier-")) - 1 for a in articles]
    assert positions[:6] == [0, 1, 2, 3, 5, 6]
    assert [p for p in positions if p % 6 == 4] == []
    assert positions[-1] == 599
    assert ("This page shows 500 of 600 suppliers (those with findings first, in input order); "
            "the other 100 are not shown. report.xlsx has every supplier.") in page
    assert page.count("<tr data-severity=") == 900
    assert "This page lists the first" not in page
    assert "Showing 900 of 900 findings" in page


def test_no_findings_says_so():
    result = audit_result()
    result = dataclasses.replace(result, findings=result.findings.iloc[0:0])
    page = render_html(result)
    reader = read(page)
    assert "findings-table" not in reader.ids
    assert ("No findings: every applicable result passed, was waived or was not applicable."
            in reader.all_text())


