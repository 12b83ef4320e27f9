"""Token-shingle metrics, as in the ScrapingHub article-extraction-benchmark's evaluate.py.

Tokens are ``\\w+`` matches with case kept; shingles are runs of 4 tokens counted as a multiset (a text
shorter than 4 tokens is one shingle of all its tokens; an empty text has none). Per page:
``tp = sum(min(gold, pred))``, ``fp = sum(pred - gold)``, ``fn = sum(gold - pred)`` over shingles;
precision is 1 when fp == fn == 0, 0 when tp == fp == 0, else tp / (tp + fp) (recall alike). The corpus
precision is the mean over pages with tp + fp > 0, recall the mean over pages with tp + fn > 0, and
F1 the harmonic mean of those two means.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsweave.errors import UsageError

TOKEN = re.compile(r"\w+")
SHINGLE_N = 4


def tokens(text: str | None) -> list[str]:
    return TOKEN.findall(text or "")


def shingles(text: str | None, n: int = SHINGLE_N) -> Counter[tuple[str, ...]]:
    toks = tokens(text)
    return Counter(tuple(toks[i : i + n]) for i in range(max(1, len(toks) - n + 1)) if toks[i : i + n])


def shingles_of_parts(parts: Iterable[str], n: int = SHINGLE_N) -> Counter[tuple[str, ...]]:
    """Shingles of several separate texts (no shingle spans two parts)."""
    total: Counter[tuple[str, ...]] = Counter()
    for p in parts:
        total.update(shingles(p, n))
    return total


@dataclass(frozen=True)
class PageCounts:
    tp: int
    fp: int
    fn: int

    @property
    def precision(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fp == 0:
            return 0.0
        return self.tp / (self.tp + self.fp)

    @property
    def recall(self) -> float:
        if self.fp == self.fn == 0:
            return 1.0
        if self.tp == self.fn == 0:
            return 0.0
        return self.tp / (self.tp + self.fn)


def match_counts(gold: Counter[tuple[str, ...]], pred: Counter[tuple[str, ...]]) -> PageCounts:
    tp = sum((gold & pred).values())
    return PageCounts(tp=tp, fp=sum(pred.values()) - tp, fn=sum(gold.values()) - tp)


def page_counts(gold: str | None, pred: str | None) -> PageCounts:
    return match_counts(shingles(gold), shingles(pred))


def corpus_scores(pages: Sequence[PageCounts]) -> dict[str, float]:
    """precision, recall (means over the pages where each is defined) and F1 (their harmonic mean)."""
    ps = [p.precision for p in pages if p.tp + p.fp > 0]
    rs = [p.recall for p in pages if p.tp + p.fn > 0]
    precision = sum(ps) / len(ps) if ps else 0.0
    recall = sum(rs) / len(rs) if rs else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1}


def squash_ws(text: str) -> str:
    return " ".join(text.split())


def jsonl_records(data: Path, name: str, limit: int | None = None) -> Iterator[dict[str, Any]]:
    """The records of ``data/name`` (or of ``data`` when it is the file itself), blank lines skipped: how
    every ``eval`` command reads its ../shared/data set. A missing file is a usage error naming it."""
    path = data / name if data.is_dir() else data
    if not path.is_file():
        raise UsageError(f"no {name} at {path}")
    n = 0
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            if not line.strip():
                continue
            yield json.loads(line)
            n += 1
            if limit and n >= limit:
                return
