"""Fields a pack declares in full: listed values, description, unit and template header.

The values are checked where a rule author writes them (`rules lint`), read in the pack's
spelling where a supplier answers (normalise), and offered as a drop-down in the template.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from openpyxl import load_workbook

from esg_audit.cli import cli
from esg_audit.model import DeclaredField
from esg_audit.rules import default_rules_path, lint_rules, load_rules
from esg_audit.rules.docs import render_rules_doc
from esg_audit.rules.testing import run_pack_tests
from esg_audit.template import write_template

PACK = """\
pack: audits
version: "1"
fields:
  audit_result:
    type: text
    values: [pass, conditional, fail]
    description: Outcome of the latest audit.
    header: Audit Result
  workers:
    type: number
    unit: head count
    description: Workers on site.
  audit_date: date
rules:
  - id: AU-001
    title: Audit passed
    pillar: social
    applies_to: notna(audit_result)
    check:
      pass: audit_result == 'pass'
      warn: audit_result in ['conditional']
tests:
  - name: answers_in_any_case
    suppliers:
      - {supplier_id: S1, audit_result: PASS}
      - {supplier_id: S2, audit_result: " Conditional "}
      - {supplier_id: S3, audit_result: fail}
    expect:
      S1: {AU-001: pass}
      S2: {AU-001: warn}
      S3: {AU-001: fail}
"""


def _write(tmp_path: Path, text: str, name: str = "audits.yaml") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _lint(tmp_path: Path, text: str) -> list[str]:
    path = _write(tmp_path, text)
    return [str(e).split(":", 1)[1].strip() for e in lint_rules([path])]


def test_a_field_declared_in_full(tmp_path):
    ruleset = load_rules([_write(tmp_path, PACK)])
    assert dict(ruleset.packs[0].declared) == {
        "audit_result": DeclaredField(
            "audit_result", "text", ("pass", "conditional", "fail"),
            "Outcome of the latest audit.", "", "Audit Result",
        ),
        "workers": DeclaredField("workers", "number", (), "Workers on site.", "head count"),
        "audit_date": DeclaredField("audit_date", "date"),
    }
    assert ruleset.fields == {"audit_result": "text", "workers": "number", "audit_date": "date"}
    assert ruleset.field_values == {"audit_result": ("pass", "conditional", "fail")}


def test_listed_answers_are_read_in_the_packs_spelling(tmp_path):
    outcomes = run_pack_tests([_write(tmp_path, PACK)])
    assert [(o.case, o.passed, o.data_issues) for o in outcomes] == [
        ("answers_in_any_case", True, ()),
    ]


def test_an_answer_not_listed_is_a_data_issue_and_missing(tmp_path):
    pack = _write(tmp_path, PACK)
    book = tmp_path / "in.csv"
    book.write_text("supplier_id,Audit Result\nS1,passed\nS2,Pass\n", encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(cli, ["check", str(book), "--rules", pack, "--as-of",
                                      "2026-11-27", "--format", "json", "--out", str(out)])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "report.json").read_text(encoding="utf-8"))
    assert [(i["sheet"], i["row"], i["column"], i["value"], i["problem"])
            for i in report["data_issues"]] == [
        ("Suppliers", 2, "Audit Result", "passed",
         "not one of the listed values (pass, conditional, fail)"),
    ]
    statuses = {s["supplier_id"]: s["results"][0]["status"] for s in report["suppliers"]}
    assert statuses == {"S1": "n/a", "S2": "pass"}


@pytest.mark.parametrize(("fields", "error"), [
    ("  score:\n    type: number\n    values: [1, 2]\n",
     "6: fields.score: values can be listed for a text field only, not for 'number'"),
    ("  tier:\n    type: text\n    values: [gold, Gold]\n",
     "6: fields.tier.values: 'Gold' is listed twice (as 'gold' before; answers are matched "
     "case-insensitively)"),
    ("  tier:\n    type: text\n    values: gold\n",
     "6: fields.tier.values must be a list of the allowed answers, e.g. [pass, fail], not "
     "'gold'"),
    ("  tier:\n    type: text\n    values: [gold, 2]\n",
     "6: fields.tier.values: item 2 must be text, not 2 (a number); quote it: '2'"),
    ("  tier:\n    type: text\n    descripton: Tier\n",
     "6: unknown key 'descripton' in fields.tier; did you mean 'description'?"),
    ("  tier:\n    values: [gold]\n",
     "5: fields.tier needs 'type'"),
    ("  cmrt_date:\n    type: date\n    header: CMRT Datum\n",
     "6: fields.cmrt_date.header 'CMRT Datum' does not read back as cmrt_date: a header is "
     "matched by its letters and digits, e.g. 'CMRT Date' for cmrt_date"),
])
def test_lint_reports_a_wrong_declaration(tmp_path, fields, error):
    text = f'pack: p\nversion: "1"\nfields:\n{fields}rules:\n' \
           "  - {id: P-1, title: t, pillar: social, check: {required: [country]}}\n"
    assert _lint(tmp_path, text) == [error]


def test_lint_reports_an_answer_a_rule_compares_that_is_not_listed(tmp_path):
    text = PACK.replace("pass: audit_result == 'pass'", "pass: audit_result == 'passed'") \
               .replace("warn: audit_result in ['conditional']",
                        "warn: coalesce(audit_result, '') in ['conditional', 'Fail', 'open']")
    assert _lint(tmp_path, text) == [
        "20: AU-001: 'passed' is not one of the values the pack lists for audit_result "
        "(pass, conditional, fail)",
        "21: AU-001: 'open' is not one of the values the pack lists for audit_result "
        "(pass, conditional, fail)",
    ]


def test_lint_reports_an_answer_a_test_case_gives_that_is_not_listed(tmp_path):
    path = _write(tmp_path, PACK.replace("audit_result: fail}", "audit_result: failed}"))
    result = CliRunner().invoke(cli, ["rules", "lint", path])
    assert result.exit_code == 2
    assert result.stdout == (
        f"{path}:27: test case 'answers_in_any_case': Suppliers row: 'audit_result': 'failed' "
        "is not one of the values the pack lists for audit_result (pass, conditional, fail)\n"
    )


def test_two_packs_may_not_list_different_values_for_one_field(tmp_path):
    other = 'pack: other\nversion: "1"\nfields:\n  audit_result:\n    type: text\n' \
            "    values: [ok, not ok]\nrules: []\n"
    plain = 'pack: plain\nversion: "1"\nfields:\n  audit_result: text\nrules: []\n'
    first = _write(tmp_path, PACK)
    errors = lint_rules([first, _write(tmp_path, other, "other.yaml")])
    assert [e.message for e in errors] == [
        f"fields.audit_result lists other values here than in {first} (pass, conditional, fail)",
    ]
    # Declared without values, the field takes the values the other pack lists.
    ruleset = load_rules([_write(tmp_path, plain, "a_plain.yaml"), first])
    assert ruleset.field_values == {"audit_result": ("pass", "conditional", "fail")}


def test_the_template_offers_listed_answers_as_a_drop_down(tmp_path):
    ruleset = load_rules([_write(tmp_path, PACK)])
    path = write_template(tmp_path / "t.xlsx", ruleset.fields, ruleset.declared)
    book = load_workbook(path)
    sheet = book["Suppliers"]
    header = [c.value for c in sheet[1]]
    assert header[-3:] == ["Audit Result", "Workers", "Audit Date"]
    lists = {str(v.sqref): (v.formula1, v.showErrorMessage)
             for v in sheet.data_validations.dataValidation}
    column = chr(ord("A") + header.index("Audit Result"))
    assert lists[f"{column}2:{column}1048576"] == ('"pass,conditional,fail"', True)
    hints = {row[1]: row[2] for row in book["Instructions"].iter_rows(values_only=True)
             if row[0] == "Suppliers"}
    assert hints["Audit Result"] == "Outcome of the latest audit. One of: pass, conditional, fail."
    assert hints["Workers"] == "Workers on site. Unit: head count."
    assert hints["Audit Date"] == "date (declared by a rule pack) Date, YYYY-MM-DD."


def test_a_long_list_or_one_with_commas_goes_to_a_hidden_sheet(tmp_path):
    values = [f"grade {i}, band {i % 3}" for i in range(40)]
    declared = {"grade": DeclaredField("grade", "text", tuple(values))}
    book = load_workbook(write_template(tmp_path / "t.xlsx", {"grade": "text"}, declared))
    assert book["Lists"].sheet_state == "hidden"
    assert [c.value for c in book["Lists"]["A"]] == ["grade", *values]
    (validation,) = [v for v in book["Suppliers"].data_validations.dataValidation
                     if v.formula1.startswith("Lists!")]
    assert validation.formula1 == "Lists!$A$2:$A$41"


# --- the shipped packs ------------------------------------------------------------------------

SHIPPED_ANSWERS = {
    "code_of_conduct_acknowledged": "yes", "code_of_conduct_date": dt.date(2025, 2, 1),
    "hr_risk_assessment_date": dt.date(2026, 5, 4), "grievance_mechanism": "yes",
    "social_audit_scheme": "amfori BSCI", "social_audit_date": dt.date(2026, 1, 20),
    "social_audit_result": "pass", "contains_3tg": "yes", "cmrt_date": dt.date(2026, 4, 30),
    "smelters_declared": 212, "smelters_conformant": 212, "anti_bribery_policy": "yes",
    "sanctions_screening_date": dt.date(2026, 10, 1), "sanctions_screening_result": "no match",
    "whistleblowing_channel": "yes", "employees": 640, "eudr_commodity": "wood",
    "company_size": "large", "eudr_dds_reference": "26DE4711000815", "eudr_geolocation": "yes",
    "ecovadis_score": 66, "ecovadis_medal": "silver", "ecovadis_date": dt.date(2026, 6, 15),
    "cdp_climate_score": "A-", "cdp_year": 2025, "cbam_embedded_tco2e": 0,
}


def test_the_shipped_template_has_every_declared_field_with_drop_downs(tmp_path):
    ruleset = load_rules([str(default_rules_path())])
    assert set(ruleset.declared) == set(SHIPPED_ANSWERS)
    book = load_workbook(write_template(tmp_path / "t.xlsx", ruleset.fields, ruleset.declared))
    sheet = book["Suppliers"]
    header = [c.value for c in sheet[1]]
    lists = {str(v.sqref).split(":")[0][:-1]: v.formula1
             for v in sheet.data_validations.dataValidation}
    for name, spec in ruleset.declared.items():
        column = header.index(spec.header or " ".join(p.capitalize() for p in name.split("_")))
        letter = sheet.cell(1, column + 1).column_letter
        if spec.values:
            assert lists[letter] == '"' + ",".join(spec.values) + '"', name
        elif spec.type == "bool":
            assert lists[letter] == '"yes,no"', name
        else:
            assert letter not in lists, name
    assert "Social Audit Result" in header and "CMRT Date" in header
    assert "EUDR DDS Reference" in header and "CDP Climate Score" in header


def test_a_filled_copy_of_the_shipped_template_audits_with_no_data_issues(tmp_path):
    out = tmp_path / "template.xlsx"
    assert CliRunner().invoke(cli, ["template", str(out)]).exit_code == 0
    ruleset = load_rules([str(default_rules_path())])
    by_header = {spec.header or " ".join(p.capitalize() for p in name.split("_")): name
                 for name, spec in ruleset.declared.items()}
    canonical = {
        "Supplier ID": "S-1", "Supplier Name": "Lodz Components", "Country": "PL",
        "Category": "electronics", "Annual Spend": 250000, "Renewable Share (%)": 55,
        "Energy (MWh)": 1800, "Scope 1 (tCO2e)": 120, "Scope 2 (tCO2e)": 80,
        "Scope 3 (tCO2e)": 900, "Revenue (MUSD)": 14.5, "Reporting Year": 2025,
        "On-time Delivery (%)": 96, "Defect PPM": 60, "Price Index": 1.01, "SBTi Target": "yes",
    }
    book = load_workbook(out)
    sheet = book["Suppliers"]
    header = [c.value for c in sheet[1]]
    for column, name in enumerate(header, start=1):
        value = canonical[name] if name in canonical else SHIPPED_ANSWERS[by_header[name]]
        sheet.cell(2, column, value)
    certificates = book["Certificates"]
    row = {"Supplier ID": "S-1", "Standard": "SA 8000:2014", "Certificate No": "SA-1",
           "Issuer": "SGS", "Valid From": dt.date(2025, 3, 1), "Valid Until": dt.date(2028, 2, 29),
           "Status": "active"}
    for column, cell in enumerate(certificates[1], start=1):
        certificates.cell(2, column, row[cell.value])
    filled = tmp_path / "filled.xlsx"
    book.save(filled)

    reports = tmp_path / "reports"
    result = CliRunner().invoke(cli, ["check", str(filled), "--as-of", "2026-11-27",
                                      "--format", "json", "--out", str(reports)])
    assert result.exit_code == 0, result.output
    report = json.loads((reports / "report.json").read_text(encoding="utf-8"))
    assert report["data_issues"] == []
    assert report["notes"] == []
    statuses = {r["rule_id"]: r["status"] for r in report["suppliers"][0]["results"]}
    new_rules = ("HR-", "CM-", "BE-", "EUDR-", "RAT-")
    assert {k: v for k, v in statuses.items() if k.startswith(new_rules)} == {
        "HR-001": "pass", "HR-002": "pass", "HR-003": "pass", "HR-004": "pass", "HR-005": "pass",
        "CM-001": "pass", "CM-002": "pass", "BE-001": "pass", "BE-002": "pass", "BE-003": "pass",
        "BE-004": "pass", "EUDR-001": "pass", "EUDR-002": "n/a", "RAT-001": "pass",
        "RAT-002": "pass",
    }


def test_docs_list_every_declared_field_with_meaning_and_unit():
    page = render_rules_doc()
    ruleset = load_rules([str(default_rules_path())])
    for name, spec in ruleset.declared.items():
        rows = [line for line in page.splitlines() if line.startswith(f"| `{name}` |")]
        assert len(rows) == 1, name
        if spec.description:
            assert " ".join(spec.description.split()) in rows[0]
        if spec.unit:
            assert f"| {spec.unit} |" in rows[0]
    assert "| `employees` | number | workers (head count) |  | Workers employed by the supplier. |" \
        in page.splitlines()
