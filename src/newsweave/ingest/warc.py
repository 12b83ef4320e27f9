"""WARC and WARC.gz archives through warcio: each HTML ``response`` (or ``resource``) record is a page.

Records that are not HTML pages (warcinfo, requests, metadata, redirects, images) are passed over
silently. A broken record becomes a Rejected at its byte offset; the reader then looks for the next record
start (``WARC/1.`` in a plain archive, a gzip member header in a .warc.gz) and goes on from there, so the
records before and after the damage are kept. Each payload is limited to ``options.max_bytes``. A record
the file ends inside (fewer payload bytes than its Content-Length) is rejected, not stored as a cut page.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import IO, Any

from warcio.archiveiterator import ArchiveIterator

from newsweave.errors import InputError
from newsweave.ingest.build import build_article
from newsweave.ingest.html import extract_page
from newsweave.ingest.options import IngestOptions
from newsweave.model import Article, Rejected

log = logging.getLogger(__name__)

_GZIP_MEMBER = b"\x1f\x8b\x08"
_WARC_START = b"WARC/1."
_SCAN_CHUNK = 1 << 20


def read_warc(fh: IO[bytes], path: str, options: IngestOptions) -> Iterator[Article | Rejected]:
    """Every HTML page of the archive; an archive with none is one Rejected saying so."""
    found = False
    for item in _read_records(fh, path, options):
        found = True
        yield item
    if not found:
        yield Rejected(
            path, "", "no readable HTML record (response or resource) in this WARC/ARC file", "warc"
        )


def _read_records(fh: IO[bytes], path: str, options: IngestOptions) -> Iterator[Article | Rejected]:
    start = fh.tell()
    marker = _GZIP_MEMBER if fh.read(2) == _GZIP_MEMBER[:2] else _WARC_START
    fh.seek(start)
    while True:
        it = ArchiveIterator(fh, ensure_http_headers=False)
        offset = fh.tell()
        try:
            for record in it:
                offset = it.offset
                result = _record_article(record, path, f"byte {offset}", options)
                if result is not None:
                    yield result
            end = fh.seek(0, 2)
            if it.offset < end and fh.seek(it.offset) >= 0 and fh.read(_SCAN_CHUNK).strip(b"\r\n\x00"):
                yield Rejected(
                    path, f"byte {it.offset}", "truncated WARC record at the end of the file", "warc"
                )
            return
        except Exception as e:  # warcio raises ArchiveLoadFailed, zlib.error, EOFError, ValueError...
            offset = max(offset, getattr(it, "offset", offset))
            yield Rejected(path, f"byte {offset}", f"broken WARC record: {_short(e)}", "warc")
            nxt = _find_next(fh, offset + 1, marker)
            if nxt is None:
                return
            log.info("%s: resuming after a broken record at byte %d", path, nxt)
            fh.seek(nxt)


def _short(e: Exception) -> str:
    """A one-line description of ``e``: line breaks and control characters as spaces, nothing cut."""
    msg = f"{type(e).__name__}: {e}"
    return " ".join("".join(c if c.isprintable() else " " for c in msg).split())


def _find_next(fh: IO[bytes], pos: int, marker: bytes) -> int | None:
    """Offset of the next ``marker`` at or after ``pos``, or None."""
    fh.seek(pos)
    carry = b""
    base = pos
    while True:
        chunk = fh.read(_SCAN_CHUNK)
        if not chunk:
            return None
        buf = carry + chunk
        i = buf.find(marker)
        if i >= 0:
            return base - len(carry) + i
        carry = buf[-(len(marker) - 1) :]
        base += len(chunk)


def _record_article(
    record: Any, path: str, position: str, options: IngestOptions
) -> Article | Rejected | None:
    if record.rec_type not in ("response", "resource"):
        return None
    url = record.rec_headers.get_header("WARC-Target-URI")
    if record.rec_type == "response":
        http = record.http_headers
        if http is None:
            return None
        status = http.get_statuscode() or ""
        ctype = http.get_header("Content-Type") or ""
        if not status.startswith("2"):
            return None
    else:
        ctype = record.rec_headers.get_header("Content-Type") or ""
    if ctype and "html" not in ctype.lower():
        return None
    payload = record.content_stream().read(options.max_bytes + 1)
    if len(payload) > options.max_bytes:
        return Rejected(path, position, f"record payload over the limit of {options.max_bytes} bytes", "warc")
    missing = getattr(record.raw_stream, "limit", 0)
    if isinstance(missing, int) and missing > 0:
        # the whole payload was read, yet warcio's reader still expects bytes: the file ends inside
        # the record (a download or copy cut short); what is there is part of a page, not the page
        return Rejected(
            path,
            position,
            f"truncated WARC record: the file ends {missing} bytes before the record's Content-Length",
            "warc",
        )
    if not payload.strip():
        return Rejected(path, position, "empty HTML response", "warc")
    try:
        fields = extract_page(payload, url)
    except InputError as e:  # a page refused with its reason; the archive's other records go on
        return Rejected(path, position, e.reason, "warc")
    if fields is None:
        return Rejected(path, position, f"no article text found in the HTML of {url}", "warc")
    return build_article(fields, path, position, "warc", options.source)
