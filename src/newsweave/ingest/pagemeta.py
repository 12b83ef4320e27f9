"""The metadata layers of an HTML page, and the rules that reconcile them into one headline, byline, date
and outlet.

Layers read (all in one parse): JSON-LD and microdata (through extruct: the ``Article``-like item of the
page, ``@graph`` flattened), Open Graph and the other ``<meta>`` tags, the visible ``<h1>``, the
``<title>``, links to author pages; then trafilatura's own values and the first and last lines of its
text. Rules, first match wins, and why (figures: the "fit" part of fundus-pages, 58 pages, see
docs/quality.md):

headline
  1. the structured data's ``headline``: the newsroom's own field for the headline, on 51 of the 58 pages
     and the expected title on 42 of them;
  2. the visible ``<h1>`` when it is also a prefix of the ``<title>`` or of ``og:title`` (so a site banner or
     a section name in an ``<h1>`` is not taken);
  3. ``og:title``, then ``<title>``, then trafilatura's title.
  Every candidate loses a site-name part (" | CBC News", "Tageblatt.lu | ", " - Taipei Times") when that
  part names the site (``og:site_name``, the publisher, the registry's outlet, or the domain). Then two
  rules for layers that carry the same headline in another form:
  4. a kicker ("Harbour works / " before the headline, in one layer and not in another): the form the
     visible ``<h1>`` shows (fit: 3 pages, all three right; 1 more than without the rule);
  5. typography (curly or straight quotes, dashes): the form most layers carry, the chosen one's on a
     tie (fit: 3 pages, 2 right, 1 more than without the rule).
  ``og:title`` first would score two pages more on the fit part (51 of 58 against 49) but is the
  social-media headline, which some newsrooms write apart ("You will not believe..."). Where the two
  say different things the expected titles split between them (``og:title`` on 8 fit pages, the other
  layers' headline on 7), even for one publisher from one parser version of fundus to the next; neither
  a vote between the layers (45 of 58), the ``<h1>`` (the expected title on 3 of those 15 pages), length
  nor language tells them apart: no page-independent rule decides there.
byline
  the structured data's authors (people and organisations as given), else ``<meta name=author>`` and kin;
  while what is found is only the site's own credit, a company or a one-word label that is no news agency,
  the next source naming people wins: trafilatura's author, author-page links, a byline paragraph at the
  top of the text, a closing credit line pairing the site with its source. Then
  :func:`newsweave.ingest.bylines.clean_authors` (name order, URLs, e-mail and slug duplicates, the site or
  its company dropped when people are named, agencies kept as the credit).
published / modified
  the structured data's ``datePublished`` when trafilatura's date (htmldate, refined by ``<meta>``
  publication times) names the same day, or when the page is a ``LiveBlogPosting`` whose other dates are
  its update time (its ``article:published_time`` holds the last update); else trafilatura's date. The
  update time is kept apart (``dateModified``, ``article:modified_time``). Zones are kept as written, a
  zone-less time stays zone-less; nothing is invented.
outlet
  the site name here is ``og:site_name``, else the publisher's name, else trafilatura's; the outlet is
  then chosen by :mod:`newsweave.ingest.outletname` (registry, cleaned name, domain).
"""

from __future__ import annotations

import html as htmllib
import logging
import re
import unicodedata
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from newsweave.ingest.bylines import clean_authors, comparable, is_agency, is_org, split_names

log = logging.getLogger(__name__)

_ARTICLE_TYPE = re.compile(r"(?:Article|BlogPosting|Report|Posting)$")
_PUBLISHED_META = ("article:published_time", "og:article:published_time", "datepublished", "pubdate",
                   "publishdate", "publish-date", "dc.date.issued", "dcterms.issued", "parsely-pub-date",
                   "sailthru.date", "date")  # fmt: skip
_MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "dcterms.modified", "lastmod")
_AUTHOR_META = ("author", "article:author", "byl", "parsely-author", "sailthru.author", "dc.creator")
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", " » ", ": ")
_ISO_DAY = re.compile(r"\d{4}-\d\d-\d\d")
_URL = re.compile(r"https?://\S+|www\.\S+")
_AUTHOR_HREF = re.compile(
    r"/(?:autor|autoren|author|authors|journalist|journalists|redakteur|redaktion/autor)(?:/|$)", re.I
)
# Letters a site name may carry beyond its key in a title part ("Tageblatt.lu": 2, "Mirror Online": 6).
MAX_SITE_SUFFIX_CHARS = 6
# An <h1> shorter than this (letters and digits) is a banner or a section name ("News"), never a headline.
MIN_H1_KEY_CHARS = 10
# A byline paragraph ("Ann Berg/Tom Hale") is short: longer lines at the top are the standfirst.
MAX_LEAD_BYLINE_WORDS = 8
# A byline names a handful of people; more author links than this are a list of the site's writers.
MAX_AUTHOR_LINKS = 4


@dataclass(frozen=True)
class PageLayers:
    """What each layer of a page says (None / empty where it says nothing)."""

    headline: str | None = None  # structured data (JSON-LD, else microdata)
    authors: tuple[str, ...] = ()  # structured data, as given
    published: str | None = None
    modified: str | None = None
    publisher: str | None = None  # structured data's publisher name
    h1: tuple[str, ...] = ()
    title_tag: str | None = None
    meta: tuple[tuple[str, str], ...] = ()  # (lower-cased name/property, content), in page order
    author_links: tuple[str, ...] = ()  # visible byline: links to author pages, rel=author
    live: bool = False  # the structured data says LiveBlogPosting: a page updated as news comes in

    def meta_value(self, *names: str) -> str | None:
        for name in names:
            for key, value in self.meta:
                if key == name and value.strip():
                    return value.strip()
        return None

    def meta_values(self, *names: str) -> list[str]:
        return [v.strip() for k, v in self.meta if k in names and v.strip()]


@dataclass(frozen=True)
class PageMeta:
    """The reconciled metadata of a page (see the module docstring for the rules)."""

    title: str | None
    byline: str | None
    published: str | None
    modified: str | None
    site_name: str | None


def read_layers(html: str, url: str | None) -> PageLayers:
    """The layers of ``html``; a layer that fails to parse is left empty (logged at debug level)."""
    import extruct
    import lxml.html

    try:
        tree = lxml.html.fromstring(html)
    except Exception as e:  # lxml raises assorted errors on hostile or empty markup
        log.debug("page does not parse: %s", e)
        return PageLayers()
    data: dict[str, Any] = {}
    for syntax in ("json-ld", "microdata"):
        try:
            data.update(extruct.extract(tree, base_url=url, syntaxes=[syntax], uniform=True, errors="strict"))
        except Exception as e:  # a broken JSON-LD block must not cost the other layers
            log.debug("%s unreadable: %s", syntax, e)
    item = _article_item([*_flatten(data.get("json-ld", [])), *_flatten(data.get("microdata", []))], url)
    meta = tuple(
        (
            str(m.get("property") or m.get("name") or m.get("itemprop") or "").lower().strip(),
            m.get("content") or "",
        )
        for m in tree.iter("meta")
        if m.get("content") is not None
    )
    h1 = tuple(t for t in (_squash(h.text_content()) for h in tree.iter("h1")) if t)
    title_el = next(tree.iter("title"), None)
    return PageLayers(
        headline=_text(item.get("headline") or item.get("name")) if item else None,
        authors=tuple(_names(item.get("author") or item.get("creator"))) if item else (),
        published=_text(item.get("datePublished") or item.get("dateCreated")) if item else None,
        modified=_text(item.get("dateModified")) if item else None,
        publisher=_names_first(item.get("publisher")) if item else None,
        h1=h1,
        title_tag=_squash(title_el.text_content()) if title_el is not None else None,
        meta=meta,
        author_links=_author_links(tree),
        live=item is not None and "LiveBlogPosting" in _types(item),
    )


def _author_links(tree: Any) -> tuple[str, ...]:
    """Names in the visible byline: ``rel=author`` links and links to an author page (``/autor/``,
    ``/authors/``...), two to five words without digits, at most :data:`MAX_AUTHOR_LINKS` of them."""
    out: list[str] = []
    for a in tree.iter("a"):
        href, rel = a.get("href") or "", a.get("rel") or ""
        if "author" not in rel and not _AUTHOR_HREF.search(href):
            continue
        name = _squash(a.text_content())
        if _name_like(name) and name not in out:
            out.append(name)
        if len(out) >= MAX_AUTHOR_LINKS:
            break
    return tuple(out)


def _name_like(name: str) -> bool:
    """Two to five words, no digits, each word capitalised but for particles ("van", "de", "bin")."""
    words = name.split()
    return (
        2 <= len(words) <= 5
        and not any(c.isdigit() for c in name)
        and all(w[:1].isupper() or w in _PARTICLES for w in words)
    )


_PARTICLES = frozenset("van von der den de da di du del la le bin al el ten ter zu".split())


def _flatten(items: Any) -> Iterator[dict[str, Any]]:
    if isinstance(items, list):
        for x in items:
            yield from _flatten(x)
    elif isinstance(items, dict):
        if "@graph" in items:
            yield from _flatten(items["@graph"])
        yield items


def _types(item: dict[str, Any]) -> list[str]:
    t = item.get("@type") or item.get("type") or []
    return [str(x).rsplit("/", 1)[-1] for x in (t if isinstance(t, list) else [t])]


def _article_item(items: list[dict[str, Any]], url: str | None) -> dict[str, Any] | None:
    """The item describing this page's article: an Article-like type with a headline, the one whose URL is
    the page's when several are."""
    found = [i for i in items if any(_ARTICLE_TYPE.search(t) for t in _types(i)) and (i.get("headline"))]
    if not found:
        return None
    if url and len(found) > 1:
        bare = url.split("?")[0].rstrip("/")
        for i in found:
            for key in ("url", "mainEntityOfPage", "@id"):
                v = i.get(key)
                v = v.get("@id") if isinstance(v, dict) else v
                if isinstance(v, str) and v.split("?")[0].rstrip("/") == bare:
                    return i
    return found[0]


def _squash(s: str | None) -> str:
    return " ".join((s or "").split())


def _text(v: Any) -> str | None:
    if isinstance(v, list):
        v = next((x for x in v if x), None)
    if isinstance(v, dict):
        v = v.get("@value") or v.get("name")
    if v is None or isinstance(v, dict | list):
        return None
    s = _squash(htmllib.unescape(str(v)))
    return s or None


def _names(v: Any) -> Iterator[str]:
    for x in v if isinstance(v, list) else [v]:
        if isinstance(x, dict):
            name = _text(x.get("name"))
            if not name and (x.get("givenName") or x.get("familyName")):
                name = _squash(f"{_text(x.get('givenName')) or ''} {_text(x.get('familyName')) or ''}")
            if name:
                yield name
        elif isinstance(x, str) and x.strip():
            yield _squash(htmllib.unescape(x))


def _names_first(v: Any) -> str | None:
    return next(_names(v), None)


def site_names(layers: PageLayers, registry_name: str | None, domain: str | None) -> list[str]:
    """Every name the site goes by on this page, for stripping from headlines and bylines."""
    names = [registry_name, layers.meta_value("og:site_name", "application-name", "twitter:site"),
             layers.publisher]  # fmt: skip
    if domain:
        from newsweave.outlets import registrable_domain

        base = registrable_domain(domain)
        names += [base, base.split(".")[0]]
    return [n.lstrip("@") for n in names if n]


def strip_site(title: str | None, sites: list[str]) -> str | None:
    """``title`` without a leading or trailing part that names the site (up to two parts)."""
    if not title:
        return None
    keys = {comparable(s) for s in sites} - {""}
    t = title
    for _ in range(2):
        for sep in _SEPARATORS:
            head, _, tail = t.rpartition(sep)
            if head and _names_site(tail, keys):
                t = head.strip()
                break
            first, _, rest = t.partition(sep)
            if rest and _names_site(first, keys):
                t = rest.strip()
                break
        else:
            break
    return t or title


def _names_site(part: str, keys: set[str]) -> bool:
    """True when ``part`` is the site's name, give or take a short addition ("Tageblatt.lu", "Mirror
    Online" for "mirror") or a shortening ("Metro" for "Metro News"); "Times Square fire" is no site name."""
    k = comparable(part)
    if not k:
        return False
    return any(
        k == s
        or (len(s) >= 4 and k.startswith(s) and len(k) - len(s) <= MAX_SITE_SUFFIX_CHARS)
        or (len(k) >= 4 and s.startswith(k))
        for s in keys
    )


def choose_title(layers: PageLayers, sites: list[str], fallback: str | None) -> str | None:
    """The headline by the rules of the module docstring: the first layer in order, then the form the
    visible ``<h1>`` shows where a kicker is all that differs, then the typography most layers share."""
    title = _first_title(layers, sites, fallback)
    if not title:
        return None
    layered = _title_layers(layers, sites)
    title = _kicker_as_shown(title, layered, layers.h1)
    return _common_typography(title, layered)


def _first_title(layers: PageLayers, sites: list[str], fallback: str | None) -> str | None:
    if layers.headline:
        return strip_site(layers.headline, sites)
    social = layers.meta_value("og:title", "twitter:title")
    for h in layers.h1:
        for other in (layers.title_tag, social):
            if (
                other
                and comparable(other).startswith(comparable(h))
                and len(comparable(h)) >= MIN_H1_KEY_CHARS
            ):
                return h
    for cand in (social, layers.title_tag, fallback):
        if cand:
            return strip_site(_squash(htmllib.unescape(cand)), sites)
    return None


def _title_layers(layers: PageLayers, sites: list[str]) -> list[str]:
    """What each headline layer says, site name stripped, in rule order; the ``<h1>`` elements last."""
    raw = (layers.headline, layers.meta_value("og:title"), layers.meta_value("twitter:title"),
           layers.title_tag)  # fmt: skip
    out = [strip_site(_squash(htmllib.unescape(r)), sites) for r in raw if r]
    return [t for t in out if t] + list(layers.h1)


def _kicker_as_shown(title: str, layered: list[str], h1: tuple[str, ...]) -> str:
    """Where two layers differ only by a leading kicker ("Harbour works / " + headline), the form the
    visible ``<h1>`` shows: with the kicker when the ``<h1>`` carries it, else without. The ``<h1>`` is
    compared on letters and digits, as it often sets the kicker in an element of its own with no
    separator; the two layers must show the separator (``_KICKER_END``): "Harbour-pier to reopen" is one word
    more, not the kicker "Harbour" and a headline."""
    key = comparable(title)
    for shown in (comparable(h) for h in h1):
        if len(shown) < MIN_H1_KEY_CHARS or shown == key or not (shown.endswith(key) or key.endswith(shown)):
            continue
        for other in layered[: len(layered) - len(h1)]:
            if comparable(other) == shown and _adds_kicker(title, other):
                return other
    return title


# How a kicker ends before its headline: a colon, a bar, a slash, a dash or a guillemet, then a space.
_KICKER_END = re.compile(r"[:|/\-»·]\s*$")


def _adds_kicker(a: str, b: str) -> bool:
    """True when the longer of ``a`` and ``b`` is the other with a kicker and a separator before it."""
    short, long = sorted((_typography(a), _typography(b)), key=len)
    head = long[: len(long) - len(short)]
    return long.endswith(short) and head.endswith(" ") and bool(_KICKER_END.search(head.rstrip()))


_TYPO = str.maketrans({c: "'" for c in '‘’‚‛′´`“”„‟″«»"'} | {c: "-" for c in "‐‑‒–—―−"})


def _typography(s: str) -> str:
    """``s`` with every quote mark one character, every dash a hyphen and spaces collapsed."""
    return " ".join(unicodedata.normalize("NFKC", s).translate(_TYPO).split())


def _common_typography(title: str, layered: list[str]) -> str:
    """The written form of ``title`` that most layers carry where they differ only in quote marks and
    dashes (curly against straight quotes); ``title``'s own form on a tie."""
    key = _typography(title)
    votes = Counter(t for t in layered if t != title and _typography(t) == key)
    if not votes:
        return title
    form, n = votes.most_common(1)[0]
    mine = sum(1 for t in layered if t == title)
    return form if n > mine else title


def choose_published(layers: PageLayers, fallback: str | None) -> str | None:
    """The structured data's ``datePublished`` when trafilatura's date names the same day (it adds the time
    and zone) or when the page is a live page (``LiveBlogPosting``) whose other dates are its update time;
    else trafilatura's. On trafilatura-eval-en, whose gold is the date shown on the page (the update's on
    pages that show one), the structured date alone loses 2 of 105 days that trafilatura gets, so it
    does not simply win."""
    ld = layers.published if layers.published and _ISO_DAY.match(layers.published) else None
    if not ld:
        return fallback
    if not fallback or fallback[:10] == ld[:10]:
        return ld
    modified = {m[:16] for m in (layers.modified, *layers.meta_values(*_MODIFIED_META)) if m}
    return ld if layers.live and fallback[:16] in modified else fallback


def lead_byline(lead: str | None, sites: list[str]) -> list[str]:
    """Names from a byline paragraph at the top of the text ("Mpho Lebona", "Ann Berg/Tom Hale",
    "Gazette / Agency Name"): a short line, no sentence punctuation, every part a name (or the site)."""
    for line in (lead or "").split("\n"):
        words = line.split()
        if not words or len(words) > MAX_LEAD_BYLINE_WORDS or line.rstrip().endswith((".", "!", "?", ":")):
            continue
        names = split_names(line)
        if names and all(_name_like(n) or is_org(n, sites) for n in names):
            people = [n for n in names if not is_org(n, sites)]
            if people:
                return people
    return []


def tail_credit(tail: str | None, sites: list[str]) -> list[str]:
    """The source named in a closing credit line that pairs the site with it ("Gazette / Agency Name")."""
    for line in reversed((tail or "").split("\n")):
        if not line.strip() or len(line.split()) > MAX_LEAD_BYLINE_WORDS:
            continue
        names = split_names(line)
        own = [n for n in names if is_org(n, sites)]
        others = [n for n in names if n not in own]
        if own and others and all(_name_like(n) or is_agency(n) for n in others):
            return others
    return []


def choose_byline(
    layers: PageLayers,
    sites: list[str],
    fallback: str | None,
    lead: str | None = None,
    tail: str | None = None,
) -> str | None:
    """Structured authors, else ``<meta>`` authors; while what is found is only the site's own credit or
    a one-word label that is no agency ("Nachrichten", a login), the next source that names people wins:
    trafilatura's author, author links, a byline paragraph at the top, a closing credit line."""
    raw: list[str] = list(layers.authors)
    if not raw:
        raw = [v for v in layers.meta_values(*_AUTHOR_META) if not _URL.fullmatch(v)]
    names = clean_authors(raw, sites)

    def weak(n: str) -> bool:
        return is_org(n, sites) or (len(n.split()) == 1 and not is_agency(n))

    more_sources = ([fallback] if fallback else [], list(layers.author_links), lead_byline(lead, sites),
                    tail_credit(tail, sites))  # fmt: skip
    for more in more_sources:
        if names and not all(weak(n) for n in names):
            break
        # only people replace the site's own credit ("Amw", a login, does not replace "kicker")
        found = [n for n in clean_authors(more, sites) if not is_org(n, sites) and _name_like(n)]
        names = found or names or clean_authors(more, sites)
    return "; ".join(names) if names else None


def reconcile(
    html: str,
    url: str | None,
    fallback: dict[str, str | None],
    registry_name: str | None,
    domain: str | None,
) -> PageMeta:
    """The page's metadata by the rules of the module docstring; ``fallback`` holds trafilatura's title,
    author, date and sitename."""
    layers = read_layers(html, url)
    sites = site_names(layers, registry_name, domain)
    return PageMeta(
        title=choose_title(layers, sites, fallback.get("title")),
        byline=choose_byline(
            layers, sites, fallback.get("author"), fallback.get("lead"), fallback.get("tail")
        ),
        published=choose_published(layers, fallback.get("date")),
        modified=layers.modified or layers.meta_value(*_MODIFIED_META),
        site_name=layers.meta_value("og:site_name") or layers.publisher or fallback.get("sitename"),
    )
