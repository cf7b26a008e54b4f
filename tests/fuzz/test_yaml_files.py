"""Property: a rule, waiver or column file, generated or mutated byte by byte, either loads or is
refused with our own error naming the file and line; never another exception (no
RecursionError, ReaderError, OverflowError, UnicodeDecodeError, ...), and nothing is executed.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from esg_audit.errors import ConfigError
from esg_audit.normalise import load_column_map
from esg_audit.rules import lint_rules
from esg_audit.waivers import load_waivers

SENTINEL = Path(tempfile.gettempdir()) / "esg-audit-fuzz-executed"

RULE_FILE = """\
pack: fuzz
version: "1"
description: A pack to mutate.
fields: {spend_band: text, audited_on: date}
grading:
  bands: {A: 80, B: 60, C: 40}
  pillars: {environment: 2, social: 1}
rules:
  - id: ENV-001
    title: Valid ISO 14001 certificate
    pillar: environment
    severity: high
    weight: 10
    applies_to: "category != 'services'"
    check: {certificate: ISO 14001, warn_within_days: 90, issuers: [SGS, BSI], retired_editions: {2004: 2018-09-14}}
    on_missing: warn
    knockout: true
    references: ["ISO 14001:2015"]
  - id: ENV-002
    title: Renewable electricity
    pillar: environment
    check:
      pass: renewable_share >= 0.6 and audited_on > date('2020-01-01')
      warn: coalesce(renewable_share, 0) >= 0.3
  - id: GHG-001
    title: Disclosure
    pillar: environment
    check: {required: [scope1_tco2e, spend_band]}
  - id: CLI-001
    title: Falling emissions
    pillar: environment
    check: {trend: scope1_tco2e + scope2_tco2e, years: 3, max_annual_change: -0.042}
  - id: RES-001
    title: No single source
    pillar: social
    check: {min_suppliers: 2, materials: [steel]}
tests:
  - name: one
    as_of: 2026-11-27
    suppliers: [{supplier_id: S1, renewable_share: 0.7}]
    expect: {S1: {ENV-002: missing}}
"""
WAIVER_FILE = """\
waivers:
  - supplier_id: S-1001
    rule_id: ENV-001
    reason: Recertification audit booked.
    approved_by: Head of Procurement
    expires: 2026-12-31
  - {supplier_id: "0012", rule_id: SOC-002, reason: r, approved_by: a, expires: "2027-01-15"}
"""
COLUMN_FILE = """\
columns:
  Emissions: {tonnes_co2: scope1_tco2e}
  "*": {account_id: supplier_id, Vendor No.: supplier_id}
date_format: day-first
"""
SIGNIFICANT = [b":", b"-", b" ", b"\n", b"\t", b"\r", b"[", b"]", b"{", b"}", b"&a", b"*a", b"!!", b"!!python/object:os.system",
               b"|", b">", b"'", b'"', b"#", b"%", b"@", b"`", b"---", b"...", b"<<: *a", b"? ", b"\x00", b"\x07",
               b"\xff", b"\xc3", b"\xe9", "é".encode(), "\u2028".encode(), b"\xef\xbb\xbf", b"0x", b"1e999",
               b"9" * 320, b"[" * 150, b"- " * 120, b"9999-12-31", b"2026-02-30"]


@st.composite
def mutated(draw: st.DrawFn, original: str) -> bytes:
    data = bytearray(original.encode())
    for _ in range(draw(st.integers(1, 6))):
        where = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["insert", "delete", "replace", "duplicate"]))
        piece = draw(st.one_of(st.sampled_from(SIGNIFICANT), st.binary(min_size=1, max_size=3)))
        if action == "insert":
            data[where:where] = piece
        elif action == "delete":
            data[where:where + draw(st.integers(1, 20))] = b""
        elif action == "replace":
            data[where:where + len(piece)] = piece
        else:  # a line repeated: duplicate keys, ids, entries
            start = data.rfind(b"\n", 0, where) + 1
            end = data.find(b"\n", where)
            end = len(data) if end < 0 else end + 1
            data[end:end] = data[start:end]
    return bytes(data)


scalars = st.one_of(
    st.none(), st.booleans(), st.integers(min_value=-(2**70), max_value=2**70), st.floats(),
    st.text(max_size=12), st.dates(), st.integers(0, 10**320).map(lambda n: n),
)
documents = st.recursive(
    scalars,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=10), inner, max_size=4)),
    max_leaves=20,
)


def _dump(value: object) -> bytes:
    return yaml.safe_dump(value, allow_unicode=True).encode()


# Structured documents: a rule file / waiver file / column file whose values are anything.
rule_documents = st.fixed_dictionaries(
    {"pack": scalars, "version": scalars},
    optional={
        "rules": st.lists(st.fixed_dictionaries(
            {"id": st.one_of(st.just("R-1"), scalars), "title": scalars, "pillar": scalars, "check": documents},
            optional={"weight": scalars, "severity": scalars, "applies_to": scalars, "on_missing": scalars,
                      "knockout": scalars, "references": documents, "extra": documents},
        ), max_size=3),
        "grading": documents, "fields": documents, "tests": documents, "description": scalars,
    },
)
waiver_documents = st.one_of(
    documents,
    st.fixed_dictionaries({"waivers": st.lists(st.dictionaries(
        st.sampled_from(["supplier_id", "rule_id", "reason", "approved_by", "expires", "expiry"]), documents, max_size=6,
    ), max_size=4)}),
)
column_documents = st.one_of(
    documents,
    st.fixed_dictionaries({"columns": st.dictionaries(
        st.sampled_from(["Suppliers", "Emissions", "*", "Vendors"]),
        st.one_of(documents, st.dictionaries(st.text(max_size=8), st.sampled_from(["supplier_id", "scope1_tco2e", "nope"]))),
        max_size=3,
    )}, optional={"date_format": scalars}),
)


def _write(raw: bytes) -> tuple[tempfile.TemporaryDirectory[str], str]:
    folder = tempfile.TemporaryDirectory()
    path = Path(folder.name) / "fuzz.yaml"
    path.write_bytes(raw)
    return folder, str(path)


def _rules_refuse_or_load(raw: bytes) -> None:
    folder, path = _write(raw)
    with folder:
        errors = lint_rules([path])
    for error in errors:
        assert error.location is not None and error.location.file == path, str(error)
        assert error.location.line is not None, str(error)
        assert "\n" not in error.message, str(error)
    assert not SENTINEL.exists()


def _config_refuse_or_load(raw: bytes, load: object) -> None:
    folder, path = _write(raw)
    with folder:
        try:
            load(path)  # type: ignore[operator]
        except ConfigError as error:
            assert error.location is not None and error.location.file == path, str(error)
            assert "\n" not in error.message, str(error)
            if "empty column mapping" not in error.message:
                assert error.location.line is not None, str(error)
    assert not SENTINEL.exists()


@given(mutated(RULE_FILE))
def test_mutated_rule_files_load_or_are_refused_with_file_and_line(raw):
    _rules_refuse_or_load(raw)


@given(rule_documents)
def test_generated_rule_files_load_or_are_refused_with_file_and_line(document):
    _rules_refuse_or_load(_dump(document))


@pytest.mark.parametrize("kind", ["waivers", "columns"])
@given(data=st.data())
def test_mutated_waiver_and_column_files_load_or_are_refused(kind, data):
    raw = data.draw(mutated(WAIVER_FILE if kind == "waivers" else COLUMN_FILE))
    _config_refuse_or_load(raw, load_waivers if kind == "waivers" else load_column_map)


@pytest.mark.parametrize("kind", ["waivers", "columns"])
@given(data=st.data())
def test_generated_waiver_and_column_files_load_or_are_refused(kind, data):
    document = data.draw(waiver_documents if kind == "waivers" else column_documents)
    _config_refuse_or_load(_dump(document), load_waivers if kind == "waivers" else load_column_map)
