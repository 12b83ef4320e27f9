"""Comparison-only text helpers: content stems, IDF and cosine over a story's sentences.

Stop words, word tokens, folding, stems, sentence and paragraph spans are the shared ones of
:mod:`newsweave.text`.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable

from newsweave.text import STOP_WORDS, stem, words


def content_stems(text: str) -> list[str]:
    """Stems of the content words, numbers left out."""
    return [stem(w) for w in words(text) if w not in STOP_WORDS and not w.isdigit()]


class Idf:
    """Inverse document frequency over a small collection (a story's sentences)."""

    def __init__(self, docs: Iterable[Iterable[str]]) -> None:
        df: Counter[str] = Counter()
        n = 0
        for d in docs:
            n += 1
            df.update(set(d))
        self.n = max(n, 1)
        self.df = df

    def __call__(self, token: str) -> float:
        return math.log((self.n + 1) / (self.df.get(token, 0) + 1)) + 1.0


def cosine(a: dict[str, float], b: dict[str, float]) -> float:
    if not a or not b:
        return 0.0
    if len(a) > len(b):
        a, b = b, a
    dot = sum(v * b.get(k, 0.0) for k, v in a.items())
    na = math.sqrt(sum(v * v for v in a.values()))
    nb = math.sqrt(sum(v * v for v in b.values()))
    return dot / (na * nb) if na and nb else 0.0
