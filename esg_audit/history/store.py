"""Opening a history store: a SQLite file (the default, nothing to start) or any database that
SQLAlchemy reaches by URL (PostgreSQL for a team's shared store).

SQLite is opened in WAL mode with a busy timeout, and each transaction takes the write lock when
it begins (`BEGIN IMMEDIATE`), so runs recorded at the same time queue up instead of failing
half-way; a run still refused by a lock is retried. Opening a store upgrades its schema
(see `migrations`).
"""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, exc, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.pool import NullPool

from esg_audit.errors import ConfigError
from esg_audit.history.migrations import stored_version, upgrade

BUSY_TIMEOUT_SECONDS = 300  # how long a writer waits for another one to commit
CACHE_KIB = 256 * 1024  # SQLite page cache of one connection
LOCK_RETRIES = 3  # further attempts after a run was refused by a lock
UPGRADE_LOCK = 7_254_202_611  # PostgreSQL advisory lock id that serialises schema upgrades

T = TypeVar("T")


@dataclass(frozen=True)
class Store:
    """An open history store. `name` is how messages show it (a password is never shown)."""

    engine: Engine
    name: str

    @property
    def is_sqlite(self) -> bool:
        return self.engine.dialect.name == "sqlite"

    @contextmanager
    def begin(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back when it raises."""
        try:
            with self.engine.begin() as connection:
                yield connection
        except exc.DBAPIError as error:
            raise _store_error(self.name, error) from None

    def write(self, work: Callable[[Connection], T]) -> T:
        """Run `work` in one transaction, retrying it when a lock refused it."""
        for attempt in range(LOCK_RETRIES + 1):
            try:
                with self.engine.begin() as connection:
                    return work(connection)
            except exc.OperationalError as error:
                if attempt == LOCK_RETRIES or not _is_lock_error(error):
                    raise _store_error(self.name, error) from None
                time.sleep(0.5 * (attempt + 1))
            except exc.DBAPIError as error:
                raise _store_error(self.name, error) from None
        raise AssertionError("unreachable")

    def close(self) -> None:
        self.engine.dispose()


def store_url(location: str) -> URL:
    """A `--history` value as an SQLAlchemy URL: a path is a SQLite file; `postgresql://` uses
    psycopg (version 3) unless a driver is named."""
    if "://" not in location:
        return URL.create("sqlite", database=str(Path(location).expanduser().resolve()))
    try:
        url = make_url(location)
    except exc.ArgumentError:
        raise ConfigError(f"--history: {location!r} is neither a file path nor a database URL") \
            from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    return url


def open_store(location: str, create: bool = True) -> Store:
    """Open (and, with `create`, make or upgrade) the store at `location`. Raises ConfigError
    with one line naming the store when it cannot be reached, is not a store, or is newer than
    this esg-audit."""
    url = store_url(location)
    name = location if "://" not in location else url.render_as_string(hide_password=True)
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        path = Path(url.database or "")
        if path.is_dir():
            raise ConfigError(f"--history: {location} is a folder, not a database file")
        if not path.exists():
            if not create:
                raise ConfigError(f"--history: no history store at {location}")
            if not path.parent.is_dir():
                raise ConfigError(f"--history: folder {path.parent} does not exist")
    try:
        engine = _engine(url)
    except (ImportError, exc.NoSuchModuleError) as error:
        raise ConfigError(
            f"--history: cannot use {url.get_backend_name()} ({error}); for PostgreSQL install "
            "esg-audit[postgres]"
        ) from None
    store = Store(engine, name)
    try:
        if not create:
            with store.begin() as connection:
                if stored_version(connection) == 0:
                    raise ConfigError(f"--history: {name} holds no esg-audit history")
        upgrade(store.begin, lock=_upgrade_lock)
    except BaseException:
        store.close()
        raise
    return store


def _engine(url: URL) -> Engine:
    if url.get_backend_name() != "sqlite":
        return create_engine(url, poolclass=NullPool)
    engine = create_engine(
        url, poolclass=NullPool, connect_args={"timeout": BUSY_TIMEOUT_SECONDS}
    )

    # SQLAlchemy's documented recipe for SQLite transactions: let SQLAlchemy, not the driver,
    # begin them, and begin with the write lock held so two writers never deadlock mid-way.
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_SECONDS * 1000}")
        cursor.execute("PRAGMA journal_mode = WAL")
        # WAL with synchronous NORMAL never corrupts the file; a power cut can lose the last
        # committed run, which is then simply recorded again. A large page cache keeps the
        # result index in memory while a big run is inserted.
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _upgrade_lock(connection: Connection) -> None:
    # SQLite's BEGIN IMMEDIATE already serialises; PostgreSQL needs a lock of its own, since
    # two first runs would otherwise both create the tables.
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:id)"), {"id": UPGRADE_LOCK})


def _is_lock_error(error: exc.OperationalError) -> bool:
    message = str(error.orig).lower()
    return "locked" in message or "busy" in message or "deadlock" in message


def _store_error(name: str, error: exc.DBAPIError) -> ConfigError:
    detail = str(error.orig).strip().splitlines()[0] if str(error.orig).strip() else type(
        error.orig).__name__
    return ConfigError(f"--history: {name}: {detail}")


def hold_for_tests() -> None:
    """When ESG_AUDIT_HISTORY_HOLD names a file, create it and wait inside the recording
    transaction (ESG_AUDIT_HISTORY_HOLD_SECONDS, default 60): the tests use it to kill a run
    part-way through recording and to make two runs overlap."""
    marker = os.environ.get("ESG_AUDIT_HISTORY_HOLD")
    if not marker:
        return
    Path(marker).write_text(str(os.getpid()), encoding="utf-8")
    time.sleep(float(os.environ.get("ESG_AUDIT_HISTORY_HOLD_SECONDS", "60")))
