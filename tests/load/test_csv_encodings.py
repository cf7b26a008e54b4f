"""CSV encodings (SPEC §3): UTF-8 with or without BOM, UTF-16 with BOM, Windows-1252 with a
note; UTF-16 without BOM and binary files are refused naming the file; no NUL reaches a cell."""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from esg_audit.cli import cli
from esg_audit.errors import InputFileError
from esg_audit.load import load_inputs

TEXT = "supplier_id,name,country\nS1,Müller GmbH,DE\nS2,Łódź Sp. z o.o.,PL\n"
ROWS = [["supplier_id", "name", "country"], ["S1", "Müller GmbH", "DE"],
        ["S2", "Łódź Sp. z o.o.", "PL"]]
CP1252_TEXT = "supplier_id;name;country\nS1;Müller GmbH;DE\nS2;Crème Brûlée SARL;FR\n"


def cells_of(path: Path):
    (sheet,) = load_inputs([str(path)]).sheets
    return sheet, sheet.cells.to_numpy().tolist()


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-8"),
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # with the platform's BOM
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
    ],
    ids=["utf-8", "utf-8-bom", "utf-16", "utf-16-le-bom", "utf-16-be-bom"],
)
def test_accepted_encodings_read_alike_without_a_note(tmp_path, data):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(data)

    sheet, rows = cells_of(path)

    assert rows == ROWS
    assert sheet.notes == ()


def test_windows_1252_is_read_with_a_note(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(CP1252_TEXT.encode("cp1252"))

    sheet, rows = cells_of(path)

    assert rows[2] == ["S2", "Crème Brûlée SARL", "FR"]
    assert sheet.notes == ("not valid UTF-8: read as Windows-1252",)


@pytest.mark.parametrize(
    "data",
    [
        TEXT.encode("utf-16-le"),
        TEXT.encode("utf-16-be"),
        "supplier_id,name\nS1,Acme\n".encode("utf-32"),  # its BOM starts like UTF-16 LE's
        b"supplier_id,name\nS1\x00,Acme\n",
        bytes(range(256)) * 4,  # binary
    ],
    ids=["utf-16-le-no-bom", "utf-16-be-no-bom", "utf-32", "nul-in-utf-8", "binary"],
)
def test_no_accepted_encoding_is_refused_naming_the_file(tmp_path, data):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(data)

    with pytest.raises(InputFileError) as raised:
        load_inputs([str(path)])

    assert str(path) in str(raised.value)
    assert "not a CSV text file" in str(raised.value)
    assert "save it as CSV UTF-8" in str(raised.value)


def test_bytes_windows_1252_leaves_undefined_are_refused(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(b"supplier_id,name\nS1,Acme\x81\x8d\n")

    with pytest.raises(InputFileError, match="neither UTF-8 nor Windows-1252"):
        load_inputs([str(path)])


def test_utf16_without_bom_stops_check_with_one_line_naming_the_file(tmp_path):
    """The released reader took these bytes as Windows-1252: ids full of NULs and a phantom
    supplier made of the last byte."""
    path = tmp_path / "suppliers.csv"
    path.write_bytes(TEXT.encode("utf-16-le"))

    result = CliRunner().invoke(cli, ["check", str(path), "--as-of", "2026-11-27",
                                      "--out", str(tmp_path / "out")])

    assert result.exit_code == 2
    assert result.stderr == (
        f"error: {path}: not a CSV text file: it holds NUL bytes (UTF-16 without a byte-order "
        "mark, or not text at all); save it as CSV UTF-8\n"
    )
    assert not (tmp_path / "out").exists()


def test_windows_1252_note_reaches_the_report(tmp_path):
    path = tmp_path / "suppliers.csv"
    path.write_bytes(CP1252_TEXT.encode("cp1252"))

    result = CliRunner().invoke(cli, ["check", str(path), "--as-of", "2026-11-27",
                                      "--out", str(tmp_path / "out"), "--format", "json"])

    assert result.exit_code == 0, result.stderr
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    assert {"file": str(path), "sheet": "suppliers", "column": None,
            "note": "not valid UTF-8: read as Windows-1252"} in report["notes"]
    assert [s["name"] for s in report["suppliers"]] == ["Müller GmbH", "Crème Brûlée SARL"]
