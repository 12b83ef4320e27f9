"""From extracted fields to an :class:`Article`: normalisation, paragraphs, outlet, date, language.

Every reader ends here, so the rules are the same for every format:
- text is NFC-normalised, quote characters kept as written, trailing whitespace removed;
- id is :func:`newsweave.model.article_id_for` of that text (same text from two files: one article);
- outlet: ``--source`` > the outlet registry > metadata (site name, ``Source:``) cleaned > URL domain
  without ``www.`` > file name stem (:mod:`newsweave.ingest.outletname`);
- ``published_at`` keeps the zone written, or stays naive when none is (:func:`parse_date`); the string
  as written is kept in ``published_raw``.
"""

from __future__ import annotations

import functools
import logging
import re
import unicodedata
from dataclasses import dataclass, replace
from pathlib import PurePath
from typing import Any

from newsweave.ingest.bylines import clean_authors
from newsweave.ingest.lang import detect_language
from newsweave.ingest.outletname import outlet_for
from newsweave.model import Article, Origin, Rejected, article_id_for
from newsweave.text import paragraph_spans as paragraph_spans  # re-exported: ingest's public API
from newsweave.timeparse import parse_date as parse_date  # re-exported: ingest's public API

log = logging.getLogger(__name__)

_WS = re.compile(r"\s+")


@dataclass(frozen=True)
class Fields:
    """What a reader found for one article, before normalisation."""

    text: str
    title: str | None = None
    subtitle: str | None = None
    summary: str | None = None
    byline: str | None = None
    url: str | None = None
    source: str | None = None
    published: str | None = None
    language: str | None = None
    updated: str | None = None  # last update as the input states it, never used as the publication time


def clean_line(value: object) -> str | None:
    """A one-line metadata value: NFC, whitespace collapsed, None if empty."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value if v not in (None, ""))
    s = _WS.sub(" ", unicodedata.normalize("NFC", storable(str(value)))).strip()
    return s or None


# a lone surrogate (a JSON "\ud800" escape, a file name decoded with surrogateescape) is no character: it
# cannot be written as UTF-8 (ids, the store), so it becomes U+FFFD, one character for one (offsets kept)
_SURROGATE = re.compile("[\ud800-\udfff]")


def no_surrogates(text: str) -> str:
    return _SURROGATE.sub("\ufffd", text) if _SURROGATE.search(text) else text


def storable(text: str) -> str:
    """``text`` as the store can keep it: lone surrogates as U+FFFD, NUL characters dropped (PostgreSQL's
    text cannot hold one; a stray NUL in a CSV cell or a JSON ``\\u0000`` escape, dropped as decoding drops
    stray NUL bytes in a whole file, ``newsweave.ingest.decode``)."""
    text = no_surrogates(text)
    return text.replace("\x00", "") if "\x00" in text else text


def normalise_text(text: str) -> str:
    """NFC, newlines unified, trailing whitespace removed, NUL characters dropped; quotes and inner spacing
    kept as written."""
    t = unicodedata.normalize("NFC", storable(text))
    if "\r" in t:
        t = t.replace("\r\n", "\n").replace("\r", "\n")
    return t.rstrip()


def domain_of(url: str | None) -> str | None:
    """``https://www.bbc.co.uk/news/x`` -> ``bbc.co.uk``; None when there is no host."""
    from newsweave.outlets import host_of

    host = host_of(url)
    if not host:
        return None
    return host[4:] if host.startswith("www.") else host


# Recorded in ``Origin.format`` when ftfy repaired an article's text or metadata ("html; mojibake repaired").
MOJIBAKE_NOTE = "; mojibake repaired"
# UTF-8 read as Latin-1 or cp1252 leaves a lead byte (Â-ô) before a continuation byte (U+0080-U+00BF, or
# what cp1252 maps 0x80-0x9F to); ftfy's own test (1.5 ms an article) runs only where this pair occurs.
_MOJIBAKE_HINT = re.compile(
    "[\u00c2-\u00f4][\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u02c6\u02dc"
    "\u2013\u2014\u2018-\u201e\u2020-\u2022\u2026\u2030\u2039\u203a\u20ac\u2122]"
)
_TEXT_FIELDS = ("text", "title", "subtitle", "summary", "byline", "source")


def repair_mojibake(fields: Fields, body: bool = True) -> tuple[Fields, bool]:
    """``fields`` with text decoded in the wrong encoding put right ("SyriaÃ¢â‚¬â„¢s" -> "Syria's") by
    ftfy's encoding fixer alone (quotes, entities, ligatures and widths stay as written); True when
    something changed. ftfy runs only on values its badness test flags, so clean text costs nothing.
    ``body=False`` leaves the text alone: a plain-text file's body is kept exactly as written, so offsets
    into the article are offsets into the file (its header fields are still repaired)."""
    import ftfy
    from ftfy.badness import is_bad

    changes: dict[str, str] = {}
    for name in _TEXT_FIELDS if body else _TEXT_FIELDS[1:]:
        value = getattr(fields, name)
        if value and _MOJIBAKE_HINT.search(value) and is_bad(value):
            fixed = ftfy.fix_text(value, _ftfy_config())
            if fixed != value:
                changes[name] = fixed
    return (replace(fields, **changes), True) if changes else (fields, False)


@functools.cache
def _ftfy_config() -> Any:
    from ftfy import TextFixerConfig

    return TextFixerConfig(
        unescape_html=False, remove_terminal_escapes=False, fix_latin_ligatures=False,
        fix_character_width=False, uncurl_quotes=False, fix_line_breaks=False, remove_control_chars=False,
        normalization=None, explain=False,
    )  # fmt: skip


def _byline(raw: str | None, source: str | None) -> str | None:
    """The byline as names joined by "; " (:func:`newsweave.ingest.bylines.clean_authors`: "Brazil, Rachel"
    is Rachel Brazil, duplicates fold, the outlet itself goes when people are named; ``source`` is the outlet
    the input names, by metadata or URL, never the file name)."""
    line = clean_line(raw)
    if not line:
        return None
    names = clean_authors([line], [source] if source else [])
    return "; ".join(names) if names else None


def build_article(
    fields: Fields, path: str, position: str, fmt: str, forced_source: str | None = None
) -> Article | Rejected:
    """The Article for ``fields``, or a Rejected when there is no text."""
    fields, repaired = repair_mojibake(fields, body=fmt != "text")
    text = normalise_text(fields.text or "")
    if not text.strip():
        return Rejected(path, position, "no article text found", fmt)
    url = clean_line(fields.url)
    stem = PurePath(path).name.split(".")[0] if path and not path.startswith("<") else None
    source = outlet_for(clean_line(forced_source), clean_line(fields.source), url, domain_of(url), stem)
    raw_date = clean_line(fields.published)
    return Article(
        id=article_id_for(text),
        text=text,
        source=source,
        url=url,
        title=clean_line(fields.title),
        subtitle=clean_line(fields.subtitle),
        summary=clean_line(fields.summary),
        byline=_byline(
            fields.byline, clean_line(forced_source) or clean_line(fields.source) or domain_of(url)
        ),
        published_at=parse_date(raw_date),
        published_raw=raw_date,
        updated_raw=clean_line(fields.updated),
        language=clean_line(fields.language) or detect_language(text),
        paragraphs=paragraph_spans(text),
        origin=Origin(path=path, position=position, format=f"{fmt}{MOJIBAKE_NOTE}" if repaired else fmt),
    )
