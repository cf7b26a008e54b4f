"""The command keeps the memory an audit frees for its next arrays (glibc's mallopt)."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

import esg_audit.cli as cli_module

GLIBC = sys.platform.startswith("linux") and bool(
    getattr(os, "confstr", None) and os.confstr("CS_GNU_LIBC_VERSION")
)

# Allocate 64 MB, free it, allocate 64 MB again: the page faults of the second allocation.
PROBE = """
import resource, sys
import numpy as np
from esg_audit.cli import keep_freed_memory
applied = keep_freed_memory()
def minor():
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt
first = np.empty(8 << 20)
first.fill(1.0)
del first
before = minor()
second = np.empty(8 << 20)
second.fill(2.0)
print(applied, minor() - before)
"""


def probe(env: dict[str, str]) -> tuple[str, int]:
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True,
                          env={**os.environ, **env}, check=True)
    applied, faults = done.stdout.split()
    return applied, int(faults)


def test_the_command_line_keeps_freed_memory(monkeypatch):
    ran, kept = [], []
    monkeypatch.setattr(cli_module, "cli", lambda **kwargs: ran.append(kwargs))
    monkeypatch.setattr(cli_module, "keep_freed_memory", lambda: kept.append(True))
    cli_module.main()
    assert kept == [True] and ran == [{"prog_name": "esg-audit"}]


@pytest.mark.skipif(not GLIBC, reason="glibc's allocator only")
def test_a_freed_large_block_is_used_again_without_page_faults():
    # Without the setting glibc unmaps the freed 64 MB and the next array is faulted in page
    # by page (hundreds of faults even with transparent huge pages); with it, none.
    applied, faults = probe({})
    assert applied == "True"
    assert faults <= 16


@pytest.mark.skipif(not GLIBC, reason="glibc's allocator only")
def test_a_users_own_malloc_setting_is_kept():
    applied, _ = probe({"MALLOC_TRIM_THRESHOLD_": "131072"})
    assert applied == "False"


def test_nothing_is_set_without_glibc(monkeypatch):
    monkeypatch.delenv("MALLOC_MMAP_THRESHOLD_", raising=False)
    monkeypatch.delenv("MALLOC_TRIM_THRESHOLD_", raising=False)
    monkeypatch.setattr(os, "confstr", lambda name: None)
    assert cli_module.keep_freed_memory() is False
    monkeypatch.delattr(os, "confstr")
    assert cli_module.keep_freed_memory() is False
