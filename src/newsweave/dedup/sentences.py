"""Sentence spans and content words: the small text tools rewrite detection and clustering share."""

from __future__ import annotations

import re

from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

STOP_WORDS = frozenset(ENGLISH_STOP_WORDS) | frozenset(
    {"said", "says", "say", "told", "just", "like", "year", "years", "new", "mr", "mrs", "ms", "s", "t"}
)
_LINE = re.compile(r"[^\n]+")
# a sentence ends at . ! ? (plus closing quotes/brackets) followed by space and an upper-case start
_BREAK = re.compile(r"(?<=[.!?])[\"'\u201d\u2019)\]]*\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])")
_ABBREV = re.compile(r"\b(?:Mr|Mrs|Ms|Dr|St|Gen|Sen|Rep|Gov|Lt|Col|Prof|Jr|Sr|Inc|Co|No|U\.S|U\.K|vs)\.$")
_WORD = re.compile(r"[^\W_]+")


def sentence_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence: lines, split after sentence punctuation (not after Mr., Dr.)."""
    out: list[tuple[int, int]] = []
    for line in _LINE.finditer(text):
        start = line.start()
        for m in _BREAK.finditer(line.group()):
            end = line.start() + m.start()
            if _ABBREV.search(text[start:end]):
                continue
            out.append((start, end))
            start = line.start() + m.end()
        end = line.end()
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append((start, end))
    return out


_QUOTED = re.compile(
    r"\"[^\"\n]{0,600}\"|\u201c[^\u201d\n]{0,600}\u201d|^[^\"\u201c\u201d\n]{0,600}[\"\u201d]|[\"\u201c][^\"\u201c\u201d\n]{0,600}$"
)


def without_quotes(text: str) -> str:
    """The text with quoted passages blanked (also a quote's open or close half cut off by a sentence
    boundary): two outlets quoting one speaker is not one copying the other."""
    return _QUOTED.sub(" ", text)


def content_words(text: str) -> list[str]:
    """Lower-cased words without stop words and one-letter tokens."""
    return [w for w in _WORD.findall(text.lower()) if len(w) > 1 and w not in STOP_WORDS]
