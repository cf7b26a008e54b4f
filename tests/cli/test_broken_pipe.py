"""A reader that goes away early (`esg-audit rules list | head -1`) is no error of ours."""

from __future__ import annotations

import subprocess
import sys


def test_rules_list_into_a_closed_pipe_is_quiet_and_exits_0() -> None:
    command = [sys.executable, "-m", "esg_audit", "rules", "list"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as process:
        assert process.stdout is not None and process.stderr is not None
        process.stdout.close()  # the reader is gone before the first line is written
        stderr = process.stderr.read()
        returncode = process.wait(timeout=60)
    assert stderr == b""
    assert returncode == 0
