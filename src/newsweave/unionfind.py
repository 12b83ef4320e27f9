"""Disjoint sets (union-find with path halving), used wherever items are merged into groups: copies and
rewrites into independent reports, sentences into claims, quote fragments into utterances, number mentions
into facts."""

from __future__ import annotations

from collections.abc import Hashable, Iterable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)


class DisjointSets(Generic[K]):
    def __init__(self, items: Iterable[K]) -> None:
        self.parent: dict[K, K] = {k: k for k in items}

    def __contains__(self, item: object) -> bool:
        return item in self.parent

    def find(self, x: K) -> K:
        """The representative of ``x``'s set."""
        parent = self.parent
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(self, keep: K, other: K) -> bool:
        """Merge the set of ``other`` into the set of ``keep`` (whose representative stays); False when
        they were one set already."""
        rk, ro = self.find(keep), self.find(other)
        if rk == ro:
            return False
        self.parent[ro] = rk
        return True

    def groups(self, order: Iterable[K]) -> list[list[K]]:
        """The sets as lists, in the order their first member appears in ``order`` (members in that order)."""
        out: dict[K, list[K]] = {}
        for x in order:
            out.setdefault(self.find(x), []).append(x)
        return list(out.values())
