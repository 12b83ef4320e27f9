"""The per-partition work of the Spark job: analysis, dedup keys and clustering terms of each article.

:func:`analyse_partition` runs inside ``mapPartitions``: the spaCy model is loaded once per Python worker
(``newsweave.analyse.nlp`` caches it per process, and Spark reuses its workers), then the partition's
articles go through the analysis stage in chunks, the dedup stage's MinHash signatures and LSH band keys
(:func:`newsweave.dedup.lsh_signatures`, :func:`newsweave.dedup.shingles.band_keys`) and the clustering
stage's features (:func:`newsweave.cluster.features.raw_features`). Nothing is computed here that the
local engine computes differently: each value comes from the stage's own function.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np

from newsweave.analyse import AnalyseOptions, analyse_articles
from newsweave.cluster.features import analysis_entity_keys, raw_features
from newsweave.dedup import DedupOptions, exact_key, lsh_signatures
from newsweave.dedup.shingles import band_keys
from newsweave.model import Analysis, Article
from newsweave.spark.rows import analysis_rows, row_article

log = logging.getLogger(__name__)
CHUNK = 256  # articles analysed together inside a partition (bounded memory per task)
# the clustering channels' term prefixes in the ``terms`` column (document frequencies are counted on them)
CHANNEL_PREFIX = {"body": "b:", "head": "h:", "ent": "e:"}


def _signed(values: np.ndarray) -> list[int]:
    """uint64 values as the signed 64-bit integers Spark's bigint holds (same bits)."""
    return values.astype(np.uint64).view(np.int64).tolist()


def channel_terms(article: Article, entity_keys: list[str]) -> list[str]:
    """The distinct terms of each clustering channel, prefixed by channel (for document frequencies)."""
    raw = raw_features(article, entity_keys)
    out: list[str] = []
    for name, counts in (("body", raw.body), ("head", raw.head), ("ent", raw.entities)):
        out.extend(CHANNEL_PREFIX[name] + t for t in counts)
    return out


def analysed_rows(
    articles: list[Article], analyses: list[Analysis] | None, dedup: DedupOptions
) -> Iterator[tuple[Any, ...]]:
    """``analyses`` None: no analysis (empty tables), entities are the cheap capitalised keys, as for an
    article stored by ``add --no-analyse``."""
    sig = lsh_signatures([a.text for a in articles], dedup)
    bands = band_keys(sig, dedup.bands)
    for k, a in enumerate(articles):
        if analyses is None:
            tables = analysis_rows(Analysis(a.id))
            keys = list(raw_features(a).entities.elements())
        else:
            tables = analysis_rows(analyses[k])
            keys = analysis_entity_keys(analyses[k])
        yield (
            a.id,
            keys,
            tables["sentences"],
            tables["mentions"],
            tables["entities"],
            tables["quotes"],
            tables["numbers"],
            tables["marked"],
            tables["truncated"],
            exact_key(a.text),
            _signed(sig[k]),
            _signed(bands[k]),
            channel_terms(a, keys),
        )


def analyse_partition(
    rows: Iterable[Any], analyse: AnalyseOptions | None, dedup: DedupOptions
) -> Iterator[tuple[Any, ...]]:
    """Rows of the ``ANALYSED`` schema for the article rows of one partition (``analyse`` None: no
    analysis, see :func:`analysed_rows`)."""
    chunk: list[Article] = []
    for r in rows:
        chunk.append(row_article(r.asDict() if hasattr(r, "asDict") else r))
        if len(chunk) >= CHUNK:
            yield from analysed_rows(chunk, analyse_articles(chunk, analyse) if analyse else None, dedup)
            chunk = []
    if chunk:
        yield from analysed_rows(chunk, analyse_articles(chunk, analyse) if analyse else None, dedup)
