"""Plain text (.txt, .md): optional header lines, then the seed layouts.

Cascade, first match wins:
1. Header lines (or Markdown front matter between ``---`` lines) (``Title:``, ``Source:``, ``URL:``, ``Date:``, ``Author:``/``Byline:``, ``Subtitle:``,
   ``Summary:``, ``Language:``) then a blank line: the fields come from the headers and the text after the
   blank line is kept exactly as written (only trailing whitespace goes), so offsets map back to the file.
2. The layout of seed 000: optional summary paragraph(s), the headline, a blank line, the headline again,
   an optional subtitle (a short line), then the body. The headline is kept once; text is the body only.
3. A Markdown ``# heading`` as the first line.
4. A short headline-like first line (no sentence punctuation at its end) followed by a blank line.
5. Otherwise the text is body only: no title is invented (seed 002).
"""

from __future__ import annotations

import re

from newsweave.errors import InputError
from newsweave.ingest.build import Fields, build_article
from newsweave.model import Article, Rejected

_HEADER_KEYS = {
    "title": "title",
    "headline": "title",
    "source": "source",
    "outlet": "source",
    "publisher": "source",
    "url": "url",
    "link": "url",
    "date": "published",
    "published": "published",
    "author": "byline",
    "byline": "byline",
    "authors": "byline",
    "subtitle": "subtitle",
    "dek": "subtitle",
    "summary": "summary",
    "language": "language",
    "lang": "language",
}
_HEADER_LINE = re.compile(r"^([A-Za-z]+)[ \t]*:[ \t]?(.*)$")
# Layout thresholds, set on the seeds and on headlines of galaxy-wikinews (titles there run 20-120
# characters; seed 000's subtitle is 140): a line longer than these is body text, not a headline/subtitle.
MAX_HEADLINE_CHARS = 200
MAX_SUBTITLE_CHARS = 250
MAX_PLAIN_HEADLINE_CHARS = 150
MAX_PLAIN_HEADLINE_WORDS = 22
_NOT_HEADLINE_END = tuple(".,;:-\u2013\u2014\"'\u201d\u2019)")


def parse_header(text: str) -> tuple[dict[str, str], int] | None:
    """(fields, body offset) when ``text`` starts with header lines and a blank line, else None."""
    fields: dict[str, str] = {}
    pos = 0
    while True:
        nl = text.find("\n", pos)
        if nl < 0:
            return None  # headers only, or no blank line after them: not a header block
        line = text[pos:nl].rstrip("\r")
        if not line.strip():
            return (fields, nl + 1) if fields else None
        m = _HEADER_LINE.match(line)
        if not m or m.group(1).lower() not in _HEADER_KEYS:
            return None
        key = _HEADER_KEYS[m.group(1).lower()]
        if key not in fields:  # the first of repeated keys wins
            fields[key] = m.group(2).strip()
        pos = nl + 1


def parse_front_matter(text: str) -> tuple[dict[str, str], int] | None:
    """(fields, body offset) for Markdown front matter (``---`` lines around ``key: value`` lines)."""
    if not text.startswith("---\n"):
        return None
    end = text.find("\n---\n", 3)
    if end < 0 or text.count("\n", 0, end) > 40:
        return None
    fields: dict[str, str] = {}
    for line in text[4:end].split("\n"):
        m = _HEADER_LINE.match(line)
        if m and m.group(1).lower() in _HEADER_KEYS:
            fields.setdefault(_HEADER_KEYS[m.group(1).lower()], m.group(2).strip().strip("\"'"))
    offset = end + 5
    while text.startswith("\n", offset):
        offset += 1
    return fields, offset


def format_header(fields: dict[str, str]) -> str:
    """The header block for ``fields`` (field name -> value), ending with the blank line."""
    names = {"title": "Title", "source": "Source", "url": "URL", "published": "Date", "byline": "Author",
             "subtitle": "Subtitle", "summary": "Summary", "language": "Language"}  # fmt: skip
    return "".join(f"{names[k]}: {v}\n" for k, v in fields.items()) + "\n"


def _lines(text: str) -> list[tuple[int, int]]:
    """(start, end) of every line, newline excluded."""
    out, pos = [], 0
    for line in text.split("\n"):
        out.append((pos, pos + len(line)))
        pos += len(line) + 1
    return out


def _layout_fields(text: str) -> Fields:
    lines = _lines(text)
    content = [(s, e) for s, e in lines if text[s:e].strip()]
    if not content:
        return Fields(text=text)
    seg = [text[s:e].strip() for s, e in content]
    # 2. seed 000: a headline given twice within the first lines
    for i in range(min(4, len(seg))):
        # a long line is body text; a one- or two-word line given twice ("Advertisement") is no headline
        if len(seg[i]) > MAX_HEADLINE_CHARS or len(seg[i].split()) < 3:
            continue
        for j in range(i + 1, min(i + 3, len(seg))):
            if seg[j] == seg[i]:
                return _repeated_headline(text, content, seg, i, j)
    # 3. Markdown heading
    if seg[0].startswith("# ") and len(seg) > 1:
        return Fields(text=text[content[1][0] :], title=seg[0][2:].strip())
    # 4. headline-like first line and a blank line
    first_end = content[0][1]
    if (
        len(seg) > 1
        and _headline_like(seg[0])
        and not text[first_end : content[1][0]].strip(" \t\r\n")
        and (text.count("\n", first_end, content[1][0]) >= 2)
    ):
        return Fields(text=text[content[1][0] :], title=seg[0])
    return Fields(text=text)


def _repeated_headline(text: str, content: list[tuple[int, int]], seg: list[str], i: int, j: int) -> Fields:
    summary = " ".join(seg[:i]) or None
    k = j + 1
    subtitle = None
    if k < len(seg) - 1 and len(seg[k]) <= MAX_SUBTITLE_CHARS:
        subtitle = seg[k]
        k += 1
    body = text[content[k][0] :] if k < len(seg) else ""
    return Fields(text=body, title=seg[i], subtitle=subtitle, summary=summary)


def _headline_like(line: str) -> bool:
    return (
        len(line) <= MAX_PLAIN_HEADLINE_CHARS
        and len(line.split()) <= MAX_PLAIN_HEADLINE_WORDS
        and not line.endswith(_NOT_HEADLINE_END)
        and not line.lower().startswith("by ")
        and line[0] not in "\"'\u201c\u2018([-*"
    )


def text_fields(text: str) -> Fields:
    """The fields of a plain-text article (see the module docstring for the cascade)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    text = text.replace("\r\n", "\n")
    header = parse_header(text) or parse_front_matter(text)
    if header is not None:
        h, offset = header
        return Fields(
            text=text[offset:],
            title=h.get("title"),
            subtitle=h.get("subtitle"),
            summary=h.get("summary"),
            byline=h.get("byline"),
            url=h.get("url"),
            source=h.get("source"),
            published=h.get("published"),
            language=h.get("language"),
        )
    return _layout_fields(text)


def read_text_article(
    text: str, path: str = "", source: str | None = None, position: str = "", fmt: str = "text"
) -> Article:
    """The Article for a plain-text document; raises InputError when it holds no text."""
    result = text_article_or_rejected(text, path, source, position, fmt)
    if isinstance(result, Rejected):
        raise InputError(result.reason, path, position)
    return result


def text_article_or_rejected(
    text: str, path: str = "", source: str | None = None, position: str = "", fmt: str = "text"
) -> Article | Rejected:
    return build_article(text_fields(text), path, position, fmt, source)
