"""Worker processes of the analysis pool end when the process that made them is killed (kill -9 of an
``add`` left two workers of about 450 MB each sleeping for ever)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

SCRIPT = """
import multiprocessing, os, sys, time
from newsweave.workers import worker_pool

def slow_pid(_):
    time.sleep(0.5)
    return os.getpid()

pool = worker_pool(2, multiprocessing.get_context("fork"))
print(" ".join(str(p) for p in sorted(set(pool.map(slow_pid, range(4))))), flush=True)
time.sleep(600)
"""


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"  # a zombie has exited; only its parent's wait is missing


def test_workers_exit_when_their_parent_is_killed() -> None:
    proc = subprocess.Popen([sys.executable, "-c", SCRIPT], stdout=subprocess.PIPE, text=True)
    workers: list[int] = []
    try:
        assert proc.stdout is not None
        workers = [int(p) for p in proc.stdout.readline().split()]
        assert workers and proc.pid not in workers
        assert all(_alive(p) for p in workers)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=10)
        deadline = time.monotonic() + 15
        while any(_alive(p) for p in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not [p for p in workers if _alive(p)], "workers outlived their killed parent"
    finally:
        proc.kill()
        for p in workers:
            if _alive(p):
                os.kill(p, signal.SIGKILL)
