"""HTML pages and HTML fragments to text.

Pages go through trafilatura (main text plus title, author, date, site name, description); when it finds
no date, htmldate looks (original publication date first). Fragments (a feed entry's ``content:encoded``,
a JSON record's body holding markup) are flattened by lxml, block elements becoming line breaks, since
trafilatura's boilerplate scoring is meant for whole pages and drops short fragments.

Extraction settings, measured with ``newsweave eval extract`` (see benchmarks/ and tests/test_eval_extract.py):
comments and tables are left out (a news comparison wants the report, not the readers' thread or a
sports table); trafilatura's default balance between precision and recall is kept, as favor_precision
lost more recall than it gained precision on l3s-gn1 and favor_recall the reverse on trafilatura-eval-en.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import htmldate
import lxml.html
import trafilatura
from lxml import etree

from newsweave.ingest.build import Fields

log = logging.getLogger(__name__)

EXTRACT_SETTINGS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": False,
    "favor_precision": False,
    "favor_recall": False,
}
_INLINE_WS = re.compile(r"[^\S\n]+")
_MARKUP = re.compile(
    r"<(?:p|div|br|span|a|b|i|em|strong|h[1-6]|ul|ol|li|html|body|article|section|img)\b[^>]*>", re.I
)
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote section article header footer tr table pre figure "
    "figcaption dd dt".split()
)


def tidy_lines(text: str) -> str:
    """Spaces collapsed inside each line (no-break spaces included), empty lines dropped."""
    lines = (_INLINE_WS.sub(" ", line).strip() for line in text.split("\n"))
    return "\n".join(line for line in lines if line)


def looks_like_html(text: str) -> bool:
    """True when a text field holds HTML markup rather than plain text."""
    return bool(_MARKUP.search(text[:20000]))


def is_full_page(text: str) -> bool:
    head = text[:2000].lstrip().lower()
    return head.startswith(("<!doctype html", "<html")) or "<body" in text[:20000].lower()


def extract_page(data: bytes | str, url: str | None = None) -> Fields | None:
    """Text and metadata of an HTML page; None when no main text can be found."""
    try:
        doc = trafilatura.bare_extraction(data, url=url, with_metadata=True, **EXTRACT_SETTINGS)
    except Exception as e:  # trafilatura raises assorted lxml/parser errors on hostile markup
        log.info("trafilatura failed: %s", e)
        doc = None
    if doc is None or isinstance(doc, dict):
        return None
    text = tidy_lines(doc.text or "")
    if not text:
        return None
    date = doc.date or _htmldate(data, url)
    return Fields(
        text=text,
        title=doc.title,
        subtitle=doc.description,
        byline=doc.author,
        url=doc.url or url,
        source=doc.sitename,
        published=date,
    )


def _htmldate(data: bytes | str, url: str | None) -> str | None:
    try:
        return htmldate.find_date(data, url=url, original_date=True, extensive_search=False)
    except Exception as e:  # htmldate raises on unparsable trees
        log.debug("htmldate failed: %s", e)
        return None


def fragment_to_text(markup: str) -> str:
    """Plain text of an HTML fragment, block elements on their own lines, scripts and styles dropped."""
    try:
        root = lxml.html.fragment_fromstring(markup, create_parent="div")
    except (etree.ParserError, ValueError):
        return tidy_lines(re.sub(r"<[^>]+>", " ", markup))
    for bad in root.xpath("//script|//style|//noscript"):
        bad.drop_tree()
    parts: list[str] = []
    _flatten(root, parts)
    return tidy_lines("".join(parts))


def _flatten(el: Any, parts: list[str]) -> None:
    tag = el.tag if isinstance(el.tag, str) else ""
    block = tag.lower() in _BLOCK_TAGS
    if block:
        parts.append("\n")
    if el.text and tag:
        parts.append(el.text.replace("\n", " "))
    for child in el:
        _flatten(child, parts)
    if block:
        parts.append("\n")
    if el.tail:
        parts.append(el.tail.replace("\n", " "))


def text_from_markup(value: str, url: str | None = None) -> str:
    """Text of a field holding HTML: a full page through trafilatura, a fragment flattened."""
    if is_full_page(value):
        page = extract_page(value, url)
        if page is not None:
            return page.text
    return fragment_to_text(value)
