"""Which reader a file needs: strong content signatures first, then the extension, then weak content.

Strong signatures beat a misleading extension: ``WARC/1.`` at the start, an RSS/Atom/RDF root element,
an HTML doctype or ``<html>``. JSON versus JSONL is decided by content when the name says either (or
nothing). Otherwise the extension decides; a file with no known extension that decodes as text is text.
"""

from __future__ import annotations

import json
import re

from newsweave.ingest.decode import bom_encoding

EXTENSIONS = {
    ".txt": "text",
    ".text": "text",
    ".md": "text",
    ".markdown": "text",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
    ".shtml": "html",
    ".json": "json",
    ".jsonl": "jsonl",
    ".ndjson": "jsonl",
    ".jsonlines": "jsonl",
    ".csv": "csv",
    ".tsv": "csv",
    ".rss": "rss",
    ".atom": "rss",
    ".xml": "rss",
    ".warc": "warc",
    ".arc": "warc",
}
STREAMED = frozenset({"jsonl", "csv", "warc"})
_FEED_ROOT = re.compile(r"<(rss|feed|rdf:rdf)\b", re.I)
_HTML_ROOT = re.compile(r"<!doctype\s+html|<html\b", re.I)


def strip_gz(name: str) -> tuple[str, bool]:
    lower = name.lower()
    for ext in (".gz", ".gzip"):
        if lower.endswith(ext):
            return name[: -len(ext)], True
    return name, False


def format_from_name(name: str) -> str | None:
    base, _ = strip_gz(name)
    dot = base.rfind(".")
    return EXTENSIONS.get(base[dot:].lower()) if dot > base.rfind("/") else None


def _head_text(head: bytes) -> str:
    enc = bom_encoding(head) or "utf-8"
    return head.decode(enc, errors="replace").lstrip("\ufeff \t\r\n")


def format_from_content(head: bytes) -> str | None:
    """A strong content signature of the first bytes, or None."""
    if head.startswith(b"WARC/"):
        return "warc"
    s = _head_text(head[:8192])
    if s.startswith("<"):
        lower = s[:4000]
        feed = _FEED_ROOT.search(lower)
        html = _HTML_ROOT.search(lower)
        if feed and (not html or feed.start() < html.start()):
            return "rss"
        if html or re.match(r"<(head|body|div|p|article|meta|title)\b", s, re.I):
            return "html"
    return None


def json_kind(head: bytes) -> str | None:
    """'json' or 'jsonl' when the head looks like JSON, else None."""
    s = _head_text(head)
    if s.startswith("["):
        return "json"
    if not s.startswith("{"):
        return None
    first, newline, rest = s.partition("\n")
    try:
        json.loads(first)
    except json.JSONDecodeError:
        if not newline:  # the first line goes on past the head (a long record): the name decides
            return None
        return "json"  # an object spread over several lines
    except RecursionError:
        pass  # a first line nested too deeply to parse: its reader rejects it, the rest decides
    if not rest.strip():
        return None  # one object on one line: JSON and JSONL alike, the name decides
    return "jsonl" if rest.lstrip().startswith("{") else "json"


def sniff_format(name: str, head: bytes) -> str | None:
    """The reader for a file called ``name`` (``.gz`` already seen to) starting with ``head``."""
    by_content = format_from_content(head)
    if by_content:
        return by_content
    by_name = format_from_name(name)
    if by_name in (None, "json", "jsonl"):
        kind = json_kind(head)
        if kind:
            return kind
        if by_name is None and _head_text(head).startswith("{"):
            return "json"
    if by_name:
        return by_name
    return "text"
