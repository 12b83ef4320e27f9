"""Disjoint sets: groups equal the connected components of the unions, in first-appearance order."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from newsweave.unionfind import DisjointSets


def test_union_keeps_the_first_representative() -> None:
    s = DisjointSets("abcd")
    assert s.union("a", "b") and s.union("c", "d") and s.union("d", "b")
    assert not s.union("a", "c")
    assert s.find("a") == s.find("d") == "c"
    assert s.groups("dcba") == [["d", "c", "b", "a"]]


@given(
    st.integers(1, 30).flatmap(
        lambda n: st.tuples(st.just(n), st.lists(st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))))
    )
)
def test_groups_are_the_connected_components(case: tuple[int, list[tuple[int, int]]]) -> None:
    n, edges = case
    s = DisjointSets(range(n))
    for a, b in edges:
        s.union(a, b)
    # reference: repeated relaxation of component labels
    label = list(range(n))
    changed = True
    while changed:
        changed = False
        for a, b in edges:
            m = min(label[a], label[b])
            for x in (a, b):
                if label[x] != m:
                    label[x], changed = m, True
    groups = s.groups(range(n))
    assert sorted(x for g in groups for x in g) == list(range(n))
    for g in groups:
        assert len({label[x] for x in g}) == 1
    assert len(groups) == len(set(label))
    assert [g[0] for g in groups] == sorted(g[0] for g in groups)
