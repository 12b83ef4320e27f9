"""The versions of a stored article, looked up by id (or unique prefix) or by the URL it was fetched from,
as values and as the JSON the CLI and the web app print."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from newsweave.errors import NotFoundError, UsageError
from newsweave.fetch.changes import Change, changes_between, word_diff
from newsweave.fetch.documents import canonical_url
from newsweave.fetch.watch import is_url
from newsweave.model import ArticleVersion
from newsweave.store import Store


def article_versions(store: Store, ref: str) -> tuple[str, list[ArticleVersion]]:
    """(article id, its versions oldest first) for an article id, id prefix or fetched URL.

    An article that was read from a file, never fetched, has no versions: NotFoundError says so.
    """
    if is_url(ref):
        found = store.article_for_url(canonical_url(ref)) or store.article_for_url(ref)
        if found is None:
            raise NotFoundError(f"no fetched article for URL {ref}")
        article_id = found
    else:
        article_id = store.resolve_id(ref)
    versions = store.versions_of(article_id)
    if not versions:
        raise NotFoundError(f"article {article_id} was not fetched from a URL, so it has no versions")
    return article_id, versions


def article_changes(store: Store, article_id: str) -> list[Change]:
    """Every change of a stored article, version after version, oldest first (empty when it was never
    fetched or never changed): what a comparison or a web page shows beside the article."""
    versions = store.versions_of(article_id)
    return [c for old, new in zip(versions, versions[1:], strict=False) for c in changes_between(old, new)]


def stored_changes(store: Store, article_ids: Sequence[str]) -> dict[str, list[Change]]:
    """The changes of each of ``article_ids`` between its fetched versions (only those that changed),
    read without writing: what the comparison of a stored story shows ("toll updated from 12 to 14")."""
    out: dict[str, list[Change]] = {}
    for aid, versions in store.stored_versions(article_ids).items():
        changes = [
            c for old, new in zip(versions, versions[1:], strict=False) for c in changes_between(old, new)
        ]
        if changes:
            out[aid] = changes
    return out


def pick_versions(
    versions: list[ArticleVersion], v1: int | None, v2: int | None
) -> tuple[ArticleVersion, ArticleVersion]:
    """The two versions to compare: the ones named, or the last two (UsageError for a number not stored)."""
    by_number = {v.version: v for v in versions}
    if v1 is None and v2 is None:
        if len(versions) < 2:
            raise UsageError(f"article {versions[0].article_id} has only one version; nothing to compare")
        return versions[-2], versions[-1]
    if v1 is None or v2 is None:
        raise UsageError("give two version numbers, or none for the last two")
    for n in (v1, v2):
        if n not in by_number:
            raise UsageError(
                f"article {versions[0].article_id} has no version {n} (versions 1 to {len(versions)})"
            )
    return by_number[v1], by_number[v2]


def version_json(v: ArticleVersion, with_text: bool = False) -> dict[str, Any]:
    out: dict[str, Any] = {
        "article_id": v.article_id,
        "version": v.version,
        "content_id": v.content_id,
        "fetched_at": v.fetched_at.isoformat(),
        "url": v.url,
        "title": v.title,
        "published_at": v.published_at.isoformat() if v.published_at else None,
        "published_raw": v.published_raw,
        "updated_at": v.updated_at.isoformat() if v.updated_at else None,
        "updated_raw": v.updated_raw,
        "words": len(v.text.split()),
    }
    if with_text:
        out["text"] = v.text
    return out


def diff_json(old: ArticleVersion, new: ArticleVersion) -> dict[str, Any]:
    return {
        "article_id": old.article_id,
        "from": version_json(old),
        "to": version_json(new),
        "changes": [c.to_dict() for c in changes_between(old, new)],
        "diff": [{"op": op, "before": a, "after": b} for op, a, b in word_diff(old.text, new.text)],
    }
