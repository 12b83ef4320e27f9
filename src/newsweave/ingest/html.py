"""HTML pages and HTML fragments to text.

Pages go through trafilatura (main text plus title, author, date, site name, description), with two
fallbacks when it finds nothing (see :func:`extract_page`); a leading line repeating the headline is
dropped. Headline, byline, dates and site name are then reconciled from every metadata layer of the page
by :mod:`newsweave.ingest.pagemeta`, trafilatura's own values (its date refined by the page's explicit
publication time) being the last resort there. A page counts as an article from MIN_PAGE_WORDS words, in
any script (:func:`word_count`).
Fragments (a feed entry's ``content:encoded``, a record's body holding markup) are flattened by lxml,
block elements becoming line breaks: trafilatura's boilerplate scoring is meant for whole pages.

Settings, measured with ``newsweave eval extract`` on l3s-gn1 (shingle P/R/F1, 250 pages) and
trafilatura-eval-en (snippet F1, 143 pages), before the fallbacks were added:
  default (kept)         l3s P 0.902 R 0.956 F1 0.928   trafilatura-eval-en snippet F1 0.927
  favor_precision        l3s P 0.921 R 0.819 F1 0.867   0.906
  favor_recall           l3s P 0.843 R 0.945 F1 0.891   0.924
  include_tables         l3s P 0.855 R 0.957 F1 0.903   0.934
Comments stay out (a comparison wants the report, not the readers' thread). With the fallbacks and the
headline line dropped: l3s P 0.907 R 0.983 F1 0.943; trafilatura-eval-en snippet F1 0.924.
"""

from __future__ import annotations

import logging
import re
from typing import Any

import htmldate
import justext
import lxml.html
import trafilatura
from lxml import etree

from newsweave.errors import InputError
from newsweave.ingest.build import Fields
from newsweave.ingest.decode import decode_bytes
from newsweave.ingest.pagemeta import PageMeta, reconcile

log = logging.getLogger(__name__)

DATE_FORMAT = "%Y-%m-%dT%H:%M:%S%z"
EXTRACT_SETTINGS: dict[str, Any] = {
    "include_comments": False,
    "include_tables": False,
    "favor_precision": False,
    "favor_recall": False,
    # keep the time of day and the zone when the page gives them (trafilatura's default keeps the day only)
    "date_extraction_params": {"outputformat": DATE_FORMAT, "original_date": True, "extensive_search": True},
}
# A "main text" shorter than this is a navigation scrap, not an article (a page of links gives "Home").
# (1 of the 250 l3s-gn1 pages has a gold body under 10 words; refusing it costs less than storing scraps.)
MIN_PAGE_WORDS = 10
# Most elements (start tags) of a page handed to the extractors. trafilatura's and jusText's time grows
# with the square of the element count (a page of 10,000 paragraphs: 1.5 s; 40,000: 17 s; 500,000, a
# 4 MB file: hours, with jusText slower still), so a hostile page could hold `add` or the server's
# writer for hours. The largest of the 500 real pages in ../shared/data (fundus-pages, l3s-gn1,
# trafilatura-eval-en) has 5,535; 25,000 leaves 4.5 times that, at about 6 s of extraction.
MAX_PAGE_ELEMENTS = 25_000
_START_TAG = re.compile(rb"<[A-Za-z]")
LEAD_LINES = 3  # lines at the top of the text where a byline paragraph may stand
# Scripts written without spaces between words (Han, kana, Thai, Lao, Khmer, Myanmar, Tibetan): there a
# word is counted per CHARS_PER_UNSPACED_WORD characters (Japanese and Chinese news words average about
# two characters), so a Japanese article is not "no article text found" for having no spaces.
_UNSPACED = re.compile(
    r"[\u0e00-\u0eff\u0f00-\u0fff\u1000-\u109f\u1780-\u17ff\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff"
    r"\uf900-\ufaff\uac00-\ud7af]"
)
CHARS_PER_UNSPACED_WORD = 2
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>")
_TITLE_OPEN = re.compile(r"<title\b[^>]*>", re.I)
_TITLE_CLOSE = re.compile(r"</title\s*>", re.I)
_COPYRIGHT = re.compile(r"^(?:copyright|\u00a9|\(c\)|\s|\d{4}(?:\s*-\s*\d{4})?)+", re.I)
_DATE_SCAN_CHARS = 300_000
_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_META_TAG = re.compile(r"<meta\b[^>]*>", re.I)
_META_KEY = re.compile(r"""\b(?:property|name|itemprop)\s*=\s*["']([^"']+)["']""", re.I)
_META_CONTENT = re.compile(r"""\bcontent\s*=\s*["']([^"']*)["']""", re.I)
_PUBLISHED_KEYS = frozenset(
    "article:published_time og:article:published_time datepublished pubdate publishdate publish-date "
    "dc.date.issued dcterms.issued parsely-pub-date sailthru.date".split()
)
_JSONLD_DATE = re.compile(r'"datePublished"\s*:\s*"([^"]{8,40})"')
_TIME_DATE = re.compile(
    r"""<time\b[^>]*\bdatetime\s*=\s*["']([^"']{8,40})["'][^>]*itemprop\s*=\s*["']datePublished""", re.I
)
_NO_AUTHOR = frozenset({"no author", "unknown", "admin", "anonymous", "none"})
_INLINE_WS = re.compile(r"[^\S\n]+")
_MARKUP = re.compile(
    r"<(?:p|div|br|span|a|b|i|em|strong|h[1-6]|ul|ol|li|html|body|article|section|img)\b[^>]*>", re.I
)
_BLOCK_TAGS = frozenset(
    "p div br li ul ol h1 h2 h3 h4 h5 h6 blockquote section article header footer tr table pre figure "
    "figcaption dd dt".split()
)


def word_count(text: str) -> int:
    """Words in ``text`` for any script: space-separated words, with runs of an unspaced script counted
    per :data:`CHARS_PER_UNSPACED_WORD` characters."""
    unspaced = len(_UNSPACED.findall(text))
    if not unspaced:
        return len(text.split())
    spaced = len(_UNSPACED.sub(" ", text).split())
    return spaced + unspaced // CHARS_PER_UNSPACED_WORD


def quiet_extractors() -> None:
    """Silence trafilatura's, htmldate's and jusText's per-page warnings unless logging is at INFO or
    below (``newsweave -v``). For the CLI layer to call; the library itself configures no logging."""
    if logging.getLogger().getEffectiveLevel() > logging.INFO:
        for name in ("trafilatura", "htmldate", "justext"):
            logging.getLogger(name).setLevel(logging.CRITICAL)


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
    """Text and metadata of an HTML page; None when no main text can be found.

    Cascade: trafilatura on the page as given; if it finds nothing, trafilatura again on repaired markup
    (a ``<title>`` never closed swallows the whole page into the head: 6 of the 7 l3s-gn1 pages trafilatura
    returned empty); if still nothing, jusText's paragraph classifier (recovered the 7th).
    A page of more than ``MAX_PAGE_ELEMENTS`` elements is refused (InputError) before either reads it.
    """
    elements = len(_START_TAG.findall(data.encode("utf-8", "replace") if isinstance(data, str) else data))
    if elements > MAX_PAGE_ELEMENTS:
        raise InputError(
            f"HTML page with {elements} elements, over the limit of {MAX_PAGE_ELEMENTS} "
            "(a real article page has a few thousand); refused to keep extraction time bounded"
        )
    doc = _trafilatura(data, url)
    if doc is None:
        repaired = repair_markup(_as_text(data))
        doc = _trafilatura(repaired, url) if repaired is not None else None
    if doc is None:
        return _justext(data)
    page_url = doc.url or url
    meta = _page_meta(data, page_url, doc)
    text = tidy_lines(doc.text or "")
    text = _drop_repeated_title(text, doc.title)
    if meta and meta.title != doc.title:
        text = _drop_repeated_title(text, meta.title)
    date = (meta.published if meta else None) or _published(data, doc.date, url)
    byline = None if (doc.author or "").strip().lower() in _NO_AUTHOR else doc.author
    return Fields(
        text=text,
        title=meta.title if meta else doc.title,
        subtitle=doc.description,
        byline=meta.byline if meta else byline,
        url=page_url,
        source=clean_sitename(meta.site_name if meta else doc.sitename),
        published=date,
        updated=meta.modified if meta else None,
    )


def _page_meta(data: bytes | str, url: str | None, doc: Any) -> PageMeta | None:
    """The page's reconciled metadata (:mod:`newsweave.ingest.pagemeta`); None if the page cannot be read."""
    from newsweave.outlets import host_of, registry

    html = _as_text(data)
    html = _XML_DECL.sub("", html[:200]) + html[200:]
    host = host_of(url)
    lines = tidy_lines(doc.text or "").split("\n")
    fallback = {"title": doc.title, "author": doc.author, "date": _published(data, doc.date, url),
                "sitename": doc.sitename, "lead": "\n".join(lines[:LEAD_LINES]),
                "tail": "\n".join(lines[-LEAD_LINES:])}  # fmt: skip
    try:
        return reconcile(html, url, fallback, registry().outlet_name(None, url), host)
    except Exception as e:  # a metadata layer must never cost the article: trafilatura's fields stand
        log.info("page metadata unreadable: %s", e)
        return None


def clean_sitename(name: str | None) -> str | None:
    """A site name fit to name an outlet: copyright notices and company suffixes are not names.

    trafilatura falls back on the copyright line ("(c) 2000 Rural Press Ltd.") when a page names no site.
    """
    if not name:
        return None
    n = _COPYRIGHT.sub("", name).strip(" .,-|")
    if not n or "rights reserved" in n.lower() or len(n) > 60:
        return None
    return n


def _trafilatura(data: bytes | str, url: str | None) -> Any:
    try:
        doc = trafilatura.bare_extraction(data, url=url, with_metadata=True, **EXTRACT_SETTINGS)
    except Exception as e:  # trafilatura raises assorted lxml/parser errors on hostile markup
        log.info("trafilatura failed: %s", e)
        return None
    if doc is None or isinstance(doc, dict) or word_count(doc.text or "") < MIN_PAGE_WORDS:
        return None
    return doc


def _as_text(data: bytes | str) -> str:
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    try:
        return decode_bytes(data)[0]
    except InputError:
        return data.decode("cp1252", errors="replace")


def repair_markup(html: str) -> str | None:
    """The page with an unclosed ``<title>`` closed at the end of its line; None if nothing to repair."""
    m = _TITLE_OPEN.search(html)
    if m and not _TITLE_CLOSE.search(html, m.end()):
        end = html.find("\n", m.end())
        end = len(html) if end < 0 else end
        return html[:end] + "</title>" + html[end:]
    return None


def _justext(data: bytes | str) -> Fields | None:
    try:
        paragraphs = justext.justext(data, justext.get_stoplist("English"))
    except Exception as e:  # jusText raises on unparsable markup
        log.debug("jusText failed: %s", e)
        return None
    text = tidy_lines("\n".join(p.text for p in paragraphs if not p.is_boilerplate))
    if word_count(text) < MIN_PAGE_WORDS:
        return None
    return Fields(text=text)


def _drop_repeated_title(text: str, title: str | None) -> str:
    """The text without a first line that repeats the headline (the page's <h1> inside the article)."""
    if not title:
        return text
    first, _, rest = text.partition("\n")
    a, b = " ".join(first.split()).casefold(), " ".join(title.split()).casefold()
    if rest and (a == b or (len(a) >= 20 and b.startswith(a))):
        return rest
    return text


def _published(data: bytes | str, found: str | None, url: str | None) -> str | None:
    """trafilatura's date, with the time of day from the page's own metadata when both name the same day.

    On the 105 dated pages of trafilatura-eval-en, trafilatura's day is right for 95 and the explicit
    metadata alone for 70 (it names first-publication days where the gold wants the shown date), so the
    metadata only adds the hour and zone to a day trafilatura agrees with.
    """
    explicit = explicit_published(_as_text(data))
    if explicit and (not found or explicit[:10] == found[:10]):
        return explicit
    return found or _htmldate(data, url)


def explicit_published(html: str) -> str | None:
    """The publication time a page states outright, as written: ``article:published_time`` and kin in
    <meta>, ``datePublished`` in JSON-LD or on a <time> element. htmldate (inside trafilatura) keeps the
    day but drops the time of day on such pages, and news comparison needs the hour."""
    head = html[:_DATE_SCAN_CHARS]
    for m in _META_TAG.finditer(head):
        tag = m.group(0)
        key = _META_KEY.search(tag)
        if key and key.group(1).lower() in _PUBLISHED_KEYS:
            content = _META_CONTENT.search(tag)
            if content and _ISO_DAY.match(content.group(1).strip()):
                return content.group(1).strip()
    found = _JSONLD_DATE.search(head) or _TIME_DATE.search(head)
    return found.group(1).strip() if found and _ISO_DAY.match(found.group(1).strip()) else None


def _htmldate(data: bytes | str, url: str | None) -> str | None:
    try:
        return htmldate.find_date(data, url=url, original_date=True, outputformat=DATE_FORMAT)
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
