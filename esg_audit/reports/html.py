"""Stage 6, report: report.html, one self-contained page (inline CSS, JS and SVG; it fetches nothing).

The page is rendered from a Jinja2 template with autoescape on, so every text that came from a
user (supplier names, messages, file paths, rule titles) shows as text, never as markup.
"""

from __future__ import annotations

import math
from functools import lru_cache
from pathlib import Path
from typing import Any, cast

import jinja2
import numpy as np
import pandas as pd
from markupsafe import Markup

from esg_audit import __version__
from esg_audit.frameworks import STATUS_COLUMNS as FRAMEWORK_STATUSES
from esg_audit.model import (
    FINDING_STATUSES,
    GRADES,
    NO_GRADE,
    SEVERITY_ORDER,
    STATUSES,
    AuditResult,
    Status,
)
from esg_audit.reports.atomic import atomic_text
from esg_audit.reports.style import GRADE_FILLS, grade_class

# A browser stays responsive with a few thousand table rows; report.xlsx holds everything.
MAX_SUPPLIER_SECTIONS = 500  # suppliers with findings first, then the others, input order
MAX_FINDING_ROWS = 5_000  # the first ones in SPEC order (most severe first)
MAX_DATA_ISSUE_ROWS = 1_000  # the first ones in input order

TEMPLATES = Path(__file__).parent / "templates"


def write_html(result: AuditResult, path: Path) -> None:
    """Write report.html for `result` to `path`, atomically."""
    page = render_html(result)
    with atomic_text(path) as handle:
        handle.write(page)


def render_html(result: AuditResult) -> str:
    """The whole page as text."""
    template = _environment().get_template("report.html.j2")
    sections = _supplier_sections(result)
    anchors = {s["supplier_id"]: s["anchor"] for s in sections}
    return template.render(
        title=f"ESG supplier audit, as of {result.as_of.isoformat()}",
        css=Markup(_grade_palette() + _asset("report.css")),
        js=Markup(_asset("report.js")),
        header=_header(result),
        summary=_summary(result),
        grade_chart=_grade_chart(result),
        spend=_spend(result),
        trend=_trend_chart(result),
        pillar_chart=_pillar_chart(result),
        frameworks=_frameworks(result),
        findings=_findings(result, anchors),
        suppliers=sections,
        suppliers_total=len(result.suppliers),
        data_issues=_data_issues(result),
        notes=result.data.notes,
        waivers=result.waivers,
        severities=SEVERITY_ORDER,
        finding_statuses=FINDING_STATUSES,
    )


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@lru_cache(maxsize=4)
def _asset(name: str) -> str:
    # Our own CSS and JS, inlined verbatim: no user text in them, so no escaping.
    return (TEMPLATES / name).read_text(encoding="utf-8")


def _grade_palette() -> str:
    # The grade fills of report.xlsx, so that both reports colour a grade alike.
    colours = " ".join(f"--grade-{_grade_class(g)}: {GRADE_FILLS[g]};" for g in GRADES)
    return f":root {{ {colours} }}\n"


# --- formatting ------------------------------------------------------------------------------


def _score_text(value: Any) -> str:
    """A display score (already rounded) as "68.3"; "–" when there is none."""
    if value is None or pd.isna(value):
        return "–"
    return f"{float(value):.1f}"


def _number_text(value: float) -> str:
    """Points and weights without a needless ".0": 10, 2.5."""
    return f"{value:g}"


def _text(series: pd.Series) -> pd.Series:
    """A text column for display: missing becomes ""."""
    return series.astype("string").fillna("")


def _grade_class(grade: str) -> str:
    return grade_class(grade)


# --- page parts ------------------------------------------------------------------------------


def _header(result: AuditResult) -> dict[str, Any]:
    generated = result.generated_at
    return {
        "as_of": result.as_of.isoformat(),
        "generated_at": generated.isoformat(sep=" ").replace("+00:00", " UTC"),
        "tool": f"esg-audit {__version__}",
        "command": result.command,
        "inputs": result.data.inputs,
        "packs": [
            {"name": p.name, "version": p.version, "rules": len(p.rules), "sha256": p.sha256,
             "path": p.path}
            for p in result.ruleset.packs
        ],
        "bands": result.ruleset.grading.bands,
    }


def _summary(result: AuditResult) -> dict[str, Any]:
    findings = result.findings
    by_severity: Any = findings["severity"].astype(str).value_counts() if len(findings) else {}
    by_status: Any = findings["status"].astype(str).value_counts() if len(findings) else {}
    grades = result.summary.by_grade
    return {
        "suppliers": result.summary.suppliers,
        "audited": result.summary.audited,
        "rules": len(result.ruleset.rules),
        "findings": len(findings),
        "by_severity": [(s, int(by_severity.get(s, 0))) for s in SEVERITY_ORDER],
        "by_status": [(s, int(by_status.get(s, 0))) for s in FINDING_STATUSES],
        "by_grade": [(g, int(grades.get(g, 0))) for g in GRADES],
        "knockouts": int(result.suppliers["knockout"].astype(bool).sum()),
        "data_issues": len(result.data.data_issues),
        "waivers_applied": len(result.waivers.applied),
    }


def _grade_chart(result: AuditResult) -> dict[str, Any]:
    """Vertical bars, one per grade, heights relative to the largest count."""
    counts = result.summary.by_grade
    total = max(result.summary.audited, 1)
    tallest = max([int(counts.get(g, 0)) for g in GRADES] + [1])
    bar_area = 150
    bars = []
    for i, grade in enumerate(GRADES):
        count = int(counts.get(grade, 0))
        height = round(bar_area * count / tallest, 1)
        bars.append({
            "grade": grade, "cls": _grade_class(grade), "count": count,
            "share": f"{100 * count / total:.0f}%",
            "x": 30 + i * 70, "y": 20 + bar_area - height, "height": height,
        })
    return {"bars": bars, "baseline": 20 + bar_area, "width": 30 + len(GRADES) * 70}


def _pillar_chart(result: AuditResult) -> dict[str, Any]:
    """Horizontal bars: the mean pillar score over the suppliers scored in that pillar."""
    grading = result.ruleset.grading
    rows = []
    for pillar in result.pillars:
        mean = result.summary.pillar_means.get(pillar, math.nan)
        rows.append({
            "pillar": pillar,
            "weight": _number_text(grading.pillar_weight(pillar)),
            "scored": result.summary.pillar_scored.get(pillar, 0),
            "mean": mean,
            "text": _score_text(mean),
            "width": 0.0 if math.isnan(mean) else round(3 * mean, 1),  # 300 px for 100
        })
    bands = [{"grade": g, "x": round(3 * float(b), 1), "score": _number_text(float(b))}
             for g, b in grading.bands]
    return {"rows": rows, "bands": bands, "height": 30 + 34 * len(rows)}


def _frameworks(result: AuditResult) -> list[dict[str, Any]]:
    """framework_summary() with the widths of a stacked bar (200 px) per framework."""
    summary = result.frameworks
    rows = []
    for record in summary.to_dict("records"):
        applicable = int(record["applicable"])
        x = 0.0
        segments = []
        for status in FRAMEWORK_STATUSES:
            count = int(record[status])
            width = 200 * count / applicable if applicable else 0.0
            if count:
                segments.append({"status": status, "count": count, "x": round(x, 2),
                                 "width": round(width, 2)})
            x += width
        share = record["share_passing"]
        rows.append({
            "framework": record["framework"],
            **{s: int(record[s]) for s in FRAMEWORK_STATUSES},
            "applicable": applicable,
            "share": "–" if pd.isna(share) else f"{100 * share:.0f}%",
            "segments": segments,
        })
    return rows


def _findings(result: AuditResult, anchors: dict[str, str]) -> dict[str, Any]:
    """The first MAX_FINDING_ROWS findings in SPEC order, ready to print."""
    findings = result.findings
    shown = findings.head(MAX_FINDING_ROWS)
    rows: list[dict[str, Any]] = []
    if len(shown):
        frame = pd.DataFrame({
            "supplier_id": _text(shown["supplier_id"]),
            "name": _text(shown["name"]),
            "rule_id": _text(shown["rule_id"]),
            "severity": _text(shown["severity"]),
            "status": _text(shown["status"]),
            "title": _text(shown["title"]),
            "message": _text(shown["message"]),
            "remediation": _text(shown["remediation"]),
            "due": shown["due"].map(lambda d: d.isoformat() if pd.notna(d) else ""),
            "pillar": _text(shown["pillar"]) if "pillar" in shown else "",
            "references": shown["references"].map("; ".join) if "references" in shown else "",
        })
        frame["severity_rank"] = frame["severity"].map(
            {s: i for i, s in enumerate(SEVERITY_ORDER)}).fillna(len(SEVERITY_ORDER)).astype(int)
        frame["status_rank"] = frame["status"].map(
            {s: i for i, s in enumerate(FINDING_STATUSES)}).fillna(len(FINDING_STATUSES)).astype(int)
        frame["anchor"] = frame["supplier_id"].map(anchors).fillna("")
        trend = result.trend
        if trend is not None:
            history = trend.findings.head(MAX_FINDING_ROWS).reset_index(drop=True)
            frame["overdue"] = history["overdue"].astype(bool).to_numpy()
            frame["first_due"] = history["first_due"].map(
                lambda d: d.isoformat() if pd.notna(d) else "").to_numpy()
        else:
            frame["overdue"] = False
            frame["first_due"] = ""
        rows = cast(list[dict[str, Any]], frame.to_dict("records"))
    return {"rows": rows, "total": len(findings), "shown": len(rows),
            "capped": len(findings) > len(rows)}


def _supplier_sections(result: AuditResult) -> list[dict[str, Any]]:
    """At most MAX_SUPPLIER_SECTIONS suppliers, those with findings first, each with its results."""
    suppliers = result.suppliers.reset_index(drop=True)
    count_columns = [f"findings_{s}" for s in SEVERITY_ORDER if f"findings_{s}" in suppliers]
    finding_counts = suppliers[count_columns].sum(axis=1).astype(int)
    order = np.argsort(np.where(finding_counts > 0, 0, 1), kind="stable")[:MAX_SUPPLIER_SECTIONS]
    chosen = suppliers.iloc[order]
    if chosen.empty:
        return []

    grid = result.results
    rules = result.ruleset.rules
    n_rules = len(rules)
    rule_texts = [(r.id, r.title, r.pillar, r.severity.value) for r in rules]
    status_names = np.array(STATUSES, dtype=object)
    quiet = np.array([not Status(s).is_finding for s in STATUSES])
    points = grid.points if grid.points is not None else np.zeros(grid.shape)
    max_points = grid.max_points if grid.max_points is not None else np.zeros(grid.shape)
    cells = (order[:, None].astype(np.int64) * n_rules + np.arange(n_rules)).ravel()
    messages = grid.messages_at(cells).reshape(len(order), n_rules)

    sections = []
    rows = chosen.to_dict("records")
    for position, (index, row) in enumerate(zip(order.tolist(), rows, strict=True)):
        codes = grid.status[index]
        results = [
            {
                "rule_id": rule_id, "title": title, "pillar": pillar, "severity": severity,
                "status": status_names[code], "quiet": bool(quiet[code]),
                "points_text": (
                    f"{_number_text(earned)} / {_number_text(possible)}" if possible > 0 else "–"
                ),
                "message": message or "",
            }
            for (rule_id, title, pillar, severity), code, earned, possible, message in zip(
                rule_texts, codes.tolist(), points[index].tolist(), max_points[index].tolist(),
                messages[position].tolist(), strict=True,
            )
        ]
        sections.append({
            "anchor": f"supplier-{index + 1}",
            "supplier_id": str(row["supplier_id"]),
            "name": "" if pd.isna(row["name"]) else str(row["name"]),
            "country": "" if pd.isna(row.get("country")) else str(row.get("country")),
            "category": "" if pd.isna(row.get("category")) else str(row.get("category")),
            "score": _score_text(row["score_display"]),
            "grade": str(row["grade"]),
            "grade_cls": _grade_class(str(row["grade"])),
            "no_grade": str(row["grade"]) == NO_GRADE,
            "knockout": bool(row["knockout"]),
            "findings": int(finding_counts.iloc[index]),
            "pillars": [
                {"pillar": p, "text": _score_text(score),
                 "width": 0.0 if pd.isna(score) else float(score)}
                for p in result.pillars
                for score in (row.get(f"pillar_display:{p}"),)
            ],
            "results": results,
            "previous": _previous(result, index),
        })
    return sections


def _previous(result: AuditResult, index: int) -> dict[str, Any] | None:
    """The supplier's grade and score in the previous recorded run, and the change."""
    trend = result.trend
    if trend is None or trend.previous_as_of is None:
        return None
    row = trend.suppliers.iloc[index]
    grade = row["previous_grade"]
    return {
        "as_of": trend.previous_as_of.isoformat(),
        "grade": "" if grade is None or pd.isna(grade) else str(grade),
        "grade_cls": "" if grade is None or pd.isna(grade) else _grade_class(str(grade)),
        "score": _score_text(row["previous_score"]),
        "change": str(row["grade_change"]),
        "score_change": "" if pd.isna(row["score_change"]) else f"{row['score_change']:+.1f}",
    }


def _spend(result: AuditResult) -> dict[str, Any]:
    """Spend at risk, ready to print: sum and share of annual spend by grade, the spend with
    suppliers that fail a knockout, and the suppliers that gave none."""
    summary = result.summary
    rows = []
    for grade in GRADES:
        share = summary.spend_share_by_grade.get(grade)
        amount = float(summary.spend_by_grade.get(grade, 0.0))
        rows.append({
            "grade": grade, "cls": _grade_class(grade), "spend": f"{amount:,.0f}",
            "share": "–" if share is None else f"{100 * share:.1f}%",
            "width": 0.0 if share is None else round(200 * share, 1),
        })
    knockout = summary.knockout_spend
    return {
        "rows": rows,
        "knockout": f"{float(knockout.get('spend', 0.0)):,.0f}",
        "knockout_suppliers": int(knockout.get("suppliers", 0)),
        "knockout_unknown": int(knockout.get("unknown", 0)),
        "unknown": int(summary.spend_by_grade.get("unknown", 0)),
    }


def _trend_chart(result: AuditResult) -> dict[str, Any] | None:
    """Stacked bars of the grade distribution per recorded run (and this one), oldest first."""
    trend = result.trend
    if trend is None:
        return None
    runs = trend.grades_by_run.to_dict("records")
    bars = []
    for i, run in enumerate(runs):
        total = sum(int(run[g]) for g in GRADES) or 1
        y = 170.0
        segments = []
        for grade in GRADES:
            count = int(run[grade])
            height = 150 * count / total
            y -= height
            if count:
                segments.append({"grade": grade, "cls": _grade_class(grade), "count": count,
                                 "y": round(y, 2), "height": round(height, 2)})
        as_of = run["as_of"]
        bars.append({"as_of": as_of.isoformat() if hasattr(as_of, "isoformat") else str(as_of),
                     "x": 30 + i * 90, "segments": segments})
    return {"bars": bars, "width": 30 + len(bars) * 90 + 30}


def _data_issues(result: AuditResult) -> dict[str, Any]:
    issues = result.data.data_issues
    return {"rows": issues[:MAX_DATA_ISSUE_ROWS], "total": len(issues),
            "capped": len(issues) > MAX_DATA_ISSUE_ROWS}
