"""Stored sentence vectors and part-of-speech tags: the comparison of a stored story reads them instead of
loading MiniLM and spaCy, and its result is identical to the one computed afresh (issue #20, speed)."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from conftest import DATA
from newsweave import embed
from newsweave.cli import app
from newsweave.compare import CompareOptions, compare_articles, tagging
from newsweave.embed_store import TextCache, text_key
from newsweave.model import Article, Story
from newsweave.report import json_report
from newsweave.store import Store, schema

GALAXY = DATA / "galaxy-wikinews-events" / "articles.jsonl"
EVENT = "wikinews_medium-003"  # a cross-source-dev story: four articles on one bus crash


def _vec(seed: int) -> bytes:
    return np.random.default_rng(seed).standard_normal(embed.DIM).astype(np.float32).tobytes()


def test_vectors_and_tags_are_kept_by_model_and_text_hash(store_target: object) -> None:
    with Store.open(store_target) as s:
        assert s.schema_version() == schema.LATEST >= 3
        assert s.save_text_vectors("m1", {"k1": _vec(1), "k2": _vec(2)}) == 2
        # idempotent: a key already stored keeps its first value; only the new key is added
        assert s.save_text_vectors("m1", {"k1": _vec(9), "k3": _vec(3)}) == 1
        assert s.save_text_tags("t1", {"k1": '[[0,"JJ"]]'}) == 1
        assert s.save_text_tags("t1", {"k1": '[[0,"NN"]]'}) == 0
    with Store.open(store_target, read_only=True) as s:
        assert s.text_vectors("m1", ["k1", "k2", "k3", "k4"]) == {"k1": _vec(1), "k2": _vec(2), "k3": _vec(3)}
        assert s.text_vectors("m2", ["k1"]) == {}  # another model never reads these
        assert s.text_tags("t1", ["k1", "k2"]) == {"k1": '[[0,"JJ"]]'}
        assert s.text_vectors("m1", []) == {}


class _FakeModel:
    """A stand-in for MiniLM that counts the texts it embeds (vectors derived from the text)."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def __call__(self, texts):
        self.calls.append(list(texts))
        return np.stack([np.frombuffer(_vec(len(t) * 31 + ord(t[0])), dtype=np.float32) for t in texts])


def test_the_embedder_reads_stored_vectors_and_embeds_only_what_is_missing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = _FakeModel()
    monkeypatch.setattr(embed, "get_embedder", lambda: model)
    monkeypatch.setattr(embed, "model_id", lambda: "fake-1")
    with Store.open(tmp_path / "s.duckdb") as s:
        first = TextCache.of_store(s)
        got = first.embedder()(["Alpha one.", "Beta two.", "Alpha one."])  # type: ignore[misc]
        assert model.calls == [["Alpha one.", "Beta two.", "Alpha one."]]
        assert first.pending() and first.save(s) == 2 and not first.pending()

        model.calls.clear()
        second = TextCache.of_store(s)
        again = second.embedder()(["Beta two.", "Alpha one."])  # type: ignore[misc]
        assert model.calls == []  # all stored: the model is not asked
        assert again.tobytes() == got[[1, 0]].tobytes() and second.counts.vectors_read == 2
        # a changed text is embedded afresh, the stored one still read
        third = TextCache.of_store(s)
        third.embedder()(["Beta two!", "Alpha one."])  # type: ignore[misc]
        assert model.calls == [["Beta two!"]]
        assert list(third.new_vectors["fake-1"]) == [text_key("Beta two!")]
        # another model (or version) never reads the stored vectors
        monkeypatch.setattr(embed, "model_id", lambda: "fake-2")
        model.calls.clear()
        TextCache.of_store(s).embedder()(["Alpha one."])  # type: ignore[misc]
        assert model.calls == [["Alpha one."]]


def _story_articles() -> list[Article]:
    from newsweave.ingest import read_text_article

    rows: dict[str, list[dict]] = defaultdict(list)
    with open(GALAXY, encoding="utf-8") as f:
        for line in f:
            r = json.loads(line)
            rows[r["event_id"]].append(r)
    out = []
    for r in rows[EVENT]:
        head = (
            f"Title: {r.get('title') or ''}\nURL: {r.get('url') or ''}\nDate: {r.get('created_at') or ''}\n\n"
        )
        out.append(read_text_article(head + r["text"], path=f"{r['id']}.txt"))
    assert len(out) == 4
    return out


def _forbid_models(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_model():
        raise AssertionError("the embedding model was loaded although every vector is stored")

    def no_tagger():
        raise AssertionError("spaCy's tagger was loaded although every tag is stored")

    monkeypatch.setattr(embed, "get_embedder", no_model)
    monkeypatch.setattr(tagging, "_tagger", no_tagger)


@pytest.fixture(scope="module")
def story_articles():
    from newsweave.analyse import AnalyseOptions, analyse_articles

    arts = _story_articles()
    return arts, analyse_articles(arts, AnalyseOptions())


def test_a_comparison_with_stored_vectors_and_tags_is_identical_to_a_fresh_one(
    story_articles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arts, analyses = story_articles
    fresh = json_report.dumps(compare_articles(arts, analyses, CompareOptions()))  # no store at all
    with Store.open(tmp_path / "s.duckdb") as s:
        cold_cache = TextCache.of_store(s)
        cold = json_report.dumps(compare_articles(arts, analyses, CompareOptions(), cold_cache))
        assert cold_cache.counts.vectors_computed > 100 and cold_cache.counts.tags_computed > 0
        assert cold_cache.save(s) == cold_cache.counts.vectors_computed + cold_cache.counts.tags_computed
        _forbid_models(monkeypatch)
        warm_cache = TextCache.of_store(s)
        warm = json_report.dumps(compare_articles(arts, analyses, CompareOptions(), warm_cache))
    assert warm_cache.counts.vectors_computed == warm_cache.counts.tags_computed == 0
    assert warm_cache.counts.vectors_read > 100 and not warm_cache.pending()
    assert json.loads(fresh)["summary"]["embeddings_used"] is True
    assert fresh == cold == warm


def test_a_comparison_reads_back_from_its_json_unchanged(story_articles) -> None:
    from newsweave.report.markdown import render_markdown

    arts, analyses = story_articles
    comp = compare_articles(arts, analyses, CompareOptions())
    d = json_report.to_dict(comp)
    back = json_report.from_dict(json.loads(json.dumps(d)))
    assert json_report.to_dict(back) == d and back == comp
    assert render_markdown(back) == render_markdown(comp)


def _stored_story(db: Path, arts, analyses) -> str:
    from newsweave.store.stories import StoryUpdate

    with Store.open(db) as s:
        s.add_articles(arts)
        s.save_analysis(analyses, model="test")
        ids = tuple(a.id for a in arts)
        s.save_stories(
            StoryUpdate(stories=(Story("sstoredreport01", ids, arts[0].title),), seqs={"sstoredreport01": 1})
        )
    return "sstoredreport01"


def test_report_stores_its_comparison_and_vectors_and_the_next_report_compares_nothing(
    story_articles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    arts, analyses = story_articles
    db = tmp_path / "r.duckdb"
    story = _stored_story(db, arts, analyses)
    runner = CliRunner()
    first = runner.invoke(app, ["report", story, "--json", "--db", str(db)])
    assert first.exit_code == 0, (first.output, first.exception)
    with Store.open(db, read_only=True) as s:
        (n_vectors,) = s.query("SELECT count(*) FROM text_vectors")[0]
        (n_tags,) = s.query("SELECT count(*) FROM text_tags")[0]
        assert s.query("SELECT story_id FROM story_comparisons") == [(story,)]
    assert n_vectors > 100 and n_tags > 0

    def no_comparison(*args, **kwargs):
        raise AssertionError("compared again although the stored comparison is current")

    with monkeypatch.context() as m:  # the second report prints the stored comparison
        m.setattr("newsweave.compare.compare_articles", no_comparison)
        _forbid_models(m)
        second = runner.invoke(app, ["report", story, "--json", "--db", str(db)])
        assert second.exit_code == 0, (second.output, second.exception)
        assert second.stdout == first.stdout
        md = runner.invoke(app, ["report", story, "--md", "--db", str(db)])
        assert md.exit_code == 0 and "|" in md.stdout
    _forbid_models(monkeypatch)  # compared again: from the stored vectors and tags, no model loaded
    third = runner.invoke(app, ["report", story, "--json", "--recompare", "--db", str(db)])
    assert third.exit_code == 0, (third.output, third.exception)
    assert third.stdout == first.stdout
    assert json.loads(third.stdout)["summary"]["embeddings_used"] is True
    with Store.open(db, read_only=True) as s:  # nothing new to store
        assert s.query("SELECT count(*) FROM text_vectors")[0][0] == n_vectors


def test_the_stored_comparison_key_changes_with_what_the_result_depends_on(
    story_articles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsweave.views import stored
    from newsweave.views.comparison import StoryCompareOptions

    arts, analyses = story_articles
    db = tmp_path / "k.duckdb"
    story_id = _stored_story(db, arts, analyses)
    with Store.open(db) as s:
        story = s.get_story(story_id)
        base = stored.comparison_key(s, story, StoryCompareOptions())
        assert stored.comparison_key(s, story, StoryCompareOptions()) == base
        assert (
            stored.comparison_key(s, story, StoryCompareOptions(compare=CompareOptions(embeddings=False)))
            != base
        )
        assert stored.comparison_key(s, story, StoryCompareOptions(analyse=False)) != base
        fewer = Story(story.id, story.article_ids[:-1], story.title)
        assert stored.comparison_key(s, fewer, StoryCompareOptions()) != base
        s.save_analysis(analyses[:1], model="test")  # one article analysed again
        reanalysed = stored.comparison_key(s, story, StoryCompareOptions())
        assert reanalysed != base
        monkeypatch.setattr(stored, "code_fingerprint", lambda: "another newsweave")
        assert stored.comparison_key(s, story, StoryCompareOptions()) != reanalysed
        outlets = tmp_path / "outlets.toml"
        outlets.write_text("", encoding="utf-8")
        before = stored.comparison_key(s, story, StoryCompareOptions())
        monkeypatch.setenv("NEWSWEAVE_OUTLETS", str(outlets))
        assert stored.comparison_key(s, story, StoryCompareOptions()) != before


def test_a_new_stored_comparison_replaces_the_storys_old_one(store_target: object) -> None:
    with Store.open(store_target) as s:
        assert s.save_comparison("k1", "s1", '{"a": 1}') == 1
        assert s.save_comparison("k1", "s1", '{"a": 2}') == 0  # the same key: kept as it was
        assert s.save_comparison("k9", "s9", '{"other": 1}') == 1
        assert s.save_comparison("k2", "s1", '{"a": 3}') == 1
    with Store.open(store_target, read_only=True) as s:
        assert s.stored_comparison("k1") is None and s.stored_comparison("k2") == '{"a": 3}'
        assert s.stored_comparison("k9") == '{"other": 1}'


def test_a_comparison_with_a_failed_part_is_not_stored(
    story_articles, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsweave.compare import core
    from newsweave.views.comparison import compare_story

    def broken(*args, **kwargs):
        raise RuntimeError("a passing failure")

    arts, analyses = story_articles
    db = tmp_path / "w.duckdb"
    story = _stored_story(db, arts, analyses)
    monkeypatch.setattr(core, "alias_table", broken)
    with Store.open(db) as s:
        first = compare_story(s, story)
        assert any("entities failed" in w for w in first.comparison.warnings) and not first.reused
        assert s.query("SELECT count(*) FROM story_comparisons")[0][0] == 0
        assert s.query("SELECT count(*) FROM text_vectors")[0][0] > 0  # the vectors are kept all the same
    monkeypatch.undo()
    with Store.open(db) as s:
        second = compare_story(s, story)
        assert not second.reused and not second.comparison.warnings and second.comparison.entities
        assert compare_story(s, story).reused
