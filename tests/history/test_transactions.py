"""One transaction per run: a run killed while recording leaves nothing and the next one records
normally; two runs recording at once on one SQLite file both land; a run recorded twice is
stored once."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from click.testing import CliRunner
from sqlalchemy import func, select

from esg_audit.cli import cli
from esg_audit.history import open_store
from esg_audit.history import tables as t

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = str(ROOT / "sample_data")


def check_process(url: str, as_of: str, out: Path, hold: Path | None = None,
                  hold_seconds: float = 60) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.pop("ESG_AUDIT_HISTORY_HOLD", None)
    if hold is not None:
        env["ESG_AUDIT_HISTORY_HOLD"] = str(hold)
        env["ESG_AUDIT_HISTORY_HOLD_SECONDS"] = str(hold_seconds)
    return subprocess.Popen(
        [sys.executable, "-m", "esg_audit", "check", SAMPLE, "--as-of", as_of, "--format",
         "json", "--out", str(out), "--history", url],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
    )


def wait_for(path: Path, process: subprocess.Popen[bytes], seconds: float = 120) -> None:
    deadline = time.monotonic() + seconds
    while not path.exists():
        assert process.poll() is None, process.communicate()
        assert time.monotonic() < deadline, "the run never reached the recording step"
        time.sleep(0.05)


def table_counts(url: str) -> dict[str, int]:
    store = open_store(url)
    try:
        with store.begin() as connection:
            return {table.name: int(connection.execute(
                select(func.count()).select_from(table)).scalar() or 0)
                for table in (t.runs, *t.RUN_TABLES)}
    finally:
        store.close()


def test_a_run_killed_while_recording_leaves_nothing(store_url, tmp_path: Path):
    first = CliRunner().invoke(cli, ["check", SAMPLE, "--as-of", "2026-10-27", "--format",
                                     "json", "--out", str(tmp_path / "oct"),
                                     "--history", store_url])
    assert first.exit_code == 0, first.output
    before = table_counts(store_url)

    hold = tmp_path / "recording"
    process = check_process(store_url, "2026-11-27", tmp_path / "nov", hold=hold)
    wait_for(hold, process)  # inside the transaction: run, rules and suppliers inserted
    process.send_signal(signal.SIGKILL)
    process.communicate(timeout=30)
    assert process.returncode == -signal.SIGKILL
    assert table_counts(store_url) == before

    again = check_process(store_url, "2026-11-27", tmp_path / "nov")
    _, stderr = again.communicate(timeout=300)
    assert again.returncode == 0, stderr
    # PostgreSQL does not give back the number the killed run drew: run 2 there, 3 here.
    assert "recorded run " in stderr.decode()
    after = table_counts(store_url)
    assert after["runs"] == 2
    assert after["run_suppliers"] == 2 * before["run_suppliers"]
    assert after["run_results"] == 2 * before["run_results"]


def test_two_runs_recording_at_once_on_one_sqlite_file_both_land(tmp_path: Path):
    url = str(tmp_path / "audits.db")
    hold = tmp_path / "first-is-recording"
    first = check_process(url, "2026-10-27", tmp_path / "oct", hold=hold, hold_seconds=3)
    wait_for(hold, first)  # the first holds the write lock for 3 s
    second = check_process(url, "2026-11-27", tmp_path / "nov")
    outputs = [p.communicate(timeout=300) for p in (first, second)]
    assert [p.returncode for p in (first, second)] == [0, 0], outputs
    assert "recorded run 1 in " in outputs[0][1].decode()
    assert "recorded run 2 in " in outputs[1][1].decode()
    counts = table_counts(url)
    assert counts["runs"] == 2
    assert counts["run_suppliers"] == 80


def test_two_first_runs_at_once_both_create_and_land(store_url, tmp_path: Path):
    runs = [check_process(store_url, as_of, tmp_path / as_of)
            for as_of in ("2026-09-27", "2026-10-27")]
    outputs = [p.communicate(timeout=300) for p in runs]
    assert [p.returncode for p in runs] == [0, 0], outputs
    assert table_counts(store_url)["runs"] == 2


def test_the_same_run_twice_is_stored_once(store_url, tmp_path: Path):
    args = ["check", SAMPLE, "--as-of", "2026-11-27", "--format", "json", "--history",
            store_url]
    first = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "a")])
    assert first.exit_code == 0, first.output
    once = table_counts(store_url)
    second = CliRunner().invoke(cli, [*args, "--out", str(tmp_path / "b"), "--format", "xlsx"])
    assert second.exit_code == 0, second.output
    assert "run already recorded as run 1 in " in second.stderr
    assert "(same as-of, inputs, rules and waivers); not stored again" in second.stderr
    assert table_counts(store_url) == once
    gate = CliRunner().invoke(cli, ["gate", SAMPLE, "--as-of", "2026-11-27", "--history",
                                    store_url])
    assert gate.exit_code == 1  # some suppliers are rejected
    assert "run already recorded as run 1 in " in gate.stderr
    assert table_counts(store_url) == once
