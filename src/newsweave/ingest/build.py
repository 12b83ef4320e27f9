"""From extracted fields to an :class:`Article`: normalisation, paragraphs, outlet, date, language.

Every reader ends here, so the rules are the same for every format:
- text is NFC-normalised, quote characters kept as written, trailing whitespace removed;
- id is :func:`newsweave.model.article_id_for` of that text (same text from two files: one article);
- outlet: ``--source`` > metadata (site name, ``Source:``) > URL domain without ``www.`` > file name stem;
- ``published_at`` is UTC (a date without a zone is taken as UTC), the string as written is kept.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import PurePath
from urllib.parse import urlsplit

from dateutil import parser as dateparser

from newsweave.ingest.lang import detect_language
from newsweave.model import Article, Origin, Rejected, article_id_for
from newsweave.text import paragraph_spans as paragraph_spans  # re-exported: ingest's public API

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


def clean_line(value: object) -> str | None:
    """A one-line metadata value: NFC, whitespace collapsed, None if empty."""
    if value is None:
        return None
    if isinstance(value, list | tuple):
        value = ", ".join(str(v) for v in value if v not in (None, ""))
    s = _WS.sub(" ", unicodedata.normalize("NFC", str(value))).strip()
    return s or None


def normalise_text(text: str) -> str:
    """NFC, newlines unified, trailing whitespace removed; quotes and inner spacing kept as written."""
    t = unicodedata.normalize("NFC", text)
    if "\r" in t:
        t = t.replace("\r\n", "\n").replace("\r", "\n")
    return t.rstrip()


def domain_of(url: str | None) -> str | None:
    """``https://www.bbc.co.uk/news/x`` -> ``bbc.co.uk``; None when there is no host."""
    if not url:
        return None
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname
    except ValueError:
        return None
    if not host or "." not in host:
        return None
    return host[4:] if host.startswith("www.") else host


def parse_date(raw: str | None) -> datetime | None:
    """A UTC-aware datetime from a date string or epoch seconds; None when it does not parse."""
    if not raw:
        return None
    s = raw.strip()
    try:
        if re.fullmatch(r"\d{9,10}(\.\d+)?", s):
            return datetime.fromtimestamp(float(s), tz=UTC)
        if re.fullmatch(r"\d{12,13}", s):
            return datetime.fromtimestamp(int(s) / 1000, tz=UTC)
        try:
            dt = datetime.fromisoformat(s.replace("Z", "+00:00"))  # the common case, 50x faster than dateutil
        except ValueError:
            dt = dateparser.parse(s)
    except (ValueError, OverflowError, TypeError) as e:
        log.debug("date %r does not parse: %s", s, e)
        return None
    if dt is None:
        return None
    if dt.tzinfo is None:
        return dt.replace(tzinfo=UTC)
    return dt.astimezone(UTC)


def build_article(
    fields: Fields, path: str, position: str, fmt: str, forced_source: str | None = None
) -> Article | Rejected:
    """The Article for ``fields``, or a Rejected when there is no text."""
    text = normalise_text(fields.text or "")
    if not text.strip():
        return Rejected(path, position, "no article text found", fmt)
    url = clean_line(fields.url)
    stem = PurePath(path).name.split(".")[0] if path and not path.startswith("<") else None
    source = clean_line(forced_source) or clean_line(fields.source) or domain_of(url) or stem or None
    raw_date = clean_line(fields.published)
    return Article(
        id=article_id_for(text),
        text=text,
        source=source,
        url=url,
        title=clean_line(fields.title),
        subtitle=clean_line(fields.subtitle),
        summary=clean_line(fields.summary),
        byline=clean_line(fields.byline),
        published_at=parse_date(raw_date),
        published_raw=raw_date,
        language=clean_line(fields.language) or detect_language(text),
        paragraphs=paragraph_spans(text),
        origin=Origin(path=path, position=position, format=fmt),
    )
