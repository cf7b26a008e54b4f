"""Frameworks: which framework a rule reference names, and the per-framework summary."""

from __future__ import annotations

import dataclasses
import math

import pandas as pd
import pytest

from esg_audit.frameworks import SUMMARY_COLUMNS, framework_of, framework_summary
from esg_audit.model import Status
from tests.reports.fixtures import audit_result


def _summary(result):
    return framework_summary(result.ruleset.rules, result.results)


@pytest.mark.parametrize(
    ("reference", "framework"),
    [
        ("ISO 14001:2015", "ISO 14001"),
        ("ISO14001", "ISO 14001"),
        ("iso-45001:2018", "ISO 45001"),
        ("ISO/IEC 27001:2022", "ISO 27001"),
        ("CSRD ESRS E1-6", "CSRD ESRS E1"),
        ("ESRS E1-6 Gross Scopes 1, 2, 3", "CSRD ESRS E1"),
        ("CSRD ESRS S2", "CSRD ESRS S2"),
        ("ESRS G1-1", "CSRD ESRS G1"),
        ("ESRS 2 GOV-1", "CSRD ESRS 2"),
        ("CSRD Art. 19a", "CSRD"),
        ("CBAM Regulation (EU) 2023/956 Art. 35", "CBAM"),
        ("Regulation (EU) 2023/956", "CBAM"),
        ("GHG Protocol Scope 2 Guidance", "GHG Protocol"),
        ("Greenhouse Gas Protocol Corporate Standard", "GHG Protocol"),
        ("SBTi Corporate Net-Zero Standard", "SBTi"),
        ("Science Based Targets initiative", "SBTi"),
        ("GRI 305-1", "GRI 305"),
        ("IFRS S2 Climate-related Disclosures", "IFRS S2"),
        ("CSDDD Art. 8", "CSDDD"),
        ("EUDR (EU) 2023/1115", "EUDR"),
        ("LkSG §3", "LkSG"),
        ("UN Guiding Principles on Business and Human Rights", "UNGP"),
        ("OECD Due Diligence Guidance", "OECD Guidelines"),
        ("OECD Due Diligence Guidance for Responsible Supply Chains of Minerals from "
         "Conflict-Affected and High-Risk Areas", "OECD Minerals Guidance"),
        ("Regulation (EU) 2017/821 Art. 5(1)", "EU Conflict Minerals Regulation"),
        ("RMI Conflict Minerals Reporting Template (CMRT 6.6)", "RMI"),
        ("Directive (EU) 2019/1937 Art. 8(3)", "EU Whistleblowing Directive"),
        ("Council Regulation (EU) No 269/2014 Art. 2", "EU sanctions"),
        ("Directive (EU) 2024/1226", "EU sanctions"),
        ("UK Bribery Act 2010 s. 7(2)", "UK Bribery Act"),
        ("amfori BSCI System Manual", "amfori BSCI"),
        ("Regulation (EU) 2016/679 (GDPR) Art. 28", "GDPR"),
        ("Directive (EU) 2023/1791 (EED) Art. 11(1)", "EU Energy Efficiency Directive"),
        ("Internal policy: P-12", "Internal policy"),
        ("  Company   Code of Conduct ", "Company Code of Conduct"),
    ],
)
def test_framework_of(reference, framework):
    assert framework_of(reference) == framework


def test_summary_of_the_fixture():
    summary = _summary(audit_result())
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    assert summary.drop(columns="share_passing").values.tolist() == [
        ["CBAM", 3, 1, 0, 1, 5],  # CBAM-001: S005 n/a
        ["CSRD ESRS E1", 3, 1, 0, 1, 5],  # CBAM-001 again
        ["CSRD ESRS S2", 4, 0, 1, 0, 5],  # SOC-001
        ["GHG Protocol", 3, 1, 1, 0, 5],  # ENV-002
        ["ISO 14001", 2, 1, 1, 0, 4],  # ENV-001: S005 n/a and S006 waived do not apply
        ["SBTi", 3, 1, 1, 0, 5],  # ENV-002 again
    ]
    assert summary["share_passing"].tolist() == [0.6, 0.6, 0.8, 0.6, 0.5, 0.6]
    assert summary[["pass", "warn", "fail", "missing", "applicable"]].dtypes.tolist() == [
        "int64"
    ] * 5


def _with_references(result, references: dict[str, tuple[str, ...]]):
    rules = tuple(
        dataclasses.replace(rule, references=references.get(rule.id, ()))
        for rule in result.ruleset.rules
    )
    return dataclasses.replace(result, ruleset=dataclasses.replace(result.ruleset, rules=rules))


def test_a_rule_citing_one_framework_twice_counts_once_and_rules_add_up():
    result = _with_references(
        audit_result(),
        {
            "ENV-001": ("CSRD ESRS E1-6", "CSRD ESRS E1-7"),
            "ENV-002": ("ESRS E1-5",),
        },
    )
    summary = _summary(result)
    # ENV-001: pass 2, warn 1, fail 1; ENV-002: pass 3, warn 1, fail 1.
    assert summary.values.tolist() == [["CSRD ESRS E1", 5, 2, 2, 0, 9, 5 / 9]]


def test_framework_without_applicable_results_has_no_share():
    full = audit_result()
    status = full.results.status.copy()
    status[:, full.results.rule_ids.index("SOC-001")] = Status.NA.code
    results = dataclasses.replace(full.results, status=status)
    summary = _summary(dataclasses.replace(full, results=results))
    row = summary[summary["framework"] == "CSRD ESRS S2"].iloc[0]
    assert row[["pass", "warn", "fail", "missing", "applicable"]].tolist() == [0, 0, 0, 0, 0]
    assert math.isnan(row["share_passing"])


def test_no_references_gives_an_empty_summary():
    summary = _summary(_with_references(audit_result(), {}))
    assert list(summary.columns) == list(SUMMARY_COLUMNS)
    assert len(summary) == 0


def test_sorted_by_framework_name():
    result = _with_references(
        audit_result(),
        {"ENV-001": ("SBTi",), "ENV-002": ("CDP Climate",), "SOC-001": ("ILO C029",)},
    )
    assert _summary(result)["framework"].tolist() == ["CDP", "ILO", "SBTi"]


def test_counts_per_rule_agree_with_the_results_as_rows():
    full = audit_result()
    rows = full.results.frame()
    by_rule = pd.crosstab(rows["rule_id"].astype(str), rows["status"].astype(str))
    summary = _summary(full).set_index("framework")
    # ENV-001 alone references ISO 14001; CBAM-001 alone references CBAM.
    for framework, rule_id in (("ISO 14001", "ENV-001"), ("CBAM", "CBAM-001")):
        expected = [int(by_rule.loc[rule_id].get(s, 0)) for s in ("pass", "warn", "fail", "missing")]
        assert summary.loc[framework, ["pass", "warn", "fail", "missing"]].tolist() == expected
