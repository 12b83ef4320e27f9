"""The claims of every stored story, as rows (``newsweave export claims``).

Claims are not stored: each is a sentence, or sentences aligned across sources, of a story's comparison
(docs/compare-schema.md). The rows are the claims of :func:`newsweave.views.comparison.compare_story` for
every stored story in turn (one comparison in memory at a time), with the story id, the claim's status and
its evidence in each source (article, outlet, character span and text).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pyarrow as pa

from newsweave.store import Store
from newsweave.views.comparison import StoryCompareOptions, compare_story

_STR, _INT, _FLOAT = pa.string(), pa.int64(), pa.float64()
EVIDENCE = pa.struct([("article_id", _STR), ("source", _STR), ("start", _INT), ("end", _INT), ("text", _STR)])
CLAIM_SCHEMA = pa.schema(
    [("story_id", _STR), ("claim_id", _STR), ("status", _STR), ("text", _STR), ("score", _FLOAT),
     ("n_sources", _INT), ("independent_sources", _INT), ("sources", pa.list_(_STR)),
     ("evidence", pa.list_(EVIDENCE))]
)  # fmt: skip


def claim_rows(store: Store, options: StoryCompareOptions | None = None) -> Iterator[dict[str, Any]]:
    """Every claim of every stored story's comparison, story by story (stories in their listing order)."""
    opts = options or StoryCompareOptions()
    for story in store.list_stories():
        comparison = compare_story(store, story.id, opts).comparison
        for c in comparison.claims:
            yield {
                "story_id": story.id,
                "claim_id": c.id,
                "status": c.status,
                "text": c.text,
                "score": round(float(c.score), 4),
                "n_sources": len({e.article_id for e in c.evidence}),
                "independent_sources": c.independent_sources,
                "sources": list(c.sources),
                "evidence": [
                    {
                        "article_id": e.article_id,
                        "source": e.source,
                        "start": e.start,
                        "end": e.end,
                        "text": e.text,
                    }
                    for e in c.evidence
                ],
            }
