"""Waiver files (`--waivers`): approved exceptions for a supplier and a rule, until a date."""

from __future__ import annotations

from dataclasses import dataclass

from esg_audit.model import Waiver


@dataclass(frozen=True)
class WaiverFile:
    path: str
    sha256: str
    waivers: tuple[Waiver, ...]


def load_waivers(path: str) -> WaiverFile:
    raise NotImplementedError
