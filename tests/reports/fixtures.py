"""A hand-built, scored AuditResult for the report-writer tests (no other stage is run).

Six suppliers across grades A, B, C, D and N/A; three pillars; five rules in two packs whose
references name several frameworks; findings of every severity and of status fail, missing and
warn; a waived result; data issues and notes. Hostile text is included on purpose: a supplier
named `=HYPERLINK(...)`, finding messages starting with '+', '-' and '@', a data-issue value
starting with '='. Supplier S006 is in Namibia (country code "NA", which must stay text).

Scores are computed here from the statuses with the SPEC §5 formulas, so the frames agree with
each other the way the scoring stage would produce them.
"""

from __future__ import annotations

import math
from dataclasses import replace
from datetime import date, datetime, timedelta, timezone

import numpy as np
import pandas as pd

from esg_audit.frameworks import framework_summary
from esg_audit.model import (
    GRADES,
    SEVERITIES,
    SEVERITY_ORDER,
    AuditData,
    AuditResult,
    AuditSummary,
    DataIssue,
    Grading,
    InputFile,
    Location,
    Note,
    Rule,
    RulePack,
    RuleResults,
    RuleSet,
    Severity,
    Waiver,
    WaiverReport,
)

AS_OF = date(2026, 11, 27)
GENERATED_AT = datetime(2026, 11, 27, 9, 30, 5, tzinfo=timezone.utc)
COMMAND = "esg-audit check suppliers.xlsx --as-of 2026-11-27 --format xlsx,json,csv,html"
HYPERLINK_NAME = '=HYPERLINK("http://example.com","x")'
PILLARS = ("environment", "social", "governance")
PILLAR_WEIGHTS = {"environment": 0.5, "social": 0.25, "governance": 0.25}

# id, title, pillar, severity, weight, on_missing, knockout, remediation, references, pack
RULE_ROWS = (
    ("ENV-001", "Valid ISO 14001 certificate", "environment", "high", 10.0, "fail", False,
     "Certify the site's environmental management system to ISO 14001.",
     ("ISO 14001:2015",), "baseline"),
    ("ENV-002", "Renewable electricity share", "environment", "medium", 5.0, "fail", False,
     "Buy renewable electricity or install on-site generation.",
     ("GHG Protocol Scope 2 Guidance", "SBTi Corporate Net-Zero Standard"), "baseline"),
    ("SOC-001", "No forced labour findings", "social", "critical", 5.0, "fail", True,
     "Commission an independent social audit and close every finding.",
     ("CSRD ESRS S2",), "baseline"),
    ("GOV-001", "Anti-bribery policy disclosed", "governance", "info", 1.0, "warn", False,
     "Publish an anti-bribery and corruption policy.",
     (), "baseline"),
    ("CBAM-001", "Embedded emissions reported", "environment", "low", 2.0, "fail", False,
     "Report embedded emissions of CBAM goods per installation.",
     ("CBAM Regulation (EU) 2023/956 Art. 35", "CSRD ESRS E1-6"), "cbam"),
)

# supplier_id, name, country, category
SUPPLIER_ROWS = (
    ("S001", "Alpha Metals GmbH", "DE", "metals"),
    ("S002", "Beta Plastics Ltd", "GB", "plastics"),
    ("S003", HYPERLINK_NAME, "US", "electronics"),
    ("S004", "Delta Textiles SA", "FR", "textiles"),
    ("S005", None, "CN", "services"),
    ("S006", "Zeta Logistics", "NA", "logistics"),
)

# status per (supplier, rule), rules in RULE_ROWS order
STATUS_ROWS = {
    "S001": ("pass", "pass", "pass", "pass", "warn"),
    "S002": ("warn", "pass", "pass", "missing", "pass"),
    "S003": ("fail", "warn", "pass", "pass", "missing"),
    "S004": ("pass", "pass", "fail", "pass", "pass"),
    "S005": ("n/a", "n/a", "n/a", "n/a", "n/a"),
    "S006": ("waived", "fail", "pass", "warn", "pass"),
}

MESSAGES = {
    ("S001", "CBAM-001"): "-12% embedded emissions versus last year, report incomplete",
    ("S002", "ENV-001"): "ISO 14001 certificate expires in 45 days (2027-01-11)",
    ("S002", "GOV-001"): "anti_bribery_policy is missing",
    ("S003", "ENV-001"): "+no valid ISO 14001 certificate",
    ("S003", "ENV-002"): "renewable_share 0.45 is below 0.6",
    ("S003", "CBAM-001"): "@cbam_embedded_tco2e is missing",
    ("S004", "SOC-001"): "forced labour finding open since 2026-03-02",
    ("S006", "ENV-001"): "no valid ISO 14001 certificate (waived)",
    ("S006", "ENV-002"): "renewable_share 0.1 is below 0.3",
    ("S006", "GOV-001"): "policy published but not signed by the board",
}

FACTOR = {"pass": 1.0, "warn": 0.5, "fail": 0.0}


def _rules() -> tuple[Rule, ...]:
    return tuple(
        Rule(
            id=rid, title=title, pillar=pillar, severity=Severity(sev), weight=weight,
            check=None, applies_to=None, on_missing=on_missing, knockout=knockout,
            remediation=remediation, references=refs, pack=pack,
            location=Location(file=f"rules/{pack}.yaml", line=10 + 12 * i, rule_id=rid),
        )
        for i, (rid, title, pillar, sev, weight, on_missing, knockout, remediation, refs, pack)
        in enumerate(RULE_ROWS)
    )


def _ruleset(rules: tuple[Rule, ...]) -> RuleSet:
    grading = Grading(pillars=PILLAR_WEIGHTS)
    packs = (
        RulePack(
            name="baseline", version="2026.11", description="Minimum ESG requirements.",
            path="rules/baseline.yaml", sha256="a" * 64, fields={},
            rules=tuple(r for r in rules if r.pack == "baseline"), grading=grading,
        ),
        RulePack(
            name="cbam", version="1.0", description="EU CBAM reporting.",
            path="rules/cbam.yaml", sha256="b" * 64,
            fields={"cbam_embedded_tco2e": "number"},
            rules=tuple(r for r in rules if r.pack == "cbam"),
        ),
    )
    return RuleSet(packs=packs, rules=rules, grading=grading,
                   fields={"cbam_embedded_tco2e": "number"})


def _points(status: str, rule: Rule) -> tuple[float, float]:
    if status == "missing":
        status = {"fail": "fail", "warn": "warn", "skip": "skip"}[rule.on_missing]
    if status not in FACTOR:
        return 0.0, 0.0
    return rule.weight * FACTOR[status], rule.weight


def _results(rules: tuple[Rule, ...]) -> pd.DataFrame:
    rows = []
    for sid, statuses in STATUS_ROWS.items():
        for rule, status in zip(rules, statuses, strict=True):
            points, max_points = _points(status, rule)
            message = MESSAGES.get((sid, rule.id), "" if status != "n/a" else "not applicable")
            rows.append((sid, rule.id, status, points, max_points, message))
    frame = pd.DataFrame(
        rows, columns=["supplier_id", "rule_id", "status", "points", "max_points", "message"]
    )
    for column in ("supplier_id", "rule_id", "status", "message"):
        frame[column] = frame[column].astype("string")
    return frame


def _round_half_up(score: float) -> float:
    if math.isnan(score):
        return math.nan
    return math.floor(score * 10 + 0.5 + 1e-9) / 10


def _suppliers(rules: tuple[Rule, ...], results: pd.DataFrame) -> pd.DataFrame:
    by_id = {r.id: r for r in rules}
    records = []
    for sid, name, country, category in SUPPLIER_ROWS:
        mine = results[results["supplier_id"] == sid]
        pillar_scores = {}
        for pillar in PILLARS:
            sub = mine[[by_id[r].pillar == pillar for r in mine["rule_id"]]]
            total = sub["max_points"].sum()
            pillar_scores[pillar] = 100 * sub["points"].sum() / total if total else math.nan
        counted = {p: s for p, s in pillar_scores.items() if not math.isnan(s)}
        if counted:
            weights = {p: PILLAR_WEIGHTS[p] for p in counted}
            score = sum(counted[p] * weights[p] for p in counted) / sum(weights.values())
            display = _round_half_up(score)
            grade = next((g for g, band in Grading().bands if display >= band), "D")
        else:
            score = display = math.nan
            grade = "N/A"
        knockout = any(
            by_id[rid].knockout and (status == "fail"
                                     or (status == "missing" and by_id[rid].on_missing == "fail"))
            for rid, status in zip(mine["rule_id"], mine["status"], strict=True)
        )
        if knockout:
            grade = "D"
        flagged = mine[mine["status"].isin(["fail", "missing", "warn"])]
        counts = {
            f"findings_{sev}": sum(by_id[r].severity.value == sev for r in flagged["rule_id"])
            for sev in reversed(SEVERITIES)
        }
        records.append({
            "supplier_id": sid, "name": name, "country": country, "category": category,
            "score": score, "score_display": display, "grade": grade, "knockout": knockout,
            **{f"pillar:{p}": pillar_scores[p] for p in PILLARS},
            **{f"pillar_display:{p}": _round_half_up(pillar_scores[p]) for p in PILLARS},
            **counts,
        })
    frame = pd.DataFrame(records)
    for column in ("supplier_id", "name", "country", "category", "grade"):
        frame[column] = frame[column].astype("string")
    return frame


def _findings(rules: tuple[Rule, ...], results: pd.DataFrame,
              suppliers: pd.DataFrame) -> pd.DataFrame:
    by_id = {r.id: r for r in rules}
    names = dict(zip(suppliers["supplier_id"], suppliers["name"], strict=True))
    flagged = results[results["status"].isin(["fail", "missing", "warn"])]
    status_order = {"fail": 0, "missing": 1, "warn": 2}
    rows = sorted(
        zip(flagged["supplier_id"], flagged["rule_id"], flagged["status"], flagged["message"],
            strict=True),
        key=lambda r: (-by_id[r[1]].severity.rank, status_order[r[2]], r[0], r[1]),
    )
    frame = pd.DataFrame(
        [
            {
                "supplier_id": sid, "name": names[sid], "rule_id": rid,
                "severity": by_id[rid].severity.value, "status": status,
                "title": by_id[rid].title, "message": message,
                "remediation": by_id[rid].remediation,
                "due": AS_OF + timedelta(days=by_id[rid].severity.due_days),
                "pillar": by_id[rid].pillar, "references": by_id[rid].references,
            }
            for sid, rid, status, message in rows
        ]
    )
    for column in ("supplier_id", "name", "rule_id", "severity", "status", "title", "message",
                   "remediation", "pillar"):
        frame[column] = frame[column].astype("string")
    return frame


def _summary(data: AuditData, suppliers: pd.DataFrame, findings: pd.DataFrame) -> AuditSummary:
    grades = suppliers["grade"].tolist()
    severities = findings["severity"].tolist()
    pillar_means, pillar_scored = {}, {}
    for p in PILLARS:
        scores = [s for s in suppliers[f"pillar:{p}"] if not math.isnan(s)]
        pillar_scored[p] = len(scores)
        pillar_means[p] = _round_half_up(sum(scores) / len(scores)) if scores else math.nan
    return AuditSummary(
        suppliers=data.supplier_rows,
        audited=len(suppliers),
        by_grade={g: grades.count(g) for g in GRADES},
        findings_by_severity={s: severities.count(s) for s in SEVERITY_ORDER},
        data_issues=len(data.data_issues),
        spend_by_grade={**{g: 0.0 for g in GRADES}, "unknown": len(suppliers)},
        spend_share_by_grade={g: None for g in GRADES},  # no supplier gave a spend
        knockout_spend={"spend": 0.0, "suppliers": int(suppliers["knockout"].sum()),
                        "unknown": int(suppliers["knockout"].sum())},
        pillar_means=pillar_means,
        pillar_scored=pillar_scored,
    )


def _data(suppliers: pd.DataFrame) -> AuditData:
    return AuditData(
        suppliers=suppliers[["supplier_id", "name", "country", "category"]].copy(),
        certificates=None,
        emissions=None,
        materials=None,
        inputs=(
            InputFile(path="inputs/suppliers.xlsx", sha256="c" * 64, rows=7),
            InputFile(path="inputs/certificates.csv", sha256="d" * 64, rows=4),
        ),
        data_issues=(
            DataIssue("inputs/suppliers.xlsx", "Suppliers", 8, "Supplier ID", None,
                      "row has data but no supplier_id; not scored"),
            DataIssue("inputs/suppliers.xlsx", "Suppliers", 5, "Renewable Share (%)", "140",
                      "renewable_share 140% is outside [0, 100]"),
            DataIssue("inputs/suppliers.xlsx", "Suppliers", 6, "Country", "=cmd|' /C calc'!A0",
                      "not an ISO 3166-1 alpha-2 country code"),
            DataIssue("inputs/certificates.csv", "Certificates", 3, None, None,
                      "supplier_id S999 is not an audited supplier"),
        ),
        notes=(Note("inputs/suppliers.xlsx", "Suppliers", "On-time delivery",
                    "values above 1 read as percent"),),
        supplier_rows=7,
    )


def without_suppliers(result: AuditResult) -> AuditResult:
    """The same audit with nobody audited: empty grid, suppliers and findings, zero counts."""
    grid = result.results
    assert grid.points is not None and grid.max_points is not None
    empty = replace(
        grid, supplier_ids=grid.supplier_ids[:0], status=grid.status[:0],
        message_cells=grid.message_cells[:0], message_texts=grid.message_texts[:0],
        points=grid.points[:0], max_points=grid.max_points[:0],
    )
    return replace(
        result,
        results=empty,
        frameworks=framework_summary(result.ruleset.rules, empty),
        suppliers=result.suppliers.iloc[:0],
        findings=result.findings.iloc[:0],
        data=replace(result.data, data_issues=(), supplier_rows=0),
        summary=replace(
            result.summary, suppliers=0, audited=0, data_issues=0,
            by_grade={g: 0 for g in GRADES}, findings_by_severity={s: 0 for s in SEVERITY_ORDER},
        ),
    )


def repeated(result: AuditResult, copies: int) -> AuditResult:
    """The audit's suppliers repeated `copies` times with ids S001-0001 ...: a large audit.
    Findings keep SPEC order across the copies; the summary is left as it is."""
    def repeat(frame: pd.DataFrame) -> pd.DataFrame:
        parts = [frame.assign(supplier_id=frame["supplier_id"] + f"-{i:04d}")
                 for i in range(copies)]
        return pd.concat(parts, ignore_index=True)

    grid = result.results
    assert grid.points is not None and grid.max_points is not None
    suppliers = repeat(result.suppliers)
    findings = repeat(result.findings)
    severity = findings["severity"].map({s: i for i, s in enumerate(SEVERITY_ORDER)})
    status = findings["status"].map({"fail": 0, "missing": 1, "warn": 2})
    findings = findings.assign(_s=severity, _t=status).sort_values(
        ["_s", "_t", "supplier_id", "rule_id"], kind="stable").drop(columns=["_s", "_t"])
    size = grid.status.size
    results = replace(
        grid,
        supplier_ids=pd.Index(suppliers["supplier_id"].astype("str")),
        status=np.tile(grid.status, (copies, 1)),
        message_cells=np.concatenate([grid.message_cells + i * size for i in range(copies)]),
        message_texts=np.tile(grid.message_texts, copies),
        points=np.tile(grid.points, (copies, 1)),
        max_points=np.tile(grid.max_points, (copies, 1)),
    )
    return replace(result, suppliers=suppliers, results=results,
                   findings=findings.reset_index(drop=True),
                   frameworks=framework_summary(result.ruleset.rules, results))


def audit_result() -> AuditResult:
    """The scored audit described in the module docstring; a new object on every call."""
    rules = _rules()
    results = _results(rules)
    suppliers = _suppliers(rules, results)
    data = _data(suppliers)
    findings = _findings(rules, results, suppliers)
    grid = RuleResults.from_frame(results, suppliers["supplier_id"], [r.id for r in rules])
    return AuditResult(
        as_of=AS_OF,
        generated_at=GENERATED_AT,
        data=data,
        ruleset=_ruleset(rules),
        results=grid,
        suppliers=suppliers,
        findings=findings,
        pillars=PILLARS,
        summary=_summary(data, suppliers, findings),
        frameworks=framework_summary(rules, grid),
        waivers=WaiverReport(
            applied=(Waiver("S006", "ENV-001", "certification audit booked for 2027-01",
                            "J. Doe", date(2027, 3, 31)),),
            expired=(Waiver("S002", "ENV-002", "old exemption", "J. Doe", date(2026, 1, 31)),),
            unmatched=(Waiver("S999", "ENV-001", "supplier left", "J. Doe", date(2027, 1, 31)),),
            path="waivers.yaml",
            sha256="e" * 64,
        ),
        command=COMMAND,
    )
