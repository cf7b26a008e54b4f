"""Stage 5, score: waivers, pillar scores, grades, knockouts and the flagged-risk list."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd

from esg_audit.model import AuditData, AuditResult, RuleSet
from esg_audit.waivers import WaiverFile


def score_audit(
    ruleset: RuleSet,
    data: AuditData,
    results: pd.DataFrame,
    *,
    as_of: date,
    waivers: WaiverFile | None,
    generated_at: datetime,
    command: str = "",
) -> AuditResult:
    raise NotImplementedError
