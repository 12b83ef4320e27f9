"""Small text helpers shared by the comparison: tokens, stems, stop words, sentence and paragraph spans.

These are deliberately simple and dependency-free; the analysis stage's sentences are used when given.
"""

from __future__ import annotations

import math
import re
import unicodedata
from collections import Counter
from collections.abc import Iterable

STOPWORDS = frozenset(
    """a an the and or but if then so than that this these those there their they them he she his her him
    it its we our us you your i me my mine of in on at to for from by with without into onto over under about
    as is are was were be been being has have had do does did not no nor can could may might will would shall
    should must also just only very more most much many some any all each every other such own same too
    what which who whom whose when where why how while after before during since until up down out off again
    further once here both few s t don now said says say told tell according mr mrs ms dr one two three
    yes yeah per cent percent""".split()
)

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*", re.UNICODE)
_SENT_END = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9])|\n+")
_ABBREV = re.compile(
    r"\b(?:Mr|Mrs|Ms|Dr|St|Lt|Col|Gen|Sgt|Capt|Prof|Jr|Sr|No|Gov|Sen|Rep|U\.S|U\.K|v|vs|Inc|Co)\.$"
)


def fold(text: str) -> str:
    """NFKC, curly quotes folded, lower case."""
    t = unicodedata.normalize("NFKC", text)
    t = t.translate(_FOLD)
    return t.lower()


_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u2013": "-",
        "\u2014": "-",
        "\u2026": "...",
    }
)


def words(text: str) -> list[str]:
    """Lower-case word tokens (letters and digits, apostrophes kept inside words)."""
    return [w.replace("'", "") for w in _WORD.findall(fold(text))]


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, folded word) for each word of ``text``."""
    return [(m.start(), m.end(), fold(m.group(0)).replace("'", "")) for m in _WORD.finditer(text)]


def stem(word: str) -> str:
    """A crude suffix stripper, enough to match injured/injuries, killed/kills, students/student."""
    w = word.lower()
    if len(w) <= 3 or w.isdigit():
        return w
    for suf in ("ations", "ation", "ments", "ment", "ings", "ing", "ies", "ied", "ed", "es", "ly", "s"):
        if w.endswith(suf) and len(w) - len(suf) >= 3:
            w = w[: -len(suf)]
            break
    if w.endswith("y"):
        w = w[:-1] + "i"
    return w


def content_stems(text: str) -> list[str]:
    return [stem(w) for w in words(text) if w not in STOPWORDS and not w.isdigit()]


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Sentence boundaries in ``text[start:end]`` (regex fallback when the analysis gives none)."""
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    pos = start
    chunk = text[start:end]
    for m in _SENT_END.finditer(chunk):
        cut = start + m.start()
        if _ABBREV.search(text[max(pos, cut - 6) : cut]):
            continue
        _add_trimmed(text, pos, cut, out)
        pos = start + m.end()
    _add_trimmed(text, pos, end, out)
    return out


def _add_trimmed(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b))


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for m in re.finditer(r"\n", text):
        _add_trimmed(text, pos, m.start(), out)
        pos = m.end()
    _add_trimmed(text, pos, len(text), out)
    return out


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
