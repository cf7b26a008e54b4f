"""The audit history store: every recorded run of `check --history` or `gate --history` in a
database (a SQLite file by default, PostgreSQL through an SQLAlchemy URL), for grades over time,
findings overdue since the last audit, and diffs between recorded runs.

- `store`: opening a store by path or URL (WAL and busy timeout on SQLite);
- `tables` and `migrations`: the schema, its version and the steps that upgrade old stores;
- `record`: an audit result as rows, written in one transaction;
- `query`: the runs, a supplier's path, a rule's pass rate, a run as the diff reads it, the
  trend that the reports show.
The reports never query the store: the trend is put on the `AuditResult` before writing.
"""

from __future__ import annotations

import dataclasses

from esg_audit.history.query import trend
from esg_audit.history.record import Recorded, RunRows, record_run, rows_from_result
from esg_audit.history.store import Store, open_store
from esg_audit.model import AuditResult

__all__ = ["Recorded", "RunRows", "Store", "open_store", "record_run", "rows_from_result",
           "with_trend"]


def with_trend(store: Store, result: AuditResult, rows: RunRows) -> AuditResult:
    """The result with its trend against the store's earlier runs filled in."""
    return dataclasses.replace(result, trend=trend(store, rows))
