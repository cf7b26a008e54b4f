"""Rule packs' own test cases (`tests:` in a pack), run the way a real audit runs them.

A case gives a few rows per sheet and the statuses it expects:

```yaml
tests:
  - name: renewable_full_passes     # unique within the pack
    as_of: 2026-11-27               # optional; default DEFAULT_AS_OF
    suppliers:                      # required: one mapping per row, keys are column headers
      - {supplier_id: S1, category: electronics, renewable_share: 1.0}
    certificates: []                # optional: omitted = no Certificates sheet at all
    emissions: []                   #   (checks that need it report `missing`);
    materials: []                   #   [] = the sheet exists but has no rows
    expect:                         # supplier id -> rule id -> pass|warn|fail|missing|n/a
      S1: {RE-001: pass}
```

Each sheet becomes a RawSheet whose first row holds the keys as headers (in order of first
appearance), so the values go through the normaliser and validator exactly like workbook
cells: `"45%"`, `Scope 1 (kgCO2e)`, `N/A` and `yes` mean what they mean in a workbook. The
statuses compared are the rule's own, before `on_missing`, waivers and scoring.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from esg_audit.errors import EsgAuditError, RuleFileError, RuleFileErrors
from esg_audit.fields import SHEET_FIELDS
from esg_audit.limits import FIRST_DATE, LAST_DATE
from esg_audit.model import (
    STATUSES,
    AuditData,
    DataIssue,
    InputFile,
    LoadedInputs,
    Location,
    RawSheet,
    Rule,
    RulePack,
    RuleSet,
    Status,
)
from esg_audit.normalise import normalise
from esg_audit.rules import evaluate_rule, load_rules
from esg_audit.rules.context import ErrorCollector
from esg_audit.schema import validate

DEFAULT_AS_OF = dt.date(2026, 11, 27)  # the as-of date of a case that does not set one
CASE_SHEETS = {  # key in a case -> sheet it becomes
    "suppliers": "Suppliers",
    "certificates": "Certificates",
    "emissions": "Emissions",
    "materials": "Materials",
    "cbam_goods": "CBAM Goods",
}
CASE_KEYS = ("name", "description", "as_of", *CASE_SHEETS, "expect")
EXPECTABLE = tuple(s for s in STATUSES if s != Status.WAIVED)  # waived comes from scoring, never here
NOT_AUDITED = "not audited"  # the actual status of an expected supplier that was not audited


@dataclass(frozen=True)
class Mismatch:
    """One expectation that did not hold."""

    supplier_id: str
    rule_id: str
    expected: str
    actual: str  # a status, or NOT_AUDITED
    message: str  # the rule's message for the supplier ("" when not audited)


@dataclass(frozen=True)
class CaseOutcome:
    """The result of one test case of one pack.

    `error` is set (and nothing compared) when the case's input could not be audited at all,
    e.g. a Suppliers sheet without a supplier_id column. `data_issues` are the input problems
    the case's rows raised, shown when a case fails.
    """

    pack: str
    case: str
    location: Location  # the pack file and the line of the case
    expectations: int
    mismatches: tuple[Mismatch, ...] = ()
    data_issues: tuple[DataIssue, ...] = ()
    error: str | None = None

    @property
    def passed(self) -> bool:
        return self.error is None and not self.mismatches


@dataclass(frozen=True)
class PackCase:
    """One test case as parsed and checked."""

    pack: RulePack
    name: str
    location: Location
    as_of: dt.date
    sheets: Mapping[str, list[Mapping[str, Any]]]  # sheet name -> rows
    expect: Mapping[str, Mapping[str, str]]  # supplier id -> rule id -> status


def run_pack_tests(ruleset_or_paths: RuleSet | Sequence[str] | str) -> list[CaseOutcome]:
    """Run every test case of every pack, in load order.

    Takes a loaded RuleSet, or rule files/folders to load. Raises RuleFileErrors when a rule
    file or a test case is malformed (an unknown key, a rule id no loaded pack has, a status
    that does not exist, ...), listing every such error.
    """
    ruleset = _ruleset(ruleset_or_paths)
    cases = parse_cases(ruleset)
    rules = {rule.id: rule for rule in ruleset.rules}
    return [_run_case(case, rules, ruleset) for case in cases]


def lint_pack_tests(ruleset: RuleSet) -> list[RuleFileError]:
    """Every error in the packs' test cases (file, line), without running them."""
    try:
        parse_cases(ruleset)
    except RuleFileErrors as errors:
        return list(errors.errors)
    return []


def parse_cases(ruleset: RuleSet) -> list[PackCase]:
    """The packs' cases, checked strictly; raises RuleFileErrors listing every problem."""
    errors = ErrorCollector()
    rule_ids = {rule.id for rule in ruleset.rules}
    cases = []
    for pack in ruleset.packs:
        seen: dict[str, int] = {}
        for raw in pack.tests:
            case = _parse_case(pack, raw, rule_ids, errors, ruleset.field_values)
            if case is None:
                continue
            if case.name in seen:
                errors.collect(_error(
                    f"duplicate test case name '{case.name}' (first at line {seen[case.name]})",
                    pack, case.location.line,
                ))
            seen.setdefault(case.name, case.location.line or 0)
            cases.append(case)
    errors.raise_if_any()
    return cases


def rules_without_cases(ruleset: RuleSet, statuses: Sequence[str] = (Status.PASS.value, Status.FAIL.value)) -> list[str]:
    """`RULE-ID: no case expects STATUS` for each rule lacking a case that expects each status."""
    expected: dict[str, set[str]] = {}
    for case in parse_cases(ruleset):
        for by_rule in case.expect.values():
            for rule_id, status in by_rule.items():
                expected.setdefault(rule_id, set()).add(status)
    return [
        f"{rule.id}: no case expects {status}"
        for rule in ruleset.rules
        for status in statuses
        if status not in expected.get(rule.id, set())
    ]


# --- parsing a case ------------------------------------------------------------------------


def _line(value: Any, key: Any = None) -> int | None:
    if key is not None and hasattr(value, "line_of"):
        line = value.line_of(key)
        return int(line) if line is not None else None
    return getattr(value, "line", None)


def _error(message: str, pack: RulePack, line: int | None) -> RuleFileError:
    return RuleFileError(message, Location(file=pack.path, line=line))


def _parse_case(
    pack: RulePack,
    raw: Mapping[str, Any],
    rule_ids: set[str],
    errors: ErrorCollector,
    listed: Mapping[str, tuple[str, ...]],
) -> PackCase | None:
    before = len(errors)
    line = _line(raw)

    def report(message: str, at: int | None = None) -> None:
        errors.collect(_error(f"test case {label}: {message}", pack, at or line))

    name = raw.get("name")
    label = f"'{name}'" if isinstance(name, str) and name.strip() else f"at line {line}"
    if not isinstance(name, str) or not name.strip():
        report("needs a 'name' (text)")
    for key in raw:
        if key not in CASE_KEYS:
            report(f"unknown key '{key}'; a case has {', '.join(CASE_KEYS)}", _line(raw, key))

    as_of = raw.get("as_of", DEFAULT_AS_OF)
    if isinstance(as_of, dt.datetime):
        as_of = as_of.date()
    if not isinstance(as_of, dt.date):
        report(f"as_of must be a date (YYYY-MM-DD), not {as_of!r}", _line(raw, "as_of"))
    elif not FIRST_DATE <= as_of <= LAST_DATE:
        report(f"as_of must be a date from {FIRST_DATE} to {LAST_DATE}, not {as_of}", _line(raw, "as_of"))

    sheets: dict[str, list[Mapping[str, Any]]] = {}
    if "suppliers" not in raw:
        report("needs 'suppliers' (a list of rows)")
    for key, sheet in CASE_SHEETS.items():
        if key not in raw:
            continue
        rows = raw[key]
        if rows is None:
            rows = []
        if not isinstance(rows, list) or not all(isinstance(r, Mapping) for r in rows):
            report(f"{key} must be a list of rows (mappings of column header to value)", _line(raw, key))
            continue
        for row in rows:
            _check_cells(row, sheet, report, listed if sheet == "Suppliers" else {})
        sheets[sheet] = list(rows)

    expect: dict[str, dict[str, str]] = {}
    given = raw.get("expect")
    if not isinstance(given, Mapping) or not given:
        report("needs 'expect': supplier id -> {rule id: status}", _line(raw, "expect"))
    else:
        for supplier, by_rule in given.items():
            at = _line(given, supplier)
            if not isinstance(by_rule, Mapping) or not by_rule:
                report(f"expect: {supplier}: give a mapping of rule id to status", at)
                continue
            for rule_id, status in by_rule.items():
                if rule_id not in rule_ids:
                    report(f"expect: {supplier}: unknown rule '{rule_id}'", _line(by_rule, rule_id))
                if status not in EXPECTABLE:
                    report(
                        f"expect: {supplier}: {rule_id}: status must be one of "
                        f"{' | '.join(EXPECTABLE)}, not {status!r}",
                        _line(by_rule, rule_id),
                    )
                expect.setdefault(str(supplier), {})[str(rule_id)] = str(status)

    if len(errors) > before:
        return None
    return PackCase(
        pack=pack,
        name=str(name).strip(),
        location=Location(file=pack.path, line=line),
        as_of=as_of,
        sheets=sheets,
        expect=expect,
    )


def _check_cells(
    row: Mapping[str, Any], sheet: str, report: Any, listed: Mapping[str, tuple[str, ...]]
) -> None:
    text_fields = {f.name for f in SHEET_FIELDS[sheet] if f.type in ("text", "standard")}
    by_key = {_key(name): name for name in listed}
    for header, value in row.items():
        at = _line(row, header)
        field = by_key.get(_key(str(header)))
        if isinstance(value, (Mapping, list)):
            report(f"{sheet} row: '{header}' must be a single value, not a list or mapping", at)
        elif isinstance(value, bool) and (header in text_fields or field is not None):
            # YAML 1.1 reads unquoted NO (Norway), yes, on, off as booleans.
            report(f"{sheet} row: '{header}' is text, but YAML read {value} here; quote the value", at)
        elif field is not None and value is not None and _key(str(value), keep_spaces=True) not in {
            _key(v, keep_spaces=True) for v in listed[field]
        }:
            report(f"{sheet} row: '{header}': {value!r} is not one of the values the pack lists "
                   f"for {field} ({', '.join(listed[field])})", at)


def _key(text: str, keep_spaces: bool = False) -> str:
    """A header as the normaliser matches it (letters and digits, lower case), or an answer
    as it is matched (white space collapsed, case folded)."""
    if keep_spaces:
        return " ".join(text.split()).casefold()
    return "".join(c for c in text.casefold() if c.isalnum())


# --- running a case ------------------------------------------------------------------------


def _ruleset(given: RuleSet | Sequence[str] | str) -> RuleSet:
    if isinstance(given, RuleSet):
        return given
    return load_rules([given] if isinstance(given, str) else list(given))


def case_inputs(case: PackCase) -> LoadedInputs:
    """The case's rows as raw sheets, header row 1 and data from row 2, like a workbook."""
    file = f"{case.pack.path} (test '{case.name}')"
    sheets = []
    for sheet, rows in case.sheets.items():
        headers = list(dict.fromkeys(header for row in rows for header in row))
        if not headers:  # `[]`: the sheet exists with its canonical headers and no rows
            headers = [f.name for f in SHEET_FIELDS[sheet]]
        records = [[str(h) for h in headers]] + [[row.get(h) for h in headers] for row in rows]
        cells = pd.DataFrame(records, index=range(1, len(records) + 1), dtype=object)
        cells.columns = pd.RangeIndex(len(headers))
        sheets.append(RawSheet(file=file, sheet=sheet, canonical=sheet, cells=cells))
    count = sum(len(rows) for rows in case.sheets.values())
    return LoadedInputs(sheets=tuple(sheets), inputs=(InputFile(path=file, sha256="", rows=count),))


def _audit_data(case: PackCase, ruleset: RuleSet) -> AuditData:
    normalised = normalise(
        case_inputs(case), column_map=None, extra_fields=ruleset.fields, as_of=case.as_of,
        field_values=ruleset.field_values,
    )
    return validate(normalised, as_of=case.as_of)


def _run_case(case: PackCase, rules: Mapping[str, Rule], ruleset: RuleSet) -> CaseOutcome:
    count = sum(len(by_rule) for by_rule in case.expect.values())
    outcome = CaseOutcome(
        pack=case.pack.name, case=case.name, location=case.location, expectations=count
    )
    try:
        data = _audit_data(case, ruleset)
    except EsgAuditError as error:
        return replace(outcome, error=str(error))

    ids = data.suppliers["supplier_id"].astype(object).to_numpy()
    position = {supplier: i for i, supplier in enumerate(ids)}
    wanted = list(dict.fromkeys(rule_id for by_rule in case.expect.values() for rule_id in by_rule))
    actual: dict[str, tuple[list[str], list[str]]] = {}
    for rule_id in wanted:
        status, message = evaluate_rule(rules[rule_id], data, case.as_of)
        actual[rule_id] = (
            status.astype(object).to_numpy().tolist(),
            message.astype(object).fillna("").to_numpy().tolist(),
        )

    mismatches = []
    for supplier, by_rule in case.expect.items():
        for rule_id, expected in by_rule.items():
            if supplier not in position:
                mismatches.append(Mismatch(supplier, rule_id, expected, NOT_AUDITED, ""))
                continue
            statuses, messages = actual[rule_id]
            got = str(statuses[position[supplier]])
            if got != expected:
                text = str(messages[position[supplier]])
                mismatches.append(Mismatch(supplier, rule_id, expected, got, text))
    return CaseOutcome(
        pack=case.pack.name,
        case=case.name,
        location=case.location,
        expectations=count,
        mismatches=tuple(mismatches),
        data_issues=tuple(data.data_issues),
    )
