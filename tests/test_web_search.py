"""Search: the BM25 library call, the ``search`` command, the API and the search page."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.errors import UsageError
from newsweave.store import Store
from newsweave.views.search import SearchCache, SearchIndex, SearchOptions
from newsweave.web import WebOptions, create_app
from webclient import get


@pytest.fixture(scope="module")
def index(demo_store: Path) -> SearchIndex:
    with Store.open(demo_store, read_only=True) as s:
        return SearchIndex.build(s)


@pytest.fixture(scope="module")
def texts(demo_store: Path) -> dict[str, str]:
    with Store.open(demo_store, read_only=True) as s:
        return {a.id: a.text for a in s.iter_articles()}


def test_words_rank_the_articles_that_hold_them(index: SearchIndex, texts: dict[str, str]) -> None:
    hits, total = index.search("barge collision", SearchOptions(kinds=("article",), limit=50))
    assert hits and total == len(hits)
    holders = {i for i, t in texts.items() if "barge" in t.lower() or "collision" in t.lower()}
    assert {h.article_id for h in hits} == holders
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    for h in hits:
        assert texts[h.article_id][h.start : h.end] == h.text
        assert re.search(r"barge|collision", h.text, re.I)
    both = {h.article_id for h in hits[:3]}
    assert all("barge" in texts[i].lower() for i in both)  # the top hits have the rarer word


def test_a_speaker_finds_their_quotes(index: SearchIndex, texts: dict[str, str]) -> None:
    hits, total = index.search("", SearchOptions(speaker="wren", limit=50))
    assert total == len(hits) >= 2 and {h.kind for h in hits} == {"quote"}
    assert all("wren" in (h.speaker or "").lower() for h in hits)
    for h in hits:
        assert texts[h.article_id][h.start : h.end] == h.text
    dates = [h.published_at for h in hits]
    assert dates == sorted(dates)  # a speaker's quotes: oldest first
    by_name, _ = index.search("Wren", SearchOptions(kinds=("quote",), limit=50))
    assert {(h.article_id, h.start) for h in hits} <= {(h.article_id, h.start) for h in by_name}
    page, total2 = index.search("", SearchOptions(speaker="wren", limit=1), offset=1)
    assert total2 == total and page[0] == hits[1]


def test_a_page_is_the_top_of_the_full_ranking(index: SearchIndex) -> None:
    full, total = index.search("ferry barge harbour council", SearchOptions(limit=500))
    assert total == len(full) > 8
    page, total2 = index.search("ferry barge harbour council", SearchOptions(limit=3), offset=2)
    assert total2 == total and [(h.kind, h.score) for h in page] == [(h.kind, h.score) for h in full[2:5]]


def test_search_errors(index: SearchIndex) -> None:
    with pytest.raises(UsageError):
        index.search("   ")
    with pytest.raises(UsageError):
        index.search("ferry", SearchOptions(kinds=("claims",)))
    assert index.search("zyzzyvaquux", SearchOptions()) == ([], 0)


def test_claims_are_sentences_that_hold_the_words(
    demo_store: Path, index: SearchIndex, texts: dict[str, str]
) -> None:
    from newsweave.store.analysis import sentence_spans

    with Store.open(demo_store, read_only=True) as s:
        sentences = set(sentence_spans(s))
    hits, total = index.search("barge collision", SearchOptions(kinds=("claim",), limit=500))
    assert hits and total == len(hits)
    for h in hits:
        assert (h.article_id, h.start, h.end) in sentences  # each hit is one stored sentence
        assert texts[h.article_id][h.start : h.end] == h.text
        assert re.search(r"barg|collision", h.text, re.I)
    holding = {
        (a, st, en)
        for a, st, en in sentences
        if re.search(r"\bbarges?\b|\bcollisions?\b", texts[a][st:en], re.I)
    }
    assert holding <= {(h.article_id, h.start, h.end) for h in hits}


def test_entities_are_found_by_name_with_their_label_and_articles(
    demo_store: Path, index: SearchIndex, texts: dict[str, str]
) -> None:
    hits, total = index.search("Wren", SearchOptions(kinds=("entity",), limit=50))
    assert hits and total == len(hits)
    wren = next(h for h in hits if h.text == "Tobias Wren")
    assert wren.label == "PERSON" and wren.articles is not None and wren.articles >= 2
    assert "Wren" in texts[wren.article_id][wren.start : wren.end]  # its first mention in that article
    naming = sum("Wren" in t for t in texts.values())
    assert wren.articles <= naming
    mixed, _ = index.search("Tobias Wren", SearchOptions(limit=200))
    assert {h.kind for h in mixed} >= {"entity", "claim", "article", "quote"}


def test_cache_rebuilds_when_the_store_changes(demo_store: Path, tmp_path: Path) -> None:
    from newsweave.pipeline import AddOptions, add_inputs

    db = tmp_path / "s.duckdb"
    shutil.copy(demo_store, db)
    cache = SearchCache()
    with Store.open(db) as s:
        first = cache.get(s)
        assert cache.get(s) is first
        assert first.search("quokka", SearchOptions()) == ([], 0)
        new = tmp_path / "new.txt"
        new.write_text("Title: Quokka sighted\nSource: test.example\n\nA quokka was sighted near the quay.\n")
        add_inputs(s, [str(new)], AddOptions(analyse=False, cluster=False))
        second = cache.get(s)
        assert second is not first and second.search("quokka", SearchOptions())[1] == 1


def test_cli_search_json(demo_store: Path, tmp_path: Path) -> None:
    db = tmp_path / "cli.duckdb"
    shutil.copy(demo_store, db)
    res = CliRunner().invoke(app, ["search", "--speaker", "wren", "--db", str(db), "--json", "--limit", "1"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.stdout)
    assert out["total"] >= 2 and len(out["items"]) == 1 and "Wren" in out["items"][0]["speaker"]
    res = CliRunner().invoke(
        app, ["search", "ferry", "barge", "--kind", "article", "--db", str(db), "--json"]
    )
    assert res.exit_code == 0 and {i["kind"] for i in json.loads(res.stdout)["items"]} == {"article"}
    assert CliRunner().invoke(app, ["search", "--kind", "claims", "x", "--db", str(db)]).exit_code != 0


@pytest.fixture(scope="module")
def web(demo_store: Path):
    application = create_app(demo_store, WebOptions(embeddings=False, page_size=2))
    yield application
    application.state.store.close()


def test_api_search_pages(web, index: SearchIndex) -> None:
    want, total = index.search("", SearchOptions(speaker="wren", limit=50))
    url: str | None = "/api/search?speaker=wren&limit=1"
    got = []
    while url:
        body = get(web, url).json()
        assert body["total"] == total and body["speaker"] == "wren"
        got += body["items"]
        url = body["next"]
    assert got == [h.to_dict() for h in want]
    assert get(web, "/api/search?q=%20").status_code == 400
    assert get(web, "/api/search?q=x&kind=claims").status_code == 422
    ent = get(web, "/api/search?q=Wren&kind=entity").json()
    assert ent["items"] and {i["kind"] for i in ent["items"]} == {"entity"} and ent["items"][0]["label"]


def test_search_page_links_to_the_hit(web) -> None:
    html = get(web, "/search?speaker=wren").text
    assert html.count('class="hit hit-quote"') == 2 and 'rel="next"' in html  # page_size 2
    href = re.findall(r'class="hit-link" href="([^"]+)"', html)[0].replace("&amp;", "&")
    article = get(web, href).text
    marked = re.findall(r'<mark class="[^"]*m-hit[^"]*"[^>]*>(.*?)</mark>', article, re.S)
    assert marked and "safety" in "".join(marked)
    entity = get(web, "/search?q=Wren&kind=entity").text
    assert 'class="hit hit-entity"' in entity and 'href="/?entity=Tobias%20Wren"' in entity
    assert "PERSON named in" in entity
    hostile = get(web, "/search?q=<script>alert(1)</script>").text
    assert "<script>alert" not in hostile and "&lt;script&gt;alert(1)&lt;/script&gt;" in hostile
