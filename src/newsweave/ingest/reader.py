"""The ingest entry point: every input named becomes Articles and Rejecteds, and iteration never stops.

For each file: the size from ``stat`` is checked before any byte is read (line-oriented exports and
WARC archives are streamed, their records limited instead); the first bytes are read to spot gzip and
sniff the format; gzip is decompressed with a cap on the output (decompression bombs); then the reader
of the format runs. Whatever goes wrong becomes a Rejected naming the file and the position.
"""

from __future__ import annotations

import codecs
import dataclasses
import gzip
import io
import logging
import unicodedata
import zlib
from collections.abc import Iterable, Iterator, Sequence
from typing import IO

import charset_normalizer

from newsweave.errors import InputError, UsageError
from newsweave.ingest.build import build_article
from newsweave.ingest.decode import bom_encoding, decode_bytes
from newsweave.ingest.feeds import read_feed
from newsweave.ingest.html import extract_page
from newsweave.ingest.options import FORMATS, IngestOptions
from newsweave.ingest.records import normalise_field_map, read_csv, read_json, read_jsonl
from newsweave.ingest.sniff import STREAMED, format_from_name, sniff_format, strip_gz
from newsweave.ingest.sources import InputRef, expand_inputs
from newsweave.ingest.text import text_article_or_rejected
from newsweave.ingest.warc import read_warc
from newsweave.model import Article, Rejected

log = logging.getLogger(__name__)

HEAD_BYTES = 65536
_GZIP_MAGIC = b"\x1f\x8b"


def read_inputs(paths: Sequence[str], options: IngestOptions | None = None) -> Iterator[Article | Rejected]:
    """Articles and Rejecteds from files, directories, globs and ``-`` (stdin), in input order.

    Raises UsageError (before reading anything) for a bad ``format`` or ``field_map``; after that, every
    problem is a :class:`Rejected` and the iteration goes on.
    """
    options = options or IngestOptions()
    if not paths:
        raise UsageError("no input named: give files, folders, globs or - for stdin")
    if options.format not in (None, *FORMATS):
        raise UsageError(f"unknown format {options.format!r} (one of {', '.join(FORMATS)})")
    normalise_field_map(options.field_map)
    yield from read_refs(expand_inputs(paths, options), options)


def read_blobs(
    blobs: Iterable[tuple[str, bytes]], options: IngestOptions | None = None
) -> Iterator[Article | Rejected]:
    """Articles and Rejecteds from ``(name, bytes)`` pairs already in memory (files uploaded to the web
    app), read exactly as files of that name would be; ``name`` is what Origin and Rejected record."""
    options = options or IngestOptions()
    if options.format not in (None, *FORMATS):
        raise UsageError(f"unknown format {options.format!r} (one of {', '.join(FORMATS)})")
    normalise_field_map(options.field_map)
    yield from read_refs((InputRef(name, None, len(data), data) for name, data in blobs), options)


def read_refs(refs: Iterable[InputRef | Rejected], options: IngestOptions) -> Iterator[Article | Rejected]:
    """Every input of ``refs`` read in turn; a problem with one is a Rejected and reading goes on."""
    for item in refs:
        if isinstance(item, Rejected):
            yield _one_line(item)
            continue
        count = 0
        try:
            for out in read_file(item, options):
                count += 1
                yield _one_line(out) if isinstance(out, Rejected) else out
        except InputError as e:
            count += 1
            yield _one_line(Rejected(item.path, e.position, e.reason))
        except OSError as e:  # permission denied, I/O error, a file removed while reading
            count += 1
            yield _one_line(Rejected(item.path, "", f"cannot read: {e.strerror or e}"))
        except Exception as e:  # one broken input never stops the batch
            count += 1
            log.warning("%s: unexpected %s", item.path, type(e).__name__, exc_info=True)
            yield _one_line(Rejected(item.path, "", f"unexpected error: {type(e).__name__}: {e}"))
        if not count:  # an input that yields nothing is never silently dropped
            yield Rejected(item.path, "", "nothing readable in this file: no article and no record")


def _one_line(r: Rejected) -> Rejected:
    """The rejection with its reason on one clean line (control characters and line breaks as spaces)."""
    clean = one_line(r.reason)
    return r if clean == r.reason else dataclasses.replace(r, reason=clean)


def one_line(text: str) -> str:
    """``text`` on one line: control characters and line breaks become spaces, runs of spaces one."""
    return " ".join(
        "".join(" " if unicodedata.category(c) in ("Cc", "Zl", "Zp") else c for c in text).split()
    )


def read_file(ref: InputRef, options: IngestOptions) -> Iterator[Article | Rejected]:
    """Articles and Rejecteds from one input."""
    forced = options.format if options.format not in (None, "auto") else None
    if ref.size == 0:
        yield Rejected(ref.path, "", "empty file", forced or "")
        return
    streamed = (forced or format_from_name(ref.path)) in STREAMED
    if ref.size is not None and ref.size > options.max_bytes and not streamed:
        yield Rejected(
            ref.path,
            "",
            f"file of {ref.size} bytes is over the size limit of {options.max_bytes} bytes (not read)",
        )
        return
    head = _head(ref)
    gz = head.startswith(_GZIP_MAGIC)
    inner_head = _gunzip_head(head) if gz else head
    fmt = forced or sniff_format(strip_gz(ref.path)[0], inner_head) or "text"
    if fmt == "warc":
        with _open(ref) as fh:
            yield from read_warc(fh, ref.path, options)
    elif fmt in ("jsonl", "csv"):
        with _open(ref) as raw:
            stream: IO[bytes] = _capped_gunzip(raw, options.max_stream_bytes) if gz else raw
            if fmt == "jsonl":
                yield from read_jsonl(stream, ref.path, options)
            else:
                yield from read_csv(stream, _stream_encoding(inner_head), ref.path, options)
    else:
        yield from _read_whole(ref, fmt, gz, options)


def _read_whole(ref: InputRef, fmt: str, gz: bool, options: IngestOptions) -> Iterator[Article | Rejected]:
    data = _read_all(ref, options.max_bytes)
    if gz:
        data = gunzip_capped(data, options.max_bytes)
    if not data.strip():
        yield Rejected(ref.path, "", "empty file" if not data else "file holds only whitespace", fmt)
        return
    if fmt == "html":
        decode_bytes(data)  # refuses binary data with a clear reason before trafilatura sees it
        fields = extract_page(data)
        if fields is None:
            yield Rejected(
                ref.path, "", "no article text found in the HTML (broken or not an article page)", fmt
            )
        else:
            yield build_article(fields, ref.path, "", fmt, options.source)
        return
    text, _ = decode_bytes(data)
    if fmt == "json":
        yield from read_json(text, ref.path, options)
    elif fmt == "rss":
        yield from read_feed(text, ref.path, options)
    else:
        yield text_article_or_rejected(text, ref.path, options.source, "", "text")


def _head(ref: InputRef) -> bytes:
    if ref.data is not None:
        return ref.data[:HEAD_BYTES]
    assert ref.fs_path is not None
    with open(ref.fs_path, "rb") as f:
        return f.read(HEAD_BYTES)


def _open(ref: InputRef) -> IO[bytes]:
    if ref.data is not None:
        return io.BytesIO(ref.data)
    assert ref.fs_path is not None
    return open(ref.fs_path, "rb")


def _read_all(ref: InputRef, limit: int) -> bytes:
    with _open(ref) as f:
        data = f.read(limit + 1)
    if len(data) > limit:  # the file grew after stat, or stdin
        raise InputError(f"over the size limit of {limit} bytes")
    return data


def _gunzip_head(head: bytes) -> bytes:
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(head, HEAD_BYTES)
    except zlib.error:
        return b""


def gunzip_capped(data: bytes, limit: int) -> bytes:
    """Decompress all gzip members of ``data``; InputError when truncated, corrupt or over ``limit``."""
    out = bytearray()
    rest = data
    consumed = 0
    while rest:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += d.decompress(rest, limit + 1 - len(out))
        except zlib.error as e:
            raise InputError(f"corrupt gzip data: {e}", position=f"byte {consumed}") from e
        if len(out) > limit:
            raise InputError(f"gzip data decompresses to over {limit} bytes (decompression bomb?)")
        if not d.eof:
            raise InputError(
                f"truncated gzip data (ends after {len(out)} decompressed bytes)",
                position=f"byte {len(data)}",
            )
        consumed = len(data) - len(d.unused_data)
        rest = d.unused_data if d.unused_data.startswith(_GZIP_MAGIC) else b""
    return bytes(out)


# A streamed gzip that has produced RATIO_AFTER bytes at over MAX_RATIO times the compressed bytes read is a
# bomb even under the size cap: news text compresses 3-10x (JSON exports with repeated keys up to ~20x), a
# bomb of repeated records or zeros hundreds to thousands of times. Without it, 200 MB of one record from a
# 480 KB file streamed for minutes before the 4 GiB cap.
MAX_RATIO = 100
RATIO_AFTER = 64 * 1024 * 1024


class _CappedReader(io.RawIOBase):
    """A raw stream over a decompressing reader that refuses to produce more than ``limit`` bytes, or more
    than ``MAX_RATIO`` times the compressed bytes read from ``raw`` once past ``RATIO_AFTER``."""

    def __init__(self, inner: IO[bytes] | gzip.GzipFile, limit: int, raw: IO[bytes] | None = None) -> None:
        self._inner = inner
        self._limit = limit
        self._count = 0
        self._raw = raw
        self._start = _position(raw)

    def readable(self) -> bool:
        return True

    def readinto(self, b: bytearray | memoryview) -> int:  # type: ignore[override]
        chunk = self._inner.read(len(b))
        self._count += len(chunk)
        if self._count > self._limit:
            raise InputError(f"gzip stream decompresses to over {self._limit} bytes (decompression bomb?)")
        if self._count > RATIO_AFTER and self._raw is not None:
            read = max(1, _position(self._raw) - self._start)
            if self._count > MAX_RATIO * read:
                raise InputError(
                    f"gzip stream expands over {MAX_RATIO} times ({read} bytes gave {self._count}; decompression bomb?)"
                )
        b[: len(chunk)] = chunk
        return len(chunk)


def _capped_gunzip(raw: IO[bytes], limit: int) -> IO[bytes]:
    return io.BufferedReader(_CappedReader(gzip.GzipFile(fileobj=raw, mode="rb"), limit, raw))


def _position(raw: IO[bytes] | None) -> int:
    try:
        return raw.tell() if raw is not None else 0
    except (OSError, ValueError):  # a pipe: no ratio check
        return 0


def _stream_encoding(head: bytes) -> str:
    """Encoding of a streamed text export from its first bytes (a cut multi-byte character is allowed)."""
    bom = bom_encoding(head)
    if bom:
        return bom
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return "utf-8"
    except UnicodeDecodeError:
        best = charset_normalizer.from_bytes(head).best()
        return best.encoding if best else "utf-8"


__all__ = ["build_article", "read_file", "read_inputs"]
