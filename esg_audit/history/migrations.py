"""Schema versions of the history store and the steps between them.

A store records its version in `schema_version` (one row per step applied). Opening a store
applies every step above its version, each in its own transaction, so a store made by any
earlier esg-audit is upgraded in place and never stranded; a store newer than this esg-audit
is refused rather than misread. Each step is frozen once released: it builds the tables as they
were at its version, never from `tables.py`, which describes only the newest shape.

To change the schema: add a step at the end of `STEPS`, raise `tables.SCHEMA_VERSION`, change
`tables.py` to the new shape, and describe the change in docs/history.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from sqlalchemy import (
    Boolean,
    Column,
    Connection,
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
    inspect,
    select,
    text,
)

from esg_audit.errors import ConfigError
from esg_audit.history.tables import SCHEMA_VERSION, schema_version


@dataclass(frozen=True)
class Step:
    version: int
    description: str
    apply: Callable[[Connection], None]


def _version_1(connection: Connection) -> None:
    """The first schema: runs with their inputs, rule packs, rules, suppliers, pillar scores,
    results, findings and data-issue counts."""
    m = MetaData()

    def run_id() -> Column[int]:
        return Column(
            "run_id", Integer, ForeignKey("runs.run_id", ondelete="CASCADE"), primary_key=True
        )

    Table(
        "schema_version", m,
        Column("version", Integer, primary_key=True, autoincrement=False),
        Column("description", Text, nullable=False),
        Column("applied_at", DateTime, nullable=False),
    )
    Table(
        "runs", m,
        Column("run_id", Integer, primary_key=True),
        Column("run_key", String(64), nullable=False, unique=True),
        Column("as_of", Date, nullable=False, index=True),
        Column("generated_at", DateTime, nullable=False),
        Column("recorded_at", DateTime, nullable=False),
        Column("tool_version", String(40), nullable=False),
        Column("command", Text, nullable=False),
        Column("waivers_sha256", String(64)),
        Column("suppliers", Integer, nullable=False),
        Column("audited", Integer, nullable=False),
        Column("findings", Integer, nullable=False),
        Column("data_issues", Integer, nullable=False),
    )
    Table(
        "run_inputs", m, run_id(),
        Column("position", Integer, primary_key=True, autoincrement=False),
        Column("path", Text, nullable=False),
        Column("sha256", String(64), nullable=False),
        Column("rows", Integer, nullable=False),
    )
    Table(
        "run_rule_packs", m, run_id(),
        Column("position", Integer, primary_key=True, autoincrement=False),
        Column("pack", String(200), nullable=False),
        Column("version", String(200), nullable=False),
        Column("sha256", String(64), nullable=False),
    )
    Table(
        "run_rules", m, run_id(),
        Column("rule_id", String(200), primary_key=True),
        Column("position", Integer, nullable=False),
        Column("pack", String(200), nullable=False),
        Column("title", Text, nullable=False),
        Column("pillar", String(200), nullable=False),
        Column("severity", String(10), nullable=False),
        Column("weight", Float, nullable=False),
        Column("knockout", Boolean, nullable=False),
        Column("remediation", Text, nullable=False),
        Column("passed", Integer, nullable=False),
        Column("warned", Integer, nullable=False),
        Column("failed", Integer, nullable=False),
        Column("missing", Integer, nullable=False),
        Column("not_applicable", Integer, nullable=False),
        Column("waived", Integer, nullable=False),
    )
    Table(
        "run_suppliers", m, run_id(),
        Column("supplier_id", String(200), primary_key=True),
        Column("position", Integer, nullable=False),
        Column("name", Text),
        Column("country", String(200)),
        Column("category", Text),
        Column("score", Float),
        Column("grade", String(3), nullable=False),
        Column("knockout", Boolean, nullable=False),
        Index("ix_run_suppliers_supplier_id", "supplier_id"),
    )
    Table(
        "run_pillar_scores", m, run_id(),
        Column("supplier_id", String(200), primary_key=True),
        Column("pillar", String(200), primary_key=True),
        Column("score", Float),
        sqlite_with_rowid=False,
    )
    Table(
        "run_results", m, run_id(),
        Column("supplier_id", String(200), primary_key=True),
        Column("rule_id", String(200), primary_key=True),
        Column("status", String(8), nullable=False),
        Column("points", Float, nullable=False),
        Column("max_points", Float, nullable=False),
        sqlite_with_rowid=False,
    )
    Table(
        "run_findings", m, run_id(),
        Column("supplier_id", String(200), primary_key=True),
        Column("rule_id", String(200), primary_key=True),
        Column("severity", String(10), nullable=False),
        Column("status", String(8), nullable=False),
        Column("message", Text),
        Column("due", Date, nullable=False),
        Column("open_since", Date, nullable=False),
        Column("first_due", Date, nullable=False),
        sqlite_with_rowid=False,
    )
    Table(
        "run_data_issues", m, run_id(),
        Column("position", Integer, primary_key=True, autoincrement=False),
        Column("file", Text, nullable=False),
        Column("sheet", Text, nullable=False),
        Column("column_header", Text),
        Column("issues", Integer, nullable=False),
    )
    m.create_all(connection)


def _version_2(connection: Connection) -> None:
    """Each supplier's annual spend, for spend at risk by grade (null: no spend given)."""
    float_type = Float().compile(dialect=connection.dialect)
    connection.execute(text(f"ALTER TABLE run_suppliers ADD COLUMN annual_spend {float_type}"))


STEPS: tuple[Step, ...] = (
    Step(1, "runs, inputs, rule packs, rules, suppliers, pillar scores, results, findings, "
            "data-issue counts", _version_1),
    Step(2, "annual spend per supplier", _version_2),
)
assert [s.version for s in STEPS] == list(range(1, SCHEMA_VERSION + 1))


def stored_version(connection: Connection) -> int:
    """The store's schema version: 0 for an empty database. Raises ConfigError when the
    database holds tables but is not an esg-audit history store."""
    names = set(inspect(connection).get_table_names())
    if "schema_version" not in names:
        if "runs" in names:
            raise ConfigError(
                "--history: the database has a 'runs' table but no 'schema_version': "
                "it is not an esg-audit history store"
            )
        return 0
    version = connection.execute(select(schema_version.c.version).order_by(
        schema_version.c.version.desc()).limit(1)).scalar()
    return int(version or 0)


def upgrade(
    begin: Callable[[], object], target: int = SCHEMA_VERSION,
    lock: Callable[[Connection], None] = lambda connection: None,
) -> int:
    """Apply every step above the store's version up to `target`, each in one transaction
    (`begin()` gives a context manager yielding a Connection in a transaction; `lock` takes a
    lock that serialises upgrades by several processes). Returns the version before."""
    before: int | None = None
    while True:
        with begin() as connection:  # type: ignore[attr-defined]
            lock(connection)
            version = stored_version(connection)
            if before is None:
                before = version
            if version > SCHEMA_VERSION:
                raise ConfigError(
                    f"--history: the store has schema version {version}, newer than this "
                    f"esg-audit reads ({SCHEMA_VERSION}); upgrade esg-audit"
                )
            if version >= target:
                return before
            step = STEPS[version]
            step.apply(connection)
            connection.execute(schema_version.insert().values(
                version=step.version, description=step.description,
                applied_at=datetime.now(timezone.utc).replace(tzinfo=None, microsecond=0),
            ))
