"""End to end: the comparison finds every difference planted in the sample corpus (examples/README.md)."""

from __future__ import annotations

import json
import re

import pytest

from conftest import REPO
from newsweave.analyse import analyse_articles
from newsweave.compare import CompareOptions, compare_articles
from newsweave.ingest import read_inputs
from newsweave.model import Article

README = REPO / "examples" / "README.md"


@pytest.fixture(scope="module")
def demo():
    spec = json.loads(re.search(r"```json\n(.*?)```", README.read_text(encoding="utf-8"), re.S).group(1))
    arts = [a for a in read_inputs([str(REPO / "examples" / "corpus")]) if isinstance(a, Article)]
    by_title = {" ".join((a.title or "").split()): a for a in arts}
    key = {e["key"]: by_title[" ".join(e["title"].split())] for e in spec["articles"]}
    events = {}
    for ev in spec["events"]:
        keys = [e["key"] for e in spec["articles"] if e["event"] == ev]
        members = [key[k] for k in keys]
        comp = compare_articles(members, analyse_articles(members), CompareOptions(embeddings=False))
        events[ev] = (comp, {a.id: k for k, a in zip(keys, members, strict=True)})
    return spec, events


def _items(spec, kind):
    return [p for p in spec["planted"] if p["kind"] == kind]


def _hits(group, names, phrases):
    """Articles (keys) of the group whose evidence overlaps each planted phrase's article."""
    return {
        names[e.article_id] for e in group.evidence if names[e.article_id] in {p["article"] for p in phrases}
    }


def _group_with(items, names, phrase):
    """The group whose evidence lies inside (or covers) the planted phrase in its article."""
    out = []
    for g in items:
        for e in g.evidence:
            if names[e.article_id] == phrase["article"] and (
                e.text in phrase["text"] or phrase["text"] in e.text
            ):
                out.append(g)
                break
    return out


def test_reworded_quote(demo):
    spec, events = demo
    for p in _items(spec, "quote_reworded"):
        comp, names = events[p["event"]]
        g = _group_with(comp.quotes, names, p["phrases"][0])
        assert len(g) == 1 and g[0].status == "reworded", p
        assert _hits(g[0], names, p["phrases"]) == set(p["articles"])
        assert any(d.op != "equal" for d in g[0].diff)


def test_identical_quotes(demo):
    spec, events = demo
    for p in _items(spec, "quote_identical"):
        comp, names = events[p["event"]]
        groups = _group_with(comp.quotes, names, p["phrases"][0])  # one per quoted sentence
        assert groups and all(g.status == "identical" for g in groups), p
        for g in groups:
            assert {names[e.article_id] for e in g.evidence} == set(p["articles"])
            assert g.speaker == p["speaker"], p


def test_split_quote(demo):
    spec, events = demo
    (p,) = _items(spec, "quote_split")
    comp, names = events[p["event"]]
    groups = [q for q in comp.quotes if q.status != "single" and {names[e.article_id] for e in q.evidence} == {"A1", "A4"}
              and q.speaker == "Liesel Tamm"]  # fmt: skip
    assert len(groups) == 2 and all(q.status == "identical" for q in groups)


def test_number_conflict_and_agreements(demo):
    spec, events = demo
    (p,) = _items(spec, "number_conflict")
    comp, names = events[p["event"]]
    g = [n for n in comp.numbers if n.status == "conflict"]
    assert len(g) == 1 and {names[e.article_id] for e in g[0].evidence} == set(p["articles"])
    for p in _items(spec, "number_agree"):
        comp, names = events[p["event"]]
        g = _group_with(comp.numbers, names, p["phrases"][0])
        assert len(g) == 1 and g[0].status == "agree", p
        assert {names[e.article_id] for e in g[0].evidence} >= set(p["articles"]), p


def test_rewrite_and_syndication_are_one_source(demo):
    spec, events = demo
    for kind in ("rewrite", "syndicated"):
        for p in _items(spec, kind):
            comp, names = events[p["event"]]
            groups = {names[s.article_id]: s.independent_group for s in comp.sources}
            a, b = p["articles"]
            assert groups[a] == groups[b], p
            # independent sources are outlets (examples/README.md), less the one copy or rewrite
            outlets = {s.source for s in comp.sources}
            assert len(set(groups.values())) == len(outlets) - 1, (groups, outlets)
            assert comp.independent_sources == len(outlets) - 1


def test_alias_and_distinct_people(demo):
    spec, events = demo
    (p,) = _items(spec, "alias")
    comp, _ = events[p["event"]]
    rows = [r for r in comp.entities if any("chenko" in f for _, fs in r.forms for f in fs)]
    assert len(rows) == 1
    forms = {f for _, fs in rows[0].forms for f in fs}
    assert any("Marchenko" in f for f in forms) and any("Martchenko" in f for f in forms)
    (p,) = _items(spec, "distinct_people")
    comp, _ = events[p["event"]]
    canon = [r.canonical for r in comp.entities if "Hollis" in r.canonical]
    assert any("Petra" in c for c in canon) and any("Gareth" in c for c in canon)
    assert not any("Petra" in c and "Gareth" in c for c in canon)
    q = [x for x in comp.quotes if any("Every major project" in e.text for e in x.evidence)]
    assert q and q[0].speaker == "Petra Hollis"


def test_single_source_items(demo):
    spec, events = demo
    for p in _items(spec, "single_source"):
        comp, names = events[p["event"]]
        ph = p["phrases"][0]
        claims = [c for c in comp.claims if any(ph["text"] in e.text for e in c.evidence)]
        numbers = _group_with(comp.numbers, names, ph)
        found = claims or numbers
        assert found, p
        assert all(x.status == "single" for x in found), p
