"""Stage 3, validate: pandera models per sheet, validated lazily into data issues."""

from __future__ import annotations

from datetime import date
from typing import Any

from esg_audit.model import AuditData


def validate(normalised: Any, *, as_of: date) -> AuditData:
    raise NotImplementedError
