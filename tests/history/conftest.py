"""Stores for the history tests: every test runs on a SQLite file and again on a fresh database
of a real PostgreSQL server named by ESG_AUDIT_TEST_POSTGRES_URL (`.ci/start-postgres` starts
one on a local socket). Without that variable the PostgreSQL runs are skipped on a developer's
machine and fail in CI, which always starts a server."""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

POSTGRES_ENV = "ESG_AUDIT_TEST_POSTGRES_URL"
BACKENDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]


def postgres_server_url() -> str:
    url = os.environ.get(POSTGRES_ENV)
    if not url:
        message = f"no PostgreSQL server: set {POSTGRES_ENV} (bash .ci/start-postgres DIR)"
        if os.environ.get("CI"):
            pytest.fail(f"CI must test PostgreSQL: {message}")
        pytest.skip(message)
    return url


@contextmanager
def fresh_store(backend: str, folder: Path) -> Iterator[str]:
    """The `--history` value of an empty store: a SQLite path, or a new PostgreSQL database
    (dropped afterwards)."""
    if backend == "sqlite":
        yield str(folder / "audits.db")
        return
    server = make_url(postgres_server_url())
    name = f"esg_audit_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(server, isolation_level="AUTOCOMMIT")
    try:
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        yield server.set(database=name).render_as_string(hide_password=False)
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    finally:
        admin.dispose()


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with fresh_store(request.param, tmp_path) as url:
        yield url


@pytest.fixture(scope="module", params=BACKENDS)
def module_store_url(request: pytest.FixtureRequest,
                     tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    with fresh_store(request.param, tmp_path_factory.mktemp("store")) as url:
        yield url


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """One line in the log saying on which databases the history tests passed."""
    passed = terminalreporter.stats.get("passed", [])
    backends = [m.group(1) for r in passed
                if (m := re.search(r"[\[-](sqlite|postgresql)[\]-]", r.nodeid))
                and "tests/history/" in r.nodeid]
    if backends:
        terminalreporter.write_line(
            f"history store tests passed on SQLite: {backends.count('sqlite')}, "
            f"on PostgreSQL: {backends.count('postgresql')}")
