"""The structural digest of a comparison kept as golden JSON: statuses, offsets, short phrases, hashes.

No article text is stored beyond number phrases and names (a few words): quotes and claims are kept as
offsets plus the first 12 hex digits of the SHA-1 of their text.

Regenerate after an intended change (and review the diff):
    .venv/bin/python tests/golden/compare_digest.py
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
GOLDEN = HERE / "compare_seeds.json"
SEEDS = HERE.parents[2] / "shared" / "seeds"
SEED_FILES = ("000_666de918b7cbd441.txt", "002_739fb78023f2cadc.txt")


def _h(text: str) -> str:
    return hashlib.sha1(text.encode("utf-8")).hexdigest()[:12]


def seed_comparison():
    os.environ["NEWSWEAVE_EMBED"] = "0"
    from newsweave.compare import CompareOptions, compare_articles
    from newsweave.ingest import read_text_article

    arts = [
        read_text_article((SEEDS / f).read_text(encoding="utf-8"), path=str(SEEDS / f)) for f in SEED_FILES
    ]
    return arts, compare_articles(arts, None, CompareOptions(embeddings=False))


def digest(arts, comp) -> dict[str, Any]:
    index = {a.id: i for i, a in enumerate(arts)}

    def ev(e, phrase: bool) -> list[Any]:
        return [index[e.article_id], e.start, e.end, e.text if phrase else _h(e.text)]

    def counts(items) -> dict[str, int]:
        out: dict[str, int] = {}
        for x in items:
            out[x.status] = out.get(x.status, 0) + 1
        return dict(sorted(out.items()))

    return {
        "sources": [{"article": index[s.article_id], "independent_group": s.independent_group} for s in comp.sources],
        "quotes": {
            "counts": counts(comp.quotes),
            "multi": [{"status": q.status, "evidence": [ev(e, False) for e in q.evidence]}
                      for q in comp.quotes if q.status != "single"],
        },
        "numbers": {
            "counts": counts(comp.numbers),
            "groups": [{"status": n.status, "unit": n.unit, "evidence": [ev(e, True) for e in n.evidence]}
                       for n in comp.numbers],
        },
        "claims": {
            "counts": counts(comp.claims),
            "multi": [{"status": c.status, "evidence": [ev(e, False) for e in c.evidence]}
                      for c in comp.claims if c.status != "single"],
        },
        "entities_in_both": sorted(r.canonical for r in comp.entities if len(r.forms) > 1),
    }  # fmt: skip


def main() -> int:
    arts, comp = seed_comparison()
    GOLDEN.write_text(json.dumps(digest(arts, comp), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"wrote {GOLDEN}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1] / "src"))
    sys.exit(main())
