"""Bytes to text: byte-order marks, strict UTF-8, then charset-normalizer; binary data is refused.

Order: a BOM decides (UTF-8, UTF-16, UTF-32); else strict UTF-8 (most news files); else NUL bytes mean
binary (or BOM-less UTF-16, which charset-normalizer is asked about); else charset-normalizer's best guess
(Latin-1 / cp1252 in practice). A decoded text with many control characters is binary after all.
"""

from __future__ import annotations

import codecs

import charset_normalizer

from newsweave.errors import InputError

_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
# Share of control characters (other than tab/newline/CR/form feed) above which decoded text is binary.
# Real text has none; a few stray ones survive in scraped pages, so 1% leaves room for them.
MAX_CONTROL_SHARE = 0.01


def bom_encoding(data: bytes) -> str | None:
    for bom, enc in _BOMS:
        if data.startswith(bom):
            return enc
    return None


def decode_bytes(data: bytes) -> tuple[str, str]:
    """(text, encoding) for ``data``; raises InputError (reason only) for binary or undecodable data."""
    if not data:
        raise InputError("empty file")
    enc = bom_encoding(data)
    if enc:
        try:
            return _checked(data.decode(enc)), enc
        except UnicodeDecodeError as e:
            raise InputError(f"undecodable {enc} text at byte {e.start}") from e
    nul = data.count(b"\x00")
    if nul and nul / len(data) <= MAX_CONTROL_SHARE:
        data = data.replace(b"\x00", b"")  # stray NULs, as in some crawled pages (one l3s-gn1 page has 27)
    if b"\x00" not in data:
        try:
            return _checked(data.decode("utf-8")), "utf-8"
        except UnicodeDecodeError:
            pass
    best = charset_normalizer.from_bytes(data[: 1 << 20]).best()
    if best is None or (
        b"\x00" in data and not best.encoding.startswith("utf_16") and "32" not in best.encoding
    ):
        raise InputError("binary data, not text")
    try:
        text = data.decode(best.encoding)
    except (UnicodeDecodeError, LookupError) as e:
        raise InputError(f"undecodable bytes (best guess {best.encoding})") from e
    return _checked(text), best.encoding


def looks_binary(sample: str) -> bool:
    """Whether decoded text holds more control characters than text does (``MAX_CONTROL_SHARE``)."""
    controls = sum(1 for c in sample if (ord(c) < 32 and c not in "\t\n\r\f") or ord(c) == 127)
    return bool(sample) and controls / len(sample) > MAX_CONTROL_SHARE


def _checked(text: str) -> str:
    if text.startswith("\ufeff"):
        text = text[1:]
    if looks_binary(text[:65536]):
        raise InputError("binary data, not text")
    return text
