"""Adding articles through the web app: one writer thread, jobs with progress, uploads read in memory.

Every upload (files, pasted text, a JSON body) becomes ``(name, bytes)`` pairs that the ingest stage reads
as it reads files (:func:`newsweave.ingest.read_blobs`: the same sniffing, size limits, decoding and
rejections), and :func:`newsweave.pipeline.add_items` stores, analyses and assigns to stories, as
``newsweave add`` does. Jobs run one at a time on one thread with its own cursor, so there is one writer;
each batch of articles is one transaction, so readers (each request reads in its own read-only snapshot)
never see half of one.

The same thread stores what the story pages compute (:meth:`Writer.save_computed`): a page compares in
its read-only snapshot and queues the comparison, its sentence vectors and tags to be saved here, so the
next visit (or ``report``) reads them instead of comparing again.

When the server stops, :meth:`Writer.close` finishes what is queued (jobs and saves) within
``WriteOptions.shutdown_seconds``, then cancels the rest and logs each job not run and each comparison
not stored.
"""

from __future__ import annotations

import dataclasses
import logging
import secrets
import threading
import time
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from newsweave.ingest.options import IngestOptions
from newsweave.model import Article, Rejected
from newsweave.store import Store

if TYPE_CHECKING:
    from newsweave.embed_store import TextCache
    from newsweave.views.comparison import StoryCompareOptions, StoryComparison

log = logging.getLogger(__name__)

# Upload limits. One news document (a page, a feed, a JSON export) is well under a megabyte; 16 MiB
# leaves room for a feed or export of a few thousand articles and still bounds what one request holds
# in memory (at most MAX_REQUEST_BYTES, as the body is read whole before the job starts).
MAX_FILE_BYTES = 16 * 1024 * 1024
MAX_REQUEST_BYTES = 64 * 1024 * 1024
MAX_FILES = 200
# Pasted text: a long feature is about 60,000 characters; a megabyte is far beyond any article.
MAX_PASTE_BYTES = 1024 * 1024
UPLOAD_PREFIX = "upload/"
# Inputs without a file name (no stem to name the outlet, as for standard input).
PASTED_NAME = "<pasted text>"
BODY_NAME = "<request body>"
# Jobs remembered for their progress pages (older ones are forgotten, the articles stay stored).
KEEP_JOBS = 100
# How long the server's shutdown waits for the writer's queue. Storing a page's comparison takes well
# under a second (a 10-article story's, vectors and tags included: 0.03 s, docs/performance.md), so a
# queue of saves drains in a few seconds, while an upload is analysed at one process's speed (about 0.3 s
# an article on the demo corpus: add's 0.17 s at about half its speed), so 500 articles take minutes.
# 30 s lets the saves and uploads of a few dozen articles through without holding Ctrl-C for long.
SHUTDOWN_SECONDS = 30.0
# What an uploaded file's name may end with: the formats the ingest stage reads (docs/cli.md), gzipped
# or not. Anything else is refused before it is read.
UPLOAD_SUFFIXES = (".txt", ".text", ".md", ".html", ".htm", ".xhtml", ".json", ".jsonl", ".ndjson", ".csv",
                   ".xml", ".rss", ".atom", ".warc")  # fmt: skip


@dataclass(frozen=True)
class WriteOptions:
    """``token``: the secret write requests must carry (``--token`` or NEWSWEAVE_TOKEN); ``loopback``:
    whether the server is bound to a loopback address (off it, writes need the token); the limits are
    per file, per request and files per request; ``batch_size``: articles stored per transaction (None:
    as ``add``); ``shutdown_seconds``: how long stopping the server waits for the queued writes;
    ``prepare``: whether an upload that does not say prepares the comparisons of the stories
    it touches, as ``add --prepare`` does (``serve --prepare``; off by default, as for ``add``)."""

    token: str | None = None
    loopback: bool = True
    max_file_bytes: int = MAX_FILE_BYTES
    max_request_bytes: int = MAX_REQUEST_BYTES
    max_files: int = MAX_FILES
    max_paste_bytes: int = MAX_PASTE_BYTES
    batch_size: int | None = None
    prepare: bool = False
    shutdown_seconds: float = SHUTDOWN_SECONDS


def upload_refusal(name: str, size: int, options: WriteOptions) -> str | None:
    """Why an uploaded file is refused before reading it (its name or size), or None."""
    if not name.strip():
        return "a file without a name"
    lower = name.lower()
    stem = lower[:-3] if lower.endswith(".gz") else lower
    if not stem.endswith(UPLOAD_SUFFIXES):
        return f"not a file type newsweave reads (name ends with one of {', '.join(UPLOAD_SUFFIXES)}, or .gz)"
    if size == 0:
        return "empty file"
    if size > options.max_file_bytes:
        return f"file of {size} bytes is over the upload limit of {options.max_file_bytes} bytes (not read)"
    return None


def upload_name(filename: str | None, index: int) -> str:
    """The name an uploaded file is recorded under: its base name (no folders a browser or a client may
    send) under ``upload/``, so origins show it did not come from this machine's disk; as for a file
    added from disk, its stem names the outlet when nothing else does."""
    base = PurePath((filename or "").replace("\\", "/")).name.strip()
    clean = "".join(c if c.isprintable() else "_" for c in base)[:200]
    return f"{UPLOAD_PREFIX}{clean or f'file-{index}'}"


@dataclass
class Job:
    """One upload being added (mutable: the writer thread fills it in; read it through :meth:`to_dict`)."""

    id: str
    inputs: list[str]
    state: str = "queued"  # queued | running | done | failed
    stage: str = ""
    done: int = 0
    total: int | None = None
    created: float = field(default_factory=time.time)
    finished: float | None = None
    added: list[dict[str, Any]] = field(default_factory=list)
    duplicates: list[dict[str, Any]] = field(default_factory=list)
    rejected: list[dict[str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    prepare: bool = False
    prepared: list[str] = field(default_factory=list)
    error: str | None = None
    future: Future[None] | None = None

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "state": self.state,
            "inputs": list(self.inputs),
            "progress": {"stage": self.stage, "done": self.done, "total": self.total},
            "added": list(self.added),
            "duplicates": list(self.duplicates),
            "rejected": list(self.rejected),
            "warnings": list(self.warnings),
            "prepare": self.prepare,
            "prepared": list(self.prepared),
            "error": self.error,
            "seconds": round((self.finished or time.time()) - self.created, 2),
        }


class WriterClosed(RuntimeError):
    """The writer is stopping (the server shuts down): it takes no more uploads."""


class Writer:
    """The app's one writer: jobs run in order on a single thread, each through the library pipeline.
    ``compare``: the options the app's pages compare with, so a job that prepares its stories stores
    their comparisons under the key the pages look up (None: ``report``'s defaults)."""

    def __init__(
        self,
        store: Store,
        options: WriteOptions = WriteOptions(),
        keep: int = KEEP_JOBS,
        compare: StoryCompareOptions | None = None,
    ) -> None:
        self._store = store
        self._options = options
        self._compare = compare
        # queued or running -> (what it is, what is lost if it is cancelled), for the shutdown's log
        self._pending: dict[Future[Any], tuple[str, str]] = {}
        self._closing = False
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="newsweave-writer")
        self._jobs: OrderedDict[str, Job] = OrderedDict()
        self._lock = threading.RLock()  # re-entered by a done callback run at once (``_track``)
        self._keep = keep

    def submit(
        self,
        blobs: list[tuple[str, bytes]],
        refused: list[Rejected],
        source: str | None,
        fmt: str | None = None,
        prepare: bool | None = None,
    ) -> Job:
        """Queue ``blobs`` to be read and added (``refused``: uploads already turned down, recorded with
        the job's rejections); ``source`` forces the outlet, as ``add --source`` does, ``fmt`` the format
        (None: sniffed, as for files); ``prepare``: then compare and store the stories touched, as ``add
        --prepare`` does (None: the server's choice, ``WriteOptions.prepare``)."""
        if self._closing:
            raise WriterClosed("the server is stopping: nothing more is added")
        job = Job(secrets.token_hex(8), [n for n, _ in blobs] + [r.path for r in refused])
        job.prepare = self._options.prepare if prepare is None else prepare
        job.rejected = [_rejected(r) for r in refused]
        with self._lock:
            self._jobs[job.id] = job
            while len(self._jobs) > self._keep:
                self._jobs.popitem(last=False)
        ingest = IngestOptions(source=source, format=fmt)
        with self._lock:
            if self._closing:
                self._jobs.pop(job.id, None)
                raise WriterClosed("the server is stopping: nothing more is added")
            job.future = self._pool.submit(self._run, job, blobs, refused, ingest)
            self._track(job.future, f"upload job {job.id} ({len(job.inputs)} inputs)", "not run")
        return job

    def save_computed(self, result: StoryComparison, cache: TextCache) -> Future[int]:
        """Queue what a page's comparison computed (the comparison, its new vectors and tags) to be
        stored, after the jobs already queued: the writer thread is the app's one writer. A failed save
        is logged (the next reader of the story compares again); the page that made it is not told."""
        with self._lock:
            if not self._closing:
                future = self._pool.submit(self._save, result, cache)
                self._track(future, f"comparison of story {result.story.id}", "not stored")
                return future
        log.warning("server stopping: comparison of story %s not stored", result.story.id)
        done: Future[int] = Future()
        done.set_result(0)
        return done

    def _track(self, future: Future[Any], what: str, lost: str) -> None:
        """Remember ``future`` until it is done (the caller holds ``_lock``)."""
        self._pending[future] = (what, lost)
        future.add_done_callback(self._untrack)

    def _untrack(self, future: Future[Any]) -> None:
        with self._lock:
            self._pending.pop(future, None)

    def wait(self) -> None:
        """Until everything queued so far is done (jobs and saves)."""
        self._pool.submit(lambda: None).result()

    def _save(self, result: StoryComparison, cache: TextCache) -> int:
        from newsweave.views.comparison import store_computed

        try:
            cur = self._store.cursor()
            try:
                if cur.get_story(result.story.id).article_ids != result.story.article_ids:
                    # the story changed since the page compared it (an add ran between): its vectors and
                    # tags still hold, the comparison would replace a newer one
                    log.info("story %s changed since it was compared: comparison not stored", result.story.id)
                    n = store_computed(cur, cache)
                else:
                    n = store_computed(cur, cache, result)
            finally:
                cur.close()
        except Exception:
            log.exception("the comparison of story %s was not stored", result.story.id)
            return 0
        log.info("story %s: comparison stored (%d rows)", result.story.id, n)
        return n

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            return self._jobs.get(job_id)

    def close(self, timeout: float | None = None) -> bool:
        """Stop taking work and finish what is queued (jobs, comparison saves), waiting at most ``timeout``
        seconds (None: ``WriteOptions.shutdown_seconds``). Then what has not started is cancelled, each
        logged (a job not run, a comparison not stored), and one still running is left to finish (a batch
        is not cut midway). True when the writer is idle: the store may be closed."""
        limit = self._options.shutdown_seconds if timeout is None else timeout
        with self._lock:
            self._closing = True
            pending = dict(self._pending)
        if pending:
            log.info("stopping: finishing %d queued writes (at most %.0f s)", len(pending), limit)
        _done, late = wait(list(pending), timeout=max(0.0, limit))
        running = []
        for future in late:
            what, lost = pending[future]
            if future.cancel():
                log.warning("stopping after %.0f s: %s %s", limit, what, lost)
            else:
                running.append(what)
        for job in self._jobs_cancelled():
            job.state, job.error = "failed", "the server stopped before the job ran"
        self._pool.shutdown(wait=False, cancel_futures=True)
        for what in running:
            log.warning("stopping after %.0f s: %s still running, left to finish", limit, what)
        return not running

    def _jobs_cancelled(self) -> list[Job]:
        with self._lock:
            return [j for j in self._jobs.values() if j.future is not None and j.future.cancelled()]

    def _run(
        self, job: Job, blobs: list[tuple[str, bytes]], refused: list[Rejected], ingest: IngestOptions
    ) -> None:
        from newsweave.ingest import read_blobs
        from newsweave.pipeline import AddOptions, add_items
        from newsweave.views.prepare import PrepareOptions

        job.state = "running"
        cur = self._store.cursor()
        titles: dict[str, Article] = {}

        def progress(stage: str, done: int, total: int | None) -> None:
            job.stage, job.done, job.total = stage, done, total

        def seen(item: Article | Rejected) -> None:
            if isinstance(item, Article):
                titles.setdefault(item.id, item)

        try:
            if refused:
                cur.add_rejected(refused)
            options = AddOptions(  # no fork in a threaded server
                ingest=ingest,
                analyse_processes=1,
                prepare=job.prepare,
                prepare_options=PrepareOptions(compare=self._compare) if self._compare else None,
            )
            if self._options.batch_size:
                options = dataclasses.replace(options, batch_size=self._options.batch_size)
            summary = add_items(cur, read_blobs(blobs, options.ingest), options, seen, progress)
            job.added = [_article(titles[i], summary.stories.get(i)) for i in summary.added]
            job.duplicates = [_article(titles[i], None) for i in summary.duplicates]
            job.rejected += [_rejected(r) for r in summary.rejected]
            job.warnings = list(summary.warnings)
            job.prepared = list(summary.prepared)
            job.state = "done"
            log.info("job %s: %d added, %d duplicates, %d rejected, %d stories prepared", job.id,
                     len(job.added), len(job.duplicates), len(job.rejected), len(job.prepared))  # fmt: skip
        except Exception as e:  # the job fails with its reason; the server goes on
            log.exception("job %s failed", job.id)
            job.error = f"{type(e).__name__}: {e}"
            job.state = "failed"
        finally:
            job.finished = time.time()
            cur.close()


def _article(a: Article, story: str | None) -> dict[str, Any]:
    return {"id": a.id, "title": a.title, "source": a.source, "from": a.origin.path, "story_id": story}


def _rejected(r: Rejected) -> dict[str, str]:
    return {"input": r.path, "position": r.position, "reason": r.reason}
