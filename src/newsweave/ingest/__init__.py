"""newsweave.ingest: files, directories, globs and stdin to :class:`~newsweave.model.Article` values.

Formats: plain text (seed layouts and header lines), HTML (trafilatura), JSON / JSONL / CSV exports,
RSS / Atom (feedparser), WARC (warcio); any of them gzipped. Every input that cannot become an article is
a :class:`~newsweave.model.Rejected` with the file, the position and the reason, and reading goes on.

    from newsweave.ingest import IngestOptions, read_inputs
    for item in read_inputs(["news/", "feed.xml"], IngestOptions(source=None)):
        ...
"""

from newsweave.ingest.build import Fields, build_article, paragraph_spans, parse_date
from newsweave.ingest.html import quiet_extractors
from newsweave.ingest.options import FORMATS, IngestOptions
from newsweave.ingest.reader import read_blobs, read_inputs
from newsweave.ingest.text import format_header, parse_header, read_text_article
from newsweave.model import Article, Rejected

__all__ = [
    "FORMATS",
    "Article",
    "Fields",
    "IngestOptions",
    "Rejected",
    "build_article",
    "format_header",
    "paragraph_spans",
    "parse_date",
    "parse_header",
    "read_blobs",
    "read_inputs",
    "quiet_extractors",
    "read_text_article",
]
