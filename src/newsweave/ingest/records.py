"""JSON, JSONL/NDJSON and CSV exports: one article per record.

Field names are looked up case-insensitively among sensible defaults (:data:`DEFAULT_FIELDS`); ``--map
field=column`` puts a column first. A record whose text holds HTML markup gets it extracted. A bad record
(bad JSON, no text, not an object) is a Rejected naming its line or record number; the others go on.
"""

from __future__ import annotations

import csv
import io
import itertools
import json
import logging
import zlib
from collections.abc import Iterator, Mapping
from typing import IO, Any

from newsweave.errors import InputError, UsageError
from newsweave.ingest.build import Fields, build_article
from newsweave.ingest.decode import looks_binary
from newsweave.ingest.html import extract_page, fragment_to_text, is_full_page, looks_like_html
from newsweave.ingest.options import IngestOptions
from newsweave.model import Article, Rejected

log = logging.getLogger(__name__)

DEFAULT_FIELDS: dict[str, tuple[str, ...]] = {
    "text": ("text", "body", "content", "article_body", "articlebody", "article", "maintext", "full_text",
             "fulltext", "story", "body_text", "html", "raw_html", "content_html"),
    "title": ("title", "headline", "heading"),
    "url": ("url", "link", "canonical_url", "uri", "href"),
    "source": ("source", "outlet", "publisher", "site", "site_name", "sitename", "domain", "source_name",
               "publication"),
    "published": ("published", "date", "pubdate", "created_at", "published_at", "publication_date",
                  "date_publish", "datepublished", "publishedat", "timestamp"),
    "byline": ("author", "byline", "authors", "creator", "by"),
    "subtitle": ("subtitle", "description", "dek", "standfirst"),
    "summary": ("summary", "abstract", "excerpt"),
    "language": ("language", "lang"),
    "updated": ("updated", "modified", "updated_at", "modified_at", "date_modified", "datemodified",
                "last_modified", "lastmod"),
}  # fmt: skip
FIELD_ALIASES = {"published_at": "published", "date": "published", "author": "byline", "body": "text",
                 "headline": "title", "outlet": "source", "link": "url", "lang": "language"}  # fmt: skip
_LIST_KEYS = ("articles", "items", "data", "records", "results", "entries", "documents", "docs")


BINARY = "binary data, not text"  # the reason decode_bytes gives a whole file
TOO_DEEP = "JSON nested too deeply to read (over Python's recursion limit)"


def stream_error_reason(e: Exception) -> str:
    """Why a streamed file stopped: a truncated or corrupt gzip, a decoding error, a bomb."""
    if isinstance(e, InputError):
        return e.reason
    if isinstance(e, EOFError):
        return "truncated gzip stream (the file ends in the middle of compressed data)"
    if isinstance(e, UnicodeDecodeError):
        return f"undecodable bytes ({e.encoding}): {e.reason}"
    return f"unreadable stream: {type(e).__name__}: {e}"


def normalise_field_map(field_map: Mapping[str, str]) -> dict[str, str]:
    """``--map`` keys as article fields; raises UsageError for a field newsweave does not know."""
    out: dict[str, str] = {}
    for key, column in field_map.items():
        k = FIELD_ALIASES.get(key.strip().lower(), key.strip().lower())
        if k not in DEFAULT_FIELDS:
            known = ", ".join(sorted(DEFAULT_FIELDS))
            raise UsageError(f"--map {key}={column}: unknown article field {key!r} (known: {known})")
        out[k] = column.strip()
    return out


def _lookup(record: Mapping[str, Any], lowered: Mapping[str, Any], key: str) -> Any:
    """The value at ``key`` (dotted for nested objects), names matched case-insensitively."""
    node: Any = record
    for n, part in enumerate(key.split(".")):
        if not isinstance(node, Mapping):
            return None
        if part in node:
            node = node[part]
            continue
        keys = lowered if n == 0 else {str(k).lower(): v for k, v in node.items()}
        if part.lower() not in keys:
            return None
        node = keys[part.lower()]
    return node


def _as_text(value: Any, joiner: str = ", ") -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, Mapping):  # {"name": "BBC"} (NewsAPI sources), {"name": ...} authors
        for k in ("name", "title", "id", "value"):
            if value.get(k):
                return str(value[k])
        return None
    if isinstance(value, list | tuple):
        parts = [_as_text(v) for v in value]
        return joiner.join(p for p in parts if p) or None
    return str(value)


def record_fields(record: Mapping[str, Any], options: IngestOptions) -> Fields | str:
    """The Fields of one record, or the reason it has no article text."""
    mapping = normalise_field_map(options.field_map)
    found: dict[str, str | None] = {}
    lowered = {str(k).lower(): v for k, v in record.items()}
    for field, names in DEFAULT_FIELDS.items():
        keys = (mapping[field],) if field in mapping else names
        value = None
        for k in keys:
            # a list of authors is joined with "; ": a name written "Brazil, Rachel" keeps its comma
            sep = "\n" if field == "text" else "; " if field == "byline" else ", "
            value = _as_text(_lookup(record, lowered, k), sep)
            if value:
                break
        found[field] = value
    text = found.pop("text")
    if not text or not text.strip():
        looked = mapping.get("text") or ", ".join(DEFAULT_FIELDS["text"])
        return f"no article text (looked for a field named {looked})"
    if options.extract_html_fields and looks_like_html(text):
        page = extract_page(text, found.get("url")) if is_full_page(text) else None
        if page is None:
            text = fragment_to_text(text)
        else:  # a whole page in the record (a crawl export): its metadata fills what the record lacks
            text = page.text
            for key in ("title", "subtitle", "byline", "source", "published", "updated"):
                found[key] = found[key] or getattr(page, key)
    return Fields(text=text.strip(), **found)


def record_article(
    record: Any, path: str, position: str, fmt: str, options: IngestOptions
) -> Article | Rejected:
    if not isinstance(record, Mapping):
        return Rejected(path, position, f"not a JSON object but {type(record).__name__}", fmt)
    try:
        fields = record_fields(record, options)
        if isinstance(fields, str):
            return Rejected(path, position, fields, fmt)
        return build_article(fields, path, position, fmt, options.source)
    except InputError as e:  # a record refused with its reason (an HTML page over the element limit)
        return Rejected(path, position, e.reason, fmt)
    except Exception as e:  # one odd record is rejected with its reason; the file's other records go on
        log.warning("%s %s: unexpected error", path, position, exc_info=True)
        return Rejected(path, position, f"unexpected error: {type(e).__name__}: {e}", fmt)


def read_json(text: str, path: str, options: IngestOptions) -> Iterator[Article | Rejected]:
    """A JSON document: an array of records, one record, or an object holding a list of records."""
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        if e.msg == "Extra data" and e.lineno > 1 and text.lstrip("\ufeff \t\r\n").startswith("{"):
            # one object, then more on the next lines: JSON Lines whose first line was too long for
            # the sniffer to see whole (a record with a long article), read as such
            yield from read_jsonl(io.BytesIO(text.encode("utf-8")), path, options)
            return
        yield Rejected(path, f"line {e.lineno}", f"invalid JSON: {e.msg} (column {e.colno})", "json")
        return
    except RecursionError:
        yield Rejected(path, "", TOO_DEEP, "json")
        return
    records: list[Any]
    if isinstance(doc, list):
        records = doc
    elif isinstance(doc, dict) and not isinstance(record_fields(doc, options), str):
        records = [doc]
    elif isinstance(doc, dict) and any(isinstance(doc.get(k), list) for k in _LIST_KEYS):
        records = next(doc[k] for k in _LIST_KEYS if isinstance(doc.get(k), list))
    else:
        yield Rejected(
            path, "", "JSON holds no article record (an object with a text field, or a list)", "json"
        )
        return
    for i, rec in enumerate(records, start=1):
        yield record_article(rec, path, f"record {i}", "json", options)


def read_jsonl(stream: IO[bytes], path: str, options: IngestOptions) -> Iterator[Article | Rejected]:
    """One JSON object per line, streamed; each line is limited to ``options.max_bytes``. A file whose first
    line is binary data is one rejection."""
    lineno = 0
    seen = False  # a non-empty line was read
    while True:
        try:
            raw = stream.readline(options.max_bytes + 1)
            if len(raw) > options.max_bytes and not raw.endswith(b"\n"):
                lineno += 1
                reason = f"line longer than the limit of {options.max_bytes} bytes"
                yield Rejected(path, f"line {lineno}", reason, "jsonl")
                while raw and not raw.endswith(b"\n"):
                    raw = stream.readline(1 << 20)
                continue
        except (OSError, EOFError, zlib.error, InputError) as e:
            yield Rejected(path, f"line {lineno + 1}", stream_error_reason(e), "jsonl")
            return
        if not raw:
            return
        lineno += 1
        if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.strip():
            continue
        if not seen and looks_binary(raw[:65536].decode("utf-8", "replace")):
            yield Rejected(path, "", BINARY, "jsonl")  # one rejection, not one per line of a binary file
            return
        seen = True
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            yield Rejected(path, f"line {lineno}", f"not UTF-8 (byte {e.start} of the line)", "jsonl")
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as e:
            yield Rejected(path, f"line {lineno}", f"invalid JSON: {e.msg} (column {e.colno})", "jsonl")
            continue
        except RecursionError:  # one line of "[[[[..." loses that line, not the rest of the file
            yield Rejected(path, f"line {lineno}", TOO_DEEP, "jsonl")
            continue
        yield record_article(record, path, f"line {lineno}", "jsonl", options)


def read_csv(
    stream: IO[bytes], encoding: str, path: str, options: IngestOptions
) -> Iterator[Article | Rejected]:
    """A CSV (or TSV) export with a header row; the delimiter is sniffed from the first lines."""
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        head = text.read(65536)
        head += text.readline()  # end the sniffed head at a line end; the rest is read from the stream
    except UnicodeDecodeError:  # not even its first lines are text in the encoding they were sniffed in
        yield Rejected(path, "", BINARY, "csv")
        return
    except (OSError, EOFError, zlib.error, InputError) as e:
        yield Rejected(path, "", stream_error_reason(e), "csv")
        return
    if looks_binary(head):
        yield Rejected(path, "", BINARY, "csv")
        return
    try:
        delimiter = csv.Sniffer().sniff(head, delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    rest = itertools.chain(io.StringIO(head), text)
    csv.field_size_limit(max(options.max_bytes, 1 << 20))
    # Only the delimiter is taken from the sniffer: its guess of the quoting rules turns RFC 4180's doubled
    # quotes ("") off on some files, which splits a quoted field in two and loses the row.
    reader = csv.reader(rest, delimiter=delimiter, quotechar='"', doublequote=True)
    try:
        header = next(reader)
    except StopIteration:
        yield Rejected(path, "", "empty CSV", "csv")
        return
    columns = [c.strip() for c in header]
    start = reader.line_num + 1
    while True:
        try:
            row = next(reader)
        except StopIteration:
            return
        except (OSError, EOFError, zlib.error, InputError, UnicodeDecodeError) as e:
            yield Rejected(path, f"line {start}", stream_error_reason(e), "csv")
            return
        except csv.Error as e:
            yield Rejected(path, f"line {start}", f"bad CSV row: {e}", "csv")
            start = reader.line_num + 1
            continue
        position = f"line {start}"
        start = reader.line_num + 1
        if not any(cell.strip() for cell in row):
            continue
        if len(row) > len(columns):
            yield Rejected(path, position, f"{len(row)} cells for {len(columns)} columns", "csv")
            continue
        yield record_article(dict(zip(columns, row, strict=False)), path, position, "csv", options)
