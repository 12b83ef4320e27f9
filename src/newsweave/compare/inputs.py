"""Articles for an ad-hoc comparison: files through the ingest stage (any format it reads)."""

from __future__ import annotations

import logging
from collections.abc import Sequence

from newsweave.errors import InputError
from newsweave.model import Article, Rejected

log = logging.getLogger(__name__)


def load_articles(paths: Sequence[str]) -> tuple[list[Article], list[Rejected]]:
    """Read every path (file, folder, glob) with the ingest stage; rejected inputs are returned too."""
    from newsweave.ingest import IngestOptions, read_inputs

    arts: list[Article] = []
    rejected: list[Rejected] = []
    for item in read_inputs(list(paths), IngestOptions()):
        if isinstance(item, Article):
            arts.append(item)
        else:
            rejected.append(item)
    if not arts and not rejected:
        raise InputError("no articles found", path=", ".join(paths))
    return arts, rejected
