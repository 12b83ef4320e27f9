"""The one options dataclass of the ingest stage."""

from __future__ import annotations

from dataclasses import dataclass, field

FORMATS = ("auto", "text", "html", "json", "jsonl", "csv", "rss", "warc")

# A single news document (a page, a text file, a feed, a JSON export read whole) is never near this size;
# the 50 MB files of the hostile-input tests are refused by `stat` before a byte is read. Line-oriented
# exports (JSONL, CSV) and WARC archives are streamed instead, and the limit applies to each record.
DEFAULT_MAX_BYTES = 32 * 1024 * 1024
# Decompressed bytes a streamed gzip (a .jsonl.gz, a .csv.gz) may produce before it is treated as a bomb.
DEFAULT_MAX_STREAM_BYTES = 4 * 1024 * 1024 * 1024


@dataclass(frozen=True)
class IngestOptions:
    """How inputs are read.

    source: outlet name forced on every article (``--source``); beats metadata, URL and file name.
    format: one of :data:`FORMATS`; ``auto`` (or None) sniffs the content and looks at the extension.
    field_map: article field -> record column for JSON/JSONL/CSV (``--map text=body``); dotted paths
        (``meta.url``) reach into nested objects.
    max_bytes: largest file read whole, largest record, and largest decompressed document.
    max_stream_bytes: largest decompressed size of a streamed (JSONL/CSV) gzip file.
    follow_symlinks: follow symbolic links in directories (loops are detected either way).
    include_hidden: also read dot-files and dot-directories found while walking a directory.
    extract_html_fields: run HTML extraction on record/feed fields that hold HTML markup.
    """

    source: str | None = None
    format: str | None = None
    field_map: dict[str, str] = field(default_factory=dict)
    max_bytes: int = DEFAULT_MAX_BYTES
    max_stream_bytes: int = DEFAULT_MAX_STREAM_BYTES
    follow_symlinks: bool = True
    include_hidden: bool = False
    extract_html_fields: bool = True

    def __hash__(self) -> int:  # field_map is a dict; hash what identifies the options
        return hash((self.source, self.format, tuple(sorted(self.field_map.items())), self.max_bytes))
