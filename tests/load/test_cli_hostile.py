"""Every hostile case of SPEC §6 through the CLI: exit 2, one line naming the file, no traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from esg_audit.cli import cli

LAUGHS = (
    '<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
    + "".join(
        f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10 if i > 1 else "&lol;" * 10}">'
        for i in range(1, 10)
    )
    + "]>\n"
)


def run_check(*args: str, tmp_path: Path) -> tuple[int, list[str]]:
    result = CliRunner().invoke(
        cli, ["check", *args, "--as-of", "2026-11-27", "--out", str(tmp_path / "out")]
    )
    lines = result.stderr.splitlines() if result.stderr else result.output.splitlines()
    return result.exit_code, lines


def assert_refused(code: int, lines: list[str], path: Path, reason: str) -> None:
    assert code == 2
    assert len(lines) == 1, lines
    assert lines[0].startswith(f"error: {path}: "), lines[0]
    assert reason in lines[0]
    assert "Traceback" not in lines[0]


@pytest.fixture
def book(tmp_path, xlsx, suppliers_rows) -> Path:
    return xlsx(tmp_path / "source.xlsx", {"Suppliers": suppliers_rows})


def test_entity_bomb(tmp_path, book, rezip):
    def inject(name: str, data: bytes) -> bytes:
        if name != "xl/worksheets/sheet1.xml":
            return data
        body = data.decode()
        return (LAUGHS + body[body.index("<worksheet") :]).encode()

    bomb = rezip(book, tmp_path / "laughs.xlsx", inject)
    code, lines = run_check(str(bomb), tmp_path=tmp_path)
    assert_refused(code, lines, bomb, "possible entity bomb")
    assert not (tmp_path / "out").exists()


def test_unpacked_size_past_the_limit(tmp_path, book, rezip):
    padded = rezip(book, tmp_path / "padded.xlsx", lambda name, data: data,
                   extra={"xl/media/zeros.bin": bytes(3 * 2**20)})
    code, lines = run_check(str(padded), "--max-unpacked-mb", "1", tmp_path=tmp_path)
    assert_refused(code, lines, padded, "past the --max-unpacked-mb limit of 1 MB")
    code, _ = run_check(str(padded), "--max-unpacked-mb", "4", tmp_path=tmp_path)
    assert code == 0


def test_encrypted_workbook(tmp_path, cfb):
    secret = tmp_path / "secret.xlsx"
    secret.write_bytes(cfb(["EncryptionInfo", "EncryptedPackage"]))
    code, lines = run_check(str(secret), tmp_path=tmp_path)
    assert_refused(code, lines, secret, "encrypted workbook")


def test_rule_file_that_tries_code_execution(tmp_path, book):
    sentinel = tmp_path / "pwned"
    rules = tmp_path / "evil.yaml"
    rules.write_text(
        "pack: evil\nversion: '1'\nrules:\n"
        "  - id: EVIL-001\n    title: t\n    pillar: environment\n    severity: low\n"
        f"    check: {{pass: \"__import__('os').system('touch {sentinel}')\"}}\n",
        encoding="utf-8",
    )
    code, lines = run_check(str(book), "--rules", str(rules), tmp_path=tmp_path)
    assert code == 2
    assert lines[0].startswith(f"error: {rules}:8: EVIL-001: ")
    assert not sentinel.exists()


def test_missing_suppliers_sheet_and_id_column(tmp_path, xlsx):
    other = xlsx(tmp_path / "other.xlsx", {"Budget": [["a", "b"], [1, 2]], "Plan": [["x"]]})
    code, lines = run_check(str(other), tmp_path=tmp_path)
    assert code == 2 and len(lines) == 1
    assert str(other) in lines[0] and "no Suppliers sheet" in lines[0]

    # A workbook's only sheet is read as Suppliers: the message says so.
    single = xlsx(tmp_path / "single.xlsx", {"Budget": [["a", "b"], [1, 2]]})
    code, lines = run_check(str(single), tmp_path=tmp_path)
    assert code == 2 and len(lines) == 1
    assert lines[0] == (
        f"error: {single}, sheet 'Budget': no header row: none of the first 10 rows holds two "
        "recognised column headers (such as supplier_id, name, country); the workbook's only "
        "sheet is read as Suppliers")

    no_id = xlsx(tmp_path / "no_id.xlsx", {"Suppliers": [["name", "country"], ["Acme", "DE"]]})
    code, lines = run_check(str(no_id), tmp_path=tmp_path)
    assert code == 2 and len(lines) == 1
    assert lines[0].startswith(f"error: {no_id}") and "supplier_id" in lines[0]
