"""Workbooks whose sheet XML a test writes by hand (prefixed tags, cells without `r`, ...)."""

from __future__ import annotations

import zipfile
from pathlib import Path


def sheet_xml(body: str, prefix: str = "") -> str:
    """A worksheet part holding `body` as its sheetData, its tags with `prefix:` when given."""
    p = f"{prefix}:" if prefix else ""
    space = f"xmlns{':' + prefix if prefix else ''}"
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
            f'<{p}worksheet {space}="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            f"<{p}sheetData>{body}</{p}sheetData></{p}worksheet>")


def replace_sheet(path: Path, xml: str) -> Path:
    """The workbook at `path` with its first sheet's XML replaced."""
    with zipfile.ZipFile(path) as source:
        parts = {name: source.read(name) for name in source.namelist()}
    parts["xl/worksheets/sheet1.xml"] = xml.encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in parts.items():
            target.writestr(name, data)
    return path
