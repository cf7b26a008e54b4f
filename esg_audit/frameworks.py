"""Which reporting framework a rule reference names, and how suppliers fare per framework.

Rule packs cite sources in `references` ("ISO 14001:2015", "CSRD ESRS E1-6", "CBAM Regulation
(EU) 2023/956 Art. 35"); scoring counts results by the framework they name
(`AuditResult.frameworks`), which the Excel and HTML reports show.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import numpy as np
import pandas as pd

from esg_audit.model import APPLICABLE_STATUSES, STATUSES, Rule, RuleResults, Status

# The one list of recognised frameworks, first match wins: (pattern, name). A name may use the
# pattern's groups (`\1`), so that "ISO/IEC 27001:2022" and "ISO 27001" both give "ISO 27001".
# Anything not listed here is its own framework (see `framework_of`).
FRAMEWORK_PATTERNS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), name)
    for pattern, name in (
        (r"\bESRS\s*-?\s*([ESG]\s*\d+|\d)\b", "CSRD ESRS {0}"),
        (r"\bCSRD\b|2022/2464", "CSRD"),
        (r"\bCBAM\b|2023/956|carbon border adjustment", "CBAM"),
        (r"\bCSDDD\b|\bCS3D\b|2024/1760|corporate sustainability due diligence", "CSDDD"),
        (r"\bEUDR\b|2023/1115|deforestation", "EUDR"),
        (r"\bEU\s+taxonomy\b|2020/852", "EU Taxonomy"),
        (r"\bSFDR\b|2019/2088", "SFDR"),
        (r"\bEU\s+ETS\b|2003/87", "EU ETS"),
        (r"\bEMAS\b|1221/2009", "EMAS"),
        (r"\bREACH\b|1907/2006", "REACH"),
        (r"\bRoHS\b|2011/65", "RoHS"),
        (r"\bGHG\s+Protocol\b|greenhouse\s+gas\s+protocol", "GHG Protocol"),
        (r"\bSBTi\b|science[\s-]+based\s+targets?", "SBTi"),
        (r"\bISO(?:\s*/\s*IEC)?[\s-]*(\d{4,5})", "ISO {0}"),
        (r"\bIATF[\s-]*(\d{5})", "IATF {0}"),
        (r"\bSA\s*8000\b", "SA8000"),
        (r"\bGRI\s*(\d{3})\b", "GRI {0}"),
        (r"\bGRI\b|global reporting initiative", "GRI"),
        (r"\bIFRS\s*(S\d)\b", "IFRS {0}"),
        (r"\bISSB\b", "IFRS Sustainability Disclosure Standards"),
        (r"\bTCFD\b", "TCFD"),
        (r"\bTNFD\b", "TNFD"),
        (r"\bCDP\b", "CDP"),
        (r"\bLkSG\b|lieferkettensorgfalt", "LkSG"),
        (r"2017/821|conflict minerals regulation", "EU Conflict Minerals Regulation"),
        (r"\bOECD\b.*\bminerals\b", "OECD Minerals Guidance"),
        (r"\bRMI\b|\bRMAP\b|responsible minerals (?:initiative|assurance)", "RMI"),
        (r"2019/1937|whistleblow", "EU Whistleblowing Directive"),
        (r"\b269/2014\b|\b833/2014\b|2024/1226|union restrictive measures", "EU sanctions"),
        (r"bribery act", "UK Bribery Act"),
        (r"\bamfori\b|\bBSCI\b", "amfori BSCI"),
        (r"\bSMETA\b", "SMETA"),
        (r"\bGDPR\b|2016/679", "GDPR"),
        (r"2023/1791|energy efficiency directive", "EU Energy Efficiency Directive"),
        (r"2024/1252|critical raw materials act", "Critical Raw Materials Act"),
        (r"modern\s+slavery\s+act", "Modern Slavery Act"),
        (r"\bUNGPs?\b|UN\s+guiding\s+principles", "UNGP"),
        (r"\bUNGC\b|UN\s+global\s+compact", "UN Global Compact"),
        (r"\bOECD\b", "OECD Guidelines"),
        (r"\bILO\b", "ILO"),
        (r"\bRBA\b|responsible business alliance", "RBA"),
        (r"\bEcoVadis\b", "EcoVadis"),
    )
)

STATUS_COLUMNS: tuple[str, ...] = APPLICABLE_STATUSES
SUMMARY_COLUMNS: tuple[str, ...] = (
    "framework", *STATUS_COLUMNS, "applicable", "share_passing",
)


def framework_of(reference: str) -> str:
    """The framework a rule reference names: "CSRD ESRS E1-6" -> "CSRD ESRS E1".

    A reference matching no known framework is its own framework: its text with white space
    collapsed and anything after a colon (an edition or clause) dropped.
    """
    text = " ".join(str(reference).split())
    for pattern, name in FRAMEWORK_PATTERNS:
        match = pattern.search(text)
        if match:
            groups = ("".join(g.split()).upper() for g in match.groups())
            return name.format(*groups)
    return text.split(":", 1)[0].strip() or text


def rule_frameworks(rules: Sequence[Rule]) -> pd.DataFrame:
    """One row per (rule, framework it references), each pair once: columns rule_id, framework."""
    pairs = {
        (rule.id, framework_of(reference))
        for rule in rules
        for reference in rule.references
    }
    return pd.DataFrame(sorted(pairs), columns=["rule_id", "framework"])


def framework_summary(rules: Sequence[Rule], results: RuleResults) -> pd.DataFrame:
    """Per framework any rule references: results that pass, warn, fail, are missing.

    Columns framework, pass, warn, fail, missing, applicable (their sum), share_passing
    (pass / applicable, NaN when nothing applies); sorted by framework name. A result counts
    for a framework when its rule references that framework; n/a and waived results are not
    applicable.
    """
    # Count per rule (a handful of rows), then add each rule's counts to the frameworks it
    # references: in NumPy, as pandas' merge and group-by cost milliseconds on a handful of rows.
    grid = results
    n_rules, n_statuses = len(grid.rule_ids), len(STATUSES)
    offsets = np.arange(n_rules, dtype=np.intp) * n_statuses
    totals = np.zeros(n_rules * n_statuses, dtype=np.int64)
    for start in range(0, grid.status.shape[0], 8192):  # a block of rows at a time
        cells = grid.status[start:start + 8192].astype(np.intp) + offsets
        totals += np.bincount(cells.ravel(), minlength=n_rules * n_statuses)
    by_rule = totals.reshape(n_rules, n_statuses)[:, [Status(s).code for s in STATUS_COLUMNS]]
    links = rule_frameworks(rules)
    frameworks = sorted(set(links["framework"]))
    framework_at = {name: at for at, name in enumerate(frameworks)}
    rule_at = {rule_id: at for at, rule_id in enumerate(grid.rule_ids)}
    counts = np.zeros((len(frameworks), len(STATUS_COLUMNS)), dtype=np.int64)
    for rule_id, framework in zip(links["rule_id"], links["framework"], strict=True):
        if rule_id in rule_at:  # a rule without results counts nothing
            counts[framework_at[framework]] += by_rule[rule_at[rule_id]]
    applicable = counts.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        share = counts[:, STATUS_COLUMNS.index("pass")] / applicable.astype(float)
    return pd.DataFrame({  # the columns of SUMMARY_COLUMNS, in its order
        "framework": pd.Series(frameworks, dtype=str),
        **{status: counts[:, i] for i, status in enumerate(STATUS_COLUMNS)},
        "applicable": applicable,
        "share_passing": np.where(applicable > 0, share, np.nan),
    })
