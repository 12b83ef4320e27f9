"""Who published what, and which reports are independent.

Independent sources are outlets, not articles: articles of one organisation (one outlet in the registry of
:mod:`newsweave.outlets`, subdomains and domain aliases folded) are one source, and so are copies and
rewrites of one report (the dedup stage's exact, near-duplicate and rewrite links), across outlets."""

from __future__ import annotations

import logging
from collections import Counter
from collections.abc import Sequence

from newsweave.compare.result import SourceInfo
from newsweave.model import Article
from newsweave.outlets import registry
from newsweave.unionfind import DisjointSets

log = logging.getLogger(__name__)


def source_name(a: Article) -> str:
    """The outlet's registered name when the registry knows it, else the article's own source."""
    known = registry().outlet_name(a.source, a.url)
    if known:
        return known
    if a.source:
        return a.source
    if a.origin and a.origin.path:
        return a.origin.path.rsplit("/", 1)[-1]
    return a.id[:8]


def outlet_of(a: Article) -> str:
    """One key per organisation (see :meth:`newsweave.outlets.OutletRegistry.outlet_key`); an article with
    neither URL nor source is its own outlet."""
    return registry().outlet_key(a.source, a.url) or f"article:{a.id}"


def independent_groups(articles: Sequence[Article]) -> tuple[dict[str, int], dict[str, str]]:
    """article id -> independent group number (0-based, in input order), and derived -> original ids.

    Articles of one outlet are one group; so are copies and rewrites (the dedup stage's links; without
    them when that stage fails)."""
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
    sets = DisjointSets(a.id for a in articles)
    for g in groups:
        for aid in g[1:]:
            if aid in sets and g[0] in sets:
                sets.union(g[0], aid)
    first_of_outlet: dict[str, str] = {}
    for a in articles:
        sets.union(first_of_outlet.setdefault(outlet_of(a), a.id), a.id)
    out: dict[str, int] = {}
    for n, g in enumerate(sets.groups(a.id for a in articles)):
        for aid in g:
            out[aid] = n
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
