"""Who published what, and which reports are independent (copies and rewrites grouped)."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence

from newsweave.compare.result import SourceInfo
from newsweave.model import Article

log = logging.getLogger(__name__)


def source_name(a: Article) -> str:
    if a.source:
        return a.source
    if a.origin and a.origin.path:
        return a.origin.path.rsplit("/", 1)[-1]
    return a.id[:8]


def independent_groups(articles: Sequence[Article]) -> tuple[dict[str, int], dict[str, str]]:
    """article id -> independent group number (0-based, in input order), and derived -> original ids.

    Uses the dedup stage (exact, near duplicates and rewrites); each article is its own group when that
    stage fails."""
    rewrite_of: dict[str, str] = {}
    try:
        from newsweave.dedup import find_duplicates, find_rewrites
        from newsweave.dedup import independent_groups as groups_of

        dups = find_duplicates(articles)
        rws = find_rewrites(articles)
        groups = groups_of(articles, [*dups, *rws])
        for d in dups:
            rewrite_of.setdefault(d.b, d.a)
        for r in rws:
            rewrite_of.setdefault(r.derived, r.original)
    except Exception as e:  # a failing optional stage must not stop the comparison
        log.warning("independence grouping unavailable (%s): every article counted as independent", e)
        groups = [[a.id] for a in articles]
    out: dict[str, int] = {}
    for n, g in enumerate(groups):
        for aid in g:
            out.setdefault(aid, n)
    for a in articles:
        if a.id not in out:
            out[a.id] = max(out.values(), default=-1) + 1
    return out, rewrite_of


def source_labels(articles: Sequence[Article]) -> dict[str, str]:
    """Article id -> a column heading: the outlet, or "outlet (2)" for an outlet's second article here."""
    total = Counter(source_name(a) for a in articles)
    seen: Counter[str] = Counter()
    out = {}
    for a in articles:
        name = source_name(a)
        seen[name] += 1
        out[a.id] = name if total[name] == 1 else f"{name} ({seen[name]})"
    return out


def source_infos(articles: Sequence[Article], lead_chars: int) -> tuple[list[SourceInfo], int]:
    groups, rewrite_of = independent_groups(articles)
    labels = source_labels(articles)
    infos = []
    for a in articles:
        first = a.text[a.paragraphs[0][0] : a.paragraphs[0][1]] if a.paragraphs else a.text.split("\n", 1)[0]
        lead = first if len(first) <= lead_chars else first[:lead_chars].rsplit(" ", 1)[0] + " ..."
        infos.append(
            SourceInfo(
                article_id=a.id,
                source=source_name(a),
                title=a.title,
                published_at=a.published_at.isoformat() if a.published_at else a.published_raw,
                url=a.url,
                independent_group=groups[a.id],
                path=a.origin.path if a.origin else "",
                lead=lead,
                rewrite_of=rewrite_of.get(a.id),
                label=labels[a.id],
            )
        )
    return infos, len(set(groups.values()))
