"""What a feedback workbook says, in English and Chinese: sheet and column labels, statuses,
severities, and the expected form of each field (unit, range, date format, allowed values)."""

from __future__ import annotations

from datetime import date

from esg_audit.fields import CERTIFICATE_STATUS_LABELS_ZH, CERTIFICATE_STATUSES, Field, field_of
from esg_audit.model import DeclaredField, Rule, Severity, Status

LANGUAGES = ("en", "zh")

LABELS: dict[str, dict[str, str]] = {
    "en": {
        "sheet": "To fix",
        "title": "Feedback on {file}",
        "intro": "Audit of {as_of}. Please correct the marked cells and send the file back; "
                 "the findings below say what else we need from you, most urgent first.",
        "suppliers": "Suppliers in this file",
        "supplier_id": "Supplier ID",
        "name": "Name",
        "grade": "Grade",
        "score": "Score",
        "findings": "Findings",
        "rule": "Rule",
        "title_col": "Requirement",
        "severity": "Severity",
        "status": "Status",
        "found": "What was found",
        "remediation": "What to do",
        "due": "Due",
        "no_findings": "No findings.",
        "cells": "Cells to correct",
        "sheet_col": "Sheet",
        "cell": "Cell",
        "value": "Value sent",
        "problem": "Problem",
        "expected": "Expected",
        "no_cells": "No cell to correct.",
        "row_not_audited": "This row was not audited: {problem}",
        "comment": "{problem}. Expected: {expected}",
        "comment_plain": "{problem}",
        "whole_row": "(whole row)",
        "no_score": "no score",
    },
    "zh": {
        "sheet": "待整改",
        "title": "{file} 的整改反馈",
        "intro": "审核基准日：{as_of}。请更正已标记的单元格后交回本文件；下列审核发现按紧急程度排列，"
                 "说明还需贵司提供或整改的事项。",
        "suppliers": "本文件中的供应商",
        "supplier_id": "供应商编号",
        "name": "名称",
        "grade": "等级",
        "score": "得分",
        "findings": "审核发现",
        "rule": "规则",
        "title_col": "要求",
        "severity": "严重程度",
        "status": "状态",
        "found": "发现的问题",
        "remediation": "整改措施",
        "due": "整改期限",
        "no_findings": "无审核发现。",
        "cells": "需更正的单元格",
        "sheet_col": "工作表",
        "cell": "单元格",
        "value": "填报值",
        "problem": "问题",
        "expected": "应填写",
        "no_cells": "无需更正的单元格。",
        "row_not_audited": "此行未纳入审核：{problem}",
        "comment": "{problem}。应填写：{expected}",
        "comment_plain": "{problem}",
        "whole_row": "（整行）",
        "no_score": "无得分",
    },
}

STATUS_LABELS: dict[str, dict[Status, str]] = {
    "en": {s: s.value for s in Status},
    "zh": {
        Status.PASS: "通过", Status.WARN: "警告", Status.FAIL: "不合格",
        Status.MISSING: "缺少数据", Status.NA: "不适用", Status.WAIVED: "已豁免",
    },
}

SEVERITY_LABELS: dict[str, dict[Severity, str]] = {
    "en": {s: s.value for s in Severity},
    "zh": {
        Severity.INFO: "提示", Severity.LOW: "低", Severity.MEDIUM: "中",
        Severity.HIGH: "高", Severity.CRITICAL: "严重",
    },
}

CERTIFICATE_STATUS_LABELS = CERTIFICATE_STATUS_LABELS_ZH

_SPECIAL: dict[str, dict[str, str]] = {
    "en": {
        "supplier_id": "your supplier number with us, once per supplier",
        "country": "an ISO 3166-1 alpha-2 country code, e.g. DE, CN, US",
        "status": "one of " + ", ".join(CERTIFICATE_STATUSES),
    },
    "zh": {
        "supplier_id": "贵司在我方的供应商编号，每家供应商仅填一行",
        "country": "ISO 3166-1 二位国家代码，如 CN、DE、US",
        "status": "以下之一：" + "、".join(
            f"{CERTIFICATE_STATUS_LABELS[s]}（{s}）" for s in CERTIFICATE_STATUSES),
    },
}


def expected_form(sheet: str, field: str, declared: DeclaredField | None, as_of: date,
                  lang: str) -> str:
    """What a cell of `field` on `sheet` must hold, for a comment; "" when nothing is fixed."""
    zh = lang == "zh"
    if field in _SPECIAL[lang]:
        return _SPECIAL[lang][field]
    known = field_of(sheet, field)
    if known is not None:
        return _canonical_form(known, as_of, zh)
    if declared is not None:
        if declared.values:
            return ("以下之一：" if zh else "one of ") + ("、" if zh else ", ").join(declared.values)
        unit = f" ({declared.unit})" if declared.unit and not zh else (
            f"（单位：{declared.unit}）" if declared.unit else "")
        base = {"number": ("a number", "数字"), "date": ("a date, YYYY-MM-DD", "日期，格式 YYYY-MM-DD"),
                "bool": ("yes or no", "是 或 否"), "text": ("", "")}[declared.type]
        text = base[1] if zh else base[0]
        return text + unit if text else ""
    return ""


def _canonical_form(known: Field, as_of: date, zh: bool) -> str:
    if known.type == "number":
        bound = ("> 0" if known.exclusive_minimum is not None
                 else "≥ 0" if known.minimum is not None else "")
        unit = {"co2": ("tCO2e (t, kg or Mt in the header)", "吨二氧化碳当量 tCO2e（表头可注明 t、kg 或 Mt）"),
                "energy": ("MWh (kWh, MWh or GWh in the header)", "兆瓦时 MWh（表头可注明 kWh、MWh 或 GWh）")}
        if zh:
            text = f"数字 {bound}".strip()
            return text + (f"，单位：{unit[known.unit][1]}" if known.unit in unit else "")
        text = f"a number {bound}".strip()
        return text + (f" in {unit[known.unit][0]}" if known.unit in unit else "")
    if known.type == "share":
        return "0–100 之间的百分比（或 0–1 的小数）" if zh else "a percentage from 0 to 100 (or a fraction from 0 to 1)"
    if known.type == "year":
        return (f"1990 至 {as_of.year + 1} 之间的年份" if zh
                else f"a year from 1990 to {as_of.year + 1}")
    if known.type == "date":
        return "日期，格式 YYYY-MM-DD" if zh else "a date, YYYY-MM-DD"
    if known.type == "bool":
        return "是 或 否" if zh else "yes or no"
    if known.type == "standard":
        return "标准名称，如 ISO 14001" if zh else "a standard, e.g. ISO 14001"
    return ""


def rule_text(rule: Rule | None, lang: str, title: str, remediation: str) -> tuple[str, str]:
    """A rule's title and remediation in `lang` where the rule carries them, else as given."""
    if rule is None or lang == "en":
        return title, remediation
    translated = rule.i18n.get(lang, {})
    return translated.get("title") or title, translated.get("remediation") or remediation
