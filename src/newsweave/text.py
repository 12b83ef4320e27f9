"""Small rule-based text tools every stage shares: stop words, word tokens, folding, sentences, paragraphs.

Dependency-free and deterministic; the analysis stage's spaCy sentences are better where they exist (compare
uses them when given), these rules are the fallback and the fast path for dedup and clustering.

- :data:`STOP_WORDS`: English function words plus news boilerplate ("said", "told", "according", "mr").
  A stage may extend it locally with a few words of its own (documented where it does).
- :func:`fold`, :func:`words`, :func:`word_spans`, :func:`content_words`: NFKC, curly quotes and dashes
  folded, lower case; a word is a run of letters and digits, a possessive dropped ("Obama's" -> "obama"),
  another apostrophe inside it removed ("don't" -> "dont"). :func:`stem`: a crude suffix stripper.
- :func:`sentence_spans`: a line is always a boundary; inside a line a sentence ends after ``. ! ?`` (and any
  closing quotes or brackets, which stay in the sentence) followed by space and an upper-case letter, a
  digit or an opening quote/bracket, except after a known abbreviation or an initial (Mr., Dr., U.S., Joseph R. Biden).
- :func:`paragraph_spans`: every non-empty line, or blank-line separated blocks in hard-wrapped text.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

# English function words, contractions without their apostrophe, and news boilerplate: reporting verbs and
# titles ("said", "told", "mr"), which tell nothing about a story.
# Kept short on purpose: a long list (scikit-learn's) also drops news words such as "fire", "bill", "found".
STOP_WORDS = frozenset(
    """a an the and or but if then so than that this these those there their they them he she his her him
    it its we our us you your i me my mine of in on at to for from by with without into onto over under about
    as is are was were be been being has have had do does did not no nor can could may might will would shall
    should must also just only very more most much many some any all each every other such own same too
    what which who whom whose when where why how while after before during since until up down out off again
    further once here both few s t don now yes yeah per cent percent one two three
    dont doesnt didnt isnt wasnt arent werent wont wouldnt shouldnt havent hadnt im ive hes shes thats theres
    said says say told tell according mr mrs ms dr""".split()
)

_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
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


def fold(text: str) -> str:
    """NFKC, curly quotes and dashes folded to ASCII, lower case."""
    return unicodedata.normalize("NFKC", text).translate(_FOLD).lower()


def _clean(word: str) -> str:
    return (word[:-2] if word.endswith("'s") else word).replace("'", "")


def words(text: str, possessive: bool = False) -> list[str]:
    """Folded word tokens: letters and digits; a possessive dropped ("Obama's" -> "obama"), another
    apostrophe inside a word removed ("don't" -> "dont").

    ``possessive=True`` keeps the possessive joined to its word ("obamas"): the sentence aligner's weights
    were fitted on those tokens (mrpc-test lexical accuracy 0.7274 with them, 0.7262 without).
    """
    if possessive:
        return [w.replace("'", "") for w in _WORD.findall(fold(text))]
    return [_clean(w) for w in _WORD.findall(fold(text))]


def word_spans(text: str) -> list[tuple[int, int, str]]:
    """``(start, end, folded word)`` for each word of ``text`` (offsets into ``text`` as given)."""
    return [(m.start(), m.end(), _clean(fold(m.group(0)))) for m in _WORD.finditer(text)]


def content_words(text: str, stop_words: frozenset[str] = STOP_WORDS) -> list[str]:
    """:func:`words` without stop words and one-letter tokens."""
    return [w for w in words(text) if len(w) > 1 and w not in stop_words]


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """A crude suffix stripper, enough to match injured/injuries, killed/kills, students/student, talks/talk."""
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


_LINE = re.compile(r"[^\n]+")
# group 1: the closing quotes/brackets that still belong to the sentence before the break
_BREAK = re.compile(
    r"(?<=[.!?])([\"'\u201d\u2019)\]]*)\s+(?=[\"'\u201c\u2018(\[]?[A-Z0-9])",
)
ABBREVIATIONS = (
    "Mr Mrs Ms Dr St Lt Col Gen Sgt Capt Prof Jr Sr No Gov Sen Rep Inc Co v vs etc".split()
)  # plus initials: "Joseph R. Biden", "U.S.", "U.K."
_ABBREV = re.compile(r"(?:\b(?:" + "|".join(ABBREVIATIONS) + r")|\b[A-Z]|\.[A-Z])\.$")


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """``(start, end)`` of each sentence of ``text[start:end]``, stripped of surrounding whitespace.

    Lines are hard boundaries; inside a line the rules of the module docstring apply. The spans are in
    order, do not overlap, and together hold every non-space character of the range.
    """
    end = len(text) if end is None else end
    out: list[tuple[int, int]] = []
    for line in _LINE.finditer(text, start, end):
        pos = line.start()
        for m in _BREAK.finditer(text, line.start(), line.end()):
            if _ABBREV.search(text, max(pos, m.start() - 6), m.start()):
                continue
            _add_trimmed(text, pos, m.end(1), out)
            pos = m.end()
        _add_trimmed(text, pos, line.end(), out)
    return out


def _add_trimmed(text: str, a: int, b: int, out: list[tuple[int, int]]) -> None:
    while a < b and text[a].isspace():
        a += 1
    while b > a and text[b - 1].isspace():
        b -= 1
    if b > a:
        out.append((a, b))


_BLANK_LINE = re.compile(r"\n[ \t\r\f\v]*\n")
_NEWLINE = re.compile(r"\n")
# hard-wrapped text is wrapped at 72-80 columns; news paragraphs on one line are longer
MAX_WRAPPED_LINE = 100


def paragraph_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Character spans of the paragraphs of ``text``, stripped of surrounding whitespace.

    Every non-empty line is a paragraph (extracted HTML, the seeds, most exports), except in hard-wrapped
    text, where blank-line separated blocks are: several blocks, most of them of several lines, and lines
    no longer than :data:`MAX_WRAPPED_LINE` characters.
    """
    lines = _spans(text, _NEWLINE)
    blocks = _spans(text, _BLANK_LINE)
    if len(blocks) >= 2 and sum(1 for s, e in blocks if "\n" in text[s:e]) * 2 > len(blocks):
        lengths = sorted(e - s for s, e in lines)
        if lengths[len(lengths) // 2] <= MAX_WRAPPED_LINE and lengths[-1] <= 2 * MAX_WRAPPED_LINE:
            return tuple(blocks)
    return tuple(lines)


def _spans(text: str, sep: re.Pattern[str]) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for m in [*sep.finditer(text), None]:
        _add_trimmed(text, pos, m.start() if m else len(text), out)
        if m:
            pos = m.end()
    return out


# control characters other than tab and line feed: in a file name, a feed's title or an article's text they
# would reach the terminal as escape sequences (set its title, clear the screen, hide a line)
_CONTROLS = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def terminal_safe(text: str) -> str:
    """``text`` with each control character but tab and line feed as U+FFFD (one for one: offsets hold)."""
    return _CONTROLS.sub("\ufffd", text)
