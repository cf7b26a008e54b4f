"""The history store's tables as they are now (schema version `SCHEMA_VERSION`).

docs/history.md describes every table and column for the people who query the store. A store
made by an older esg-audit is brought to this shape by `migrations.upgrade`, whose steps are the
only place that creates or alters tables; a test checks that the steps build exactly these.

All times are UTC without a zone; dates are calendar dates. Every table but `runs` and
`schema_version` holds rows of one run, keyed by `run_id` (deleting a run deletes them).
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

SCHEMA_VERSION = 2

metadata = MetaData()

ID = 200  # longest supplier, rule, pack or pillar id kept
HASH = 64  # a SHA-256 in hex


def _run_id() -> Column[int]:
    return Column(
        "run_id", Integer, ForeignKey("runs.run_id", ondelete="CASCADE"), primary_key=True
    )


schema_version = Table(
    "schema_version",
    metadata,
    Column("version", Integer, primary_key=True, autoincrement=False),
    Column("description", Text, nullable=False),
    Column("applied_at", DateTime, nullable=False),
)

runs = Table(
    "runs",
    metadata,
    Column("run_id", Integer, primary_key=True),
    Column("run_key", String(HASH), nullable=False, unique=True),
    Column("as_of", Date, nullable=False, index=True),
    Column("generated_at", DateTime, nullable=False),
    Column("recorded_at", DateTime, nullable=False),
    Column("tool_version", String(40), nullable=False),
    Column("command", Text, nullable=False),
    Column("waivers_sha256", String(HASH)),
    Column("suppliers", Integer, nullable=False),
    Column("audited", Integer, nullable=False),
    Column("findings", Integer, nullable=False),
    Column("data_issues", Integer, nullable=False),
)

run_inputs = Table(
    "run_inputs",
    metadata,
    _run_id(),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("path", Text, nullable=False),
    Column("sha256", String(HASH), nullable=False),
    Column("rows", Integer, nullable=False),
)

run_rule_packs = Table(
    "run_rule_packs",
    metadata,
    _run_id(),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("pack", String(ID), nullable=False),
    Column("version", String(ID), nullable=False),
    Column("sha256", String(HASH), nullable=False),
)

run_rules = Table(
    "run_rules",
    metadata,
    _run_id(),
    Column("rule_id", String(ID), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("pack", String(ID), nullable=False),
    Column("title", Text, nullable=False),
    Column("pillar", String(ID), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("weight", Float, nullable=False),
    Column("knockout", Boolean, nullable=False),
    Column("remediation", Text, nullable=False),
    # How many audited suppliers got each status on this rule.
    Column("passed", Integer, nullable=False),
    Column("warned", Integer, nullable=False),
    Column("failed", Integer, nullable=False),
    Column("missing", Integer, nullable=False),
    Column("not_applicable", Integer, nullable=False),
    Column("waived", Integer, nullable=False),
)

run_suppliers = Table(
    "run_suppliers",
    metadata,
    _run_id(),
    Column("supplier_id", String(ID), primary_key=True),
    Column("position", Integer, nullable=False),
    Column("name", Text),
    Column("country", String(ID)),
    Column("category", Text),
    Column("score", Float),  # as reports show it: rounded half up to one decimal
    Column("grade", String(3), nullable=False),
    Column("knockout", Boolean, nullable=False),
    Column("annual_spend", Float),  # since schema version 2
    Index("ix_run_suppliers_supplier_id", "supplier_id"),
)

run_pillar_scores = Table(
    "run_pillar_scores",
    metadata,
    _run_id(),
    Column("supplier_id", String(ID), primary_key=True),
    Column("pillar", String(ID), primary_key=True),
    Column("score", Float),
    sqlite_with_rowid=False,
)

run_results = Table(
    "run_results",
    metadata,
    _run_id(),
    Column("supplier_id", String(ID), primary_key=True),
    Column("rule_id", String(ID), primary_key=True),
    Column("status", String(8), nullable=False),
    Column("points", Float, nullable=False),
    Column("max_points", Float, nullable=False),
    sqlite_with_rowid=False,
)

run_findings = Table(
    "run_findings",
    metadata,
    _run_id(),
    Column("supplier_id", String(ID), primary_key=True),
    Column("rule_id", String(ID), primary_key=True),
    Column("severity", String(10), nullable=False),
    Column("status", String(8), nullable=False),
    Column("message", Text),
    Column("due", Date, nullable=False),
    # The as-of of the first run of the unbroken series of runs in which this finding was
    # open, and the due date it was given then: an open finding is overdue after first_due.
    Column("open_since", Date, nullable=False),
    Column("first_due", Date, nullable=False),
    sqlite_with_rowid=False,
)

run_data_issues = Table(
    "run_data_issues",
    metadata,
    _run_id(),
    Column("position", Integer, primary_key=True, autoincrement=False),
    Column("file", Text, nullable=False),
    Column("sheet", Text, nullable=False),
    Column("column_header", Text),  # as written in the input; none for a whole-row problem
    Column("issues", Integer, nullable=False),
)

RUN_TABLES: tuple[Table, ...] = (
    run_inputs, run_rule_packs, run_rules, run_suppliers, run_pillar_scores, run_results,
    run_findings, run_data_issues,
)  # fmt: skip
