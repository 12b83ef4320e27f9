"""Worker process pools that do not outlive the process that made them.

A ``ProcessPoolExecutor`` worker waits on a pipe its parent holds open; the forked worker holds the
write end too, so when the parent dies without closing the pool (``kill -9``, the OOM killer, a CI
timeout) the worker never sees end-of-file and sleeps forever, keeping its copy of the loaded models
(about 450 MB each with spaCy). Every worker made here watches its parent and exits when it is gone.
"""

from __future__ import annotations

import os
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing.context import BaseContext

# How often a worker looks whether its parent is still there: a dead parent's workers are gone within
# about this long; one getppid call a tick costs nothing measurable (a 0.5 s tick chosen by hand).
PARENT_CHECK_SECONDS = 0.5


def worker_pool(max_workers: int, mp_context: BaseContext) -> ProcessPoolExecutor:
    """A process pool whose workers exit on their own once this process has died."""
    return ProcessPoolExecutor(
        max_workers=max_workers,
        mp_context=mp_context,
        initializer=_watch_parent,
        initargs=(os.getpid(),),
    )


def _watch_parent(parent: int) -> None:
    """In a new worker: a daemon thread that ends the worker when ``parent`` is no longer its parent."""

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(PARENT_CHECK_SECONDS)
        os._exit(1)  # the parent is gone: nobody will read a result, and nothing here needs cleaning up

    threading.Thread(target=watch, name="newsweave-parent-watch", daemon=True).start()
