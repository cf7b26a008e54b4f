"""Bulk reads and inserts: a frame's rows sent to the database driver's executemany in large batches.

SQLAlchemy's `Connection.exec_driver_sql` hands a list of tuples straight to the driver, which
SQLite and psycopg execute without a Python step per row; the values are first converted column
by column to what the driver stores for each column's type (the same representation SQLAlchemy's
own types read back: ISO text for dates and times on SQLite).
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import numpy as np
import pandas as pd
from sqlalchemy import Boolean, Connection, Date, DateTime, Float, Integer, Table
from sqlalchemy.sql import Select

BATCH_ROWS = 50_000


def insert_frame(connection: Connection, table: Table, frame: pd.DataFrame) -> None:
    """Insert every row of `frame` (columns named as the table's) into `table`."""
    if frame.empty:
        return
    dialect = connection.dialect
    quote = dialect.identifier_preparer.quote
    columns = list(frame.columns)
    marker = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (
        f"INSERT INTO {quote(table.name)} ({', '.join(quote(c) for c in columns)}) "
        f"VALUES ({', '.join([marker] * len(columns))})"
    )
    text_dates = dialect.name == "sqlite"
    values = [_driver_values(frame[c], table.c[c].type, text_dates) for c in columns]
    for start in range(0, len(frame), BATCH_ROWS):
        batch = list(zip(*(v[start : start + BATCH_ROWS] for v in values), strict=True))
        connection.exec_driver_sql(sql, batch)


def read_frame(connection: Connection, query: Select[Any]) -> pd.DataFrame:
    """The rows of a query as a frame of Python values (object columns), dates as dates.

    The query is rendered with its values inline and run on the driver's own cursor, in the
    connection's transaction: that reads plain tuples, without a per-row step in SQLAlchemy,
    and a date column (ISO text on SQLite) is converted once per distinct value.
    """
    sql = str(query.compile(dialect=connection.dialect, compile_kwargs={"literal_binds": True}))
    cursor = connection.connection.cursor()
    try:
        cursor.execute(sql)
        rows = cursor.fetchall()
    finally:
        cursor.close()
    names = [c.name for c in query.selected_columns]
    kinds = [c.type for c in query.selected_columns]
    columns = list(zip(*rows, strict=True)) if rows else [() for _ in names]
    frame = {}
    for name, kind, values in zip(names, kinds, columns, strict=True):
        array = np.array(values, dtype=object)
        if isinstance(kind, (Date, DateTime)) and len(array):
            codes, uniques = pd.factorize(array, use_na_sentinel=True)
            lookup = np.array([*(_read_when(v, kind) for v in uniques), None], dtype=object)
            array = lookup[codes]
        frame[name] = array
    return pd.DataFrame(frame, columns=names)


def _read_when(value: Any, kind: Any) -> Any:
    if isinstance(value, str):
        moment = datetime.fromisoformat(value)
        return moment if isinstance(kind, DateTime) else moment.date()
    return value


def _driver_values(column: pd.Series, kind: Any, text_dates: bool) -> list[Any]:
    """A column as Python values of the driver's types, None where missing."""
    if isinstance(kind, Boolean):
        flags = column.astype(bool).to_numpy()
        return flags.astype(int).tolist() if text_dates else flags.tolist()
    if isinstance(kind, Integer):
        return column.to_numpy(dtype=np.int64).tolist()
    if isinstance(kind, Float):
        numbers = column.to_numpy(dtype=float, na_value=np.nan)
        out = numbers.astype(object)
        out[np.isnan(numbers)] = None
        return out.tolist()
    if isinstance(kind, (Date, DateTime)):
        codes, uniques = pd.factorize(column.astype(object), use_na_sentinel=True)
        rendered = [_when(v, text_dates) for v in uniques]
        lookup = np.array([*rendered, None], dtype=object)
        return lookup[codes].tolist()
    objects = column.astype(object)
    return objects.where(column.notna(), None).tolist()


def _when(value: Any, text_dates: bool) -> Any:
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if not text_dates:
        return value
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, date):
        return value.isoformat()
    return str(value)
