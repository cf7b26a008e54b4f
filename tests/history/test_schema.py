"""The store's schema: built by its migration steps, versioned, upgraded in place from version 1,
and refused when it is not a store or is newer than this esg-audit."""

from __future__ import annotations

import json
from datetime import date, datetime
from pathlib import Path

import pytest
from click.testing import CliRunner
from sqlalchemy import inspect, select, text

from esg_audit.cli import cli
from esg_audit.errors import ConfigError
from esg_audit.history import open_store
from esg_audit.history import tables as t
from esg_audit.history.migrations import STEPS, upgrade
from esg_audit.history.store import Store, _engine
from esg_audit.history.store import store_url as sqlalchemy_url

SAMPLE = str(Path(__file__).resolve().parents[2] / "sample_data")


def invoke(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def shape(store: Store) -> dict[str, object]:
    """Each table's columns (name, nullable, primary key), unique constraints and indexes."""
    with store.engine.connect() as connection:
        inspector = inspect(connection)
        out: dict[str, object] = {}
        for name in sorted(inspector.get_table_names()):
            pk = set(inspector.get_pk_constraint(name)["constrained_columns"])
            out[name] = (
                [(c["name"], bool(c["nullable"]) and c["name"] not in pk, c["name"] in pk,
                  c["type"]._type_affinity.__name__)
                 for c in inspector.get_columns(name)],
                sorted(tuple(i["column_names"]) for i in inspector.get_indexes(name)
                       if not i.get("duplicates_constraint")),  # PostgreSQL's unique index
            )
        return out


def metadata_shape() -> dict[str, object]:
    return {
        table.name: (
            [(c.name, bool(c.nullable) and not c.primary_key, c.primary_key,
              c.type._type_affinity.__name__) for c in table.columns],
            sorted(tuple(c.name for c in i.columns) for i in table.indexes),
        )
        for table in sorted(t.metadata.tables.values(), key=lambda table: table.name)
    }


def test_a_new_store_is_at_the_current_version_with_the_documented_tables(store_url):
    store = open_store(store_url)
    try:
        with store.begin() as connection:
            versions = connection.execute(
                select(t.schema_version.c.version, t.schema_version.c.description)
                .order_by(t.schema_version.c.version)).all()
        assert [v for v, _ in versions] == list(range(1, t.SCHEMA_VERSION + 1))
        assert [d for _, d in versions] == [s.description for s in STEPS]
        assert shape(store) == metadata_shape()
    finally:
        store.close()


def test_the_docs_describe_every_table_and_column():
    docs = (Path(__file__).resolve().parents[2] / "docs" / "history.md").read_text("utf-8")
    for table in t.metadata.tables.values():
        assert f"### `{table.name}`" in docs
        for column in table.columns:
            assert f"| `{column.name}` |" in docs, f"{table.name}.{column.name}"
    assert f"Schema version: {t.SCHEMA_VERSION}" in docs


def version_1_store(url: str) -> None:
    """A store as esg-audit made it at schema version 1, holding one run."""
    store = Store(_engine(sqlalchemy_url(url)), url)
    try:
        upgrade(store.begin, target=1)
        with store.begin() as connection:
            connection.execute(text(
                "INSERT INTO runs (run_key, as_of, generated_at, recorded_at, "
                "tool_version, command, suppliers, audited, findings, data_issues) VALUES "
                "(:key, :as_of, :at, :at, '0.1.0', 'esg-audit check old.xlsx', 1, 1, 0, 0)"),
                {"key": "0" * 64, "as_of": date(2026, 10, 27), "at": datetime(2026, 10, 27, 8)})
            connection.execute(text(
                "INSERT INTO run_suppliers (run_id, supplier_id, position, name, score, grade, "
                "knockout) VALUES (1, 'SUP-1001', 0, 'Nordlicht Elektronik GmbH', 50.0, 'C', "
                ":no)"), {"no": False})
        assert shape(store)["run_suppliers"][0][-1][0] == "knockout"  # type: ignore[index]
    finally:
        store.close()


def test_a_version_1_store_is_upgraded_in_place_and_keeps_its_runs(store_url, tmp_path):
    version_1_store(store_url)
    outcome = invoke("check", SAMPLE, "--as-of", "2026-11-27", "--format", "json", "--out",
                     str(tmp_path / "out"), "--history", store_url)
    assert outcome.exit_code == 0, outcome.output
    assert "recorded run 2 in " in outcome.stderr
    store = open_store(store_url)
    try:
        with store.begin() as connection:
            versions = connection.execute(select(t.schema_version.c.version)).scalars().all()
            old = connection.execute(select(t.run_suppliers).where(
                t.run_suppliers.c.run_id == 1)).mappings().one()
        assert sorted(versions) == [1, 2]
        assert shape(store) == metadata_shape()
        assert (old["supplier_id"], old["grade"], old["annual_spend"]) == ("SUP-1001", "C", None)
    finally:
        store.close()
    listed = json.loads(invoke("history", "--history", store_url, "SUP-1001",
                               "--format", "json").stdout)
    report = json.loads((tmp_path / "out" / "report.json").read_text(encoding="utf-8"))
    now = next(s["grade"] for s in report["suppliers"] if s["supplier_id"] == "SUP-1001")
    assert [(r["as_of"], r["grade"]) for r in listed] == [("2026-10-27", "C"),
                                                          ("2026-11-27", now)]


def test_a_store_newer_than_this_esg_audit_is_refused(store_url):
    open_store(store_url).close()
    store = Store(_engine(sqlalchemy_url(store_url)), store_url)
    with store.begin() as connection:
        connection.execute(t.schema_version.insert().values(
            version=t.SCHEMA_VERSION + 1, description="future", applied_at=datetime(2030, 1, 1)))
    store.close()
    outcome = invoke("history", "--history", store_url)
    assert outcome.exit_code == 2
    assert outcome.stderr == (
        f"error: --history: the store has schema version {t.SCHEMA_VERSION + 1}, newer than "
        f"this esg-audit reads ({t.SCHEMA_VERSION}); upgrade esg-audit\n")


def test_a_database_with_other_runs_is_not_taken_for_a_store(store_url):
    store = Store(_engine(sqlalchemy_url(store_url)), store_url)
    with store.begin() as connection:
        connection.execute(text("CREATE TABLE runs (id INTEGER)"))
    store.close()
    with pytest.raises(ConfigError, match="has a 'runs' table but no 'schema_version'"):
        open_store(store_url)


def test_a_file_that_is_not_a_database_is_one_clear_line(tmp_path: Path):
    path = tmp_path / "notes.db"
    path.write_text("not a database\n" * 100, encoding="utf-8")
    outcome = invoke("history", "--history", str(path))
    assert outcome.exit_code == 2
    assert outcome.stderr == f"error: --history: {path}: file is not a database\n"


def test_reading_a_missing_store_creates_nothing(tmp_path: Path):
    path = tmp_path / "audits.db"
    for args in (("history", "--history", str(path)), ("diff", "--history", str(path))):
        outcome = invoke(*args)
        assert outcome.exit_code == 2
        assert outcome.stderr == f"error: --history: no history store at {path}\n"
    assert not path.exists()


def test_a_store_in_a_missing_folder_is_refused_before_the_audit(tmp_path: Path):
    path = tmp_path / "nowhere" / "audits.db"
    outcome = invoke("check", SAMPLE, "--history", str(path), "--out", str(tmp_path / "out"))
    assert outcome.exit_code == 2
    assert outcome.stderr == f"error: --history: folder {path.parent} does not exist\n"
    assert not (tmp_path / "out").exists()


def test_an_unreachable_server_is_one_line_without_the_password(tmp_path: Path):
    url = f"postgresql://auditor:s3cret@/nodb?host={tmp_path}"
    outcome = invoke("history", "--history", url)
    assert outcome.exit_code == 2
    assert outcome.stderr.startswith("error: --history: postgresql+psycopg://auditor:***@/nodb")
    assert "s3cret" not in outcome.stderr
    assert len(outcome.stderr.splitlines()) == 1
