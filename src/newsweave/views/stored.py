"""Stored comparisons: the comparison of a stored story is kept in the store, and the next ``report`` of
the story prints it without comparing again (and without importing the comparison, its models or
scikit-learn).

A stored comparison is found by a key (:func:`comparison_key`) that changes with anything its result
depends on, so a stale one is never read:

- the story's articles (their ids are hashes of their text) and the times their analyses were stored (a
  re-analysed article changes it);
- the options of the comparison;
- the models: the embedding model's name and version (None when embeddings are off or missing) and the
  tagger's, and the versions of the libraries whose arithmetic the verdicts rest on;
- the outlet registry files the user added (``NEWSWEAVE_OUTLETS``), which decide independence;
- newsweave itself: a SHA-256 of every file of the installed package, so any change to the code or its
  data (a threshold, a lexicon) compares again.

What changes after a comparison without changing its verdicts, the articles' later fetched versions
(``changes``), is read afresh at each report, not stored.
"""

from __future__ import annotations

import functools
import hashlib
import json
import logging
import os
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import TYPE_CHECKING, Any

from newsweave.model import Story
from newsweave.store import Store

if TYPE_CHECKING:
    from newsweave.compare.result import Comparison
    from newsweave.views.comparison import StoryCompareOptions

log = logging.getLogger(__name__)

# libraries whose results the verdicts rest on (tf-idf, sparse products, the embedding and tagging runs,
# the public suffix list, the loaded-word lexicon)
LIBRARIES = (
    "numpy", "scipy", "scikit-learn", "torch", "sentence-transformers", "transformers", "spacy", "tldextract",
    "vaderSentiment",
)  # fmt: skip
PACKAGE_DIR = Path(__file__).resolve().parents[1]


@functools.lru_cache(maxsize=1)
def code_fingerprint() -> str:
    """SHA-256 over the path and bytes of every file of the newsweave package (source and data; compiled
    caches left out): about 10 ms, once per process."""
    h = hashlib.sha256()
    for p in sorted(PACKAGE_DIR.rglob("*")):
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo"):
            h.update(str(p.relative_to(PACKAGE_DIR)).encode("utf-8") + b"\0")
            h.update(p.read_bytes())
    return h.hexdigest()


def _library_versions() -> list[str]:
    out = []
    for name in LIBRARIES:
        try:
            out.append(f"{name}=={version(name)}")
        except PackageNotFoundError:
            out.append(f"{name}: missing")
    return out


def _models(options: StoryCompareOptions, n_articles: int) -> list[str | None]:
    from newsweave import embed

    emb = embed.model_id() if options.compare.embeddings is not False and n_articles > 1 else None
    try:
        from newsweave.compare.tagging import tagger_id

        tagger: str | None = tagger_id()
    except Exception:  # no spaCy model: framing fails the same way each time
        tagger = None
    return [emb, tagger]


def _outlet_files() -> list[str]:
    from newsweave.outlets import user_registry_files

    out = []
    for p in user_registry_files():
        try:
            out.append(f"{p}:{hashlib.sha256(p.read_bytes()).hexdigest()}")
        except OSError as e:
            out.append(f"{p}: {e.strerror}")
    return out


def comparison_key(store: Store, story: Story, options: StoryCompareOptions) -> str:
    """The key of the comparison of ``story`` with ``options`` as the code and models stand now."""
    parts: dict[str, Any] = {
        "articles": list(story.article_ids),
        "analyses": [str(x) for x in store.analysis_version(story.article_ids)] if options.analyse else None,
        "options": repr(options),
        "models": _models(options, len(story.article_ids)),
        "libraries": _library_versions(),
        "outlets": [os.environ.get("NEWSWEAVE_OUTLETS"), *_outlet_files()],
        "code": code_fingerprint(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode("utf-8")).hexdigest()


def load_comparison(store: Store, key: str) -> Comparison | None:
    """The stored comparison under ``key``, or None (none stored, or unreadable: compared again)."""
    try:
        text = store.stored_comparison(key)
        if text is None:
            return None
        from newsweave.report.json_report import from_dict

        return from_dict(json.loads(text))
    except Exception as e:  # a store without the table, a JSON of another schema: compare again
        log.info("stored comparison unreadable (%s): comparing again", e)
        return None
