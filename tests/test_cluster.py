"""Story clustering: the seeds, the sample corpus, stable ids, merges, the store and the CLI."""

from __future__ import annotations

import json
import re
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.cluster import ClusterOptions, StoryClusterer, cluster_batch
from newsweave.cluster.features import entity_keys, raw_features
from newsweave.cluster.headline import headline_of, story_headline
from newsweave.cluster.stage import assign_stories, recluster
from newsweave.errors import NotFoundError
from newsweave.ingest import IngestOptions, read_inputs, read_text_article
from newsweave.model import Article, Story, article_id_for
from newsweave.store import Store
from newsweave.store.history import story_splits
from newsweave.store.stories import get_story, list_stories, story_links, story_merges
from newsweave.store.storylines import get_storyline, list_storylines

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"
SEEDS = REPO.parent / "shared" / "seeds"


@pytest.fixture(scope="module")
def checklist() -> dict:
    readme = (REPO / "examples" / "README.md").read_text(encoding="utf-8")
    return json.loads(re.findall(r"```json\n(.*?)```", readme, flags=re.S)[0])


@pytest.fixture(scope="module")
def corpus(checklist: dict) -> list[tuple[Article, str]]:
    """(article, gold event) for the 20 sample articles."""
    arts = [a for a in read_inputs([str(CORPUS)], IngestOptions()) if isinstance(a, Article)]
    event = {row["title"]: row["event"] for row in checklist["articles"]}
    return [(a, event[a.title]) for a in arts]


def partition(groups: list[list[str]] | list[tuple[str, ...]]) -> set[frozenset[str]]:
    return {frozenset(g) for g in groups}


def gold_partition(corpus: list[tuple[Article, str]]) -> set[frozenset[str]]:
    by: dict[str, set[str]] = {}
    for a, ev in corpus:
        by.setdefault(ev, set()).add(a.id)
    return {frozenset(v) for v in by.values()}


def seeds() -> list[Article]:
    return [
        read_text_article(p.read_text(encoding="utf-8"), path=str(p)) for p in sorted(SEEDS.glob("*.txt"))
    ]


def test_the_two_seeds_form_one_story() -> None:
    a, b = seeds()
    c = StoryClusterer()
    assert c.add(a) == c.add(b)
    (story,) = c.to_stories()
    assert set(story.article_ids) == {a.id, b.id}
    (batch,) = cluster_batch([a, b])
    assert set(batch.article_ids) == {a.id, b.id}


def assert_events_precise_storylines_exact(stories: list[Story], corpus: list[tuple[Article, str]]) -> None:
    """Events never mix two planted events; the storylines are exactly the four planted events."""
    gold = {a.id: ev for a, ev in corpus}
    for s in stories:
        assert len({gold[a] for a in s.article_ids}) == 1, s.title
    lines: dict[str, list[str]] = {}
    for s in stories:
        assert s.storyline_id is not None and s.storyline_id.startswith("l")
        lines.setdefault(s.storyline_id, []).extend(s.article_ids)
    assert partition(list(lines.values())) == gold_partition(corpus)
    # the wire copies and rewrites of the ferry, tram and breach reports are one event each
    largest = sorted((len(s.article_ids) for s in stories), reverse=True)[:3]
    assert min(largest) >= 4


def test_sample_corpus_events_are_precise_and_its_four_stories_are_storylines(
    corpus: list[tuple[Article, str]],
) -> None:
    c = StoryClusterer()
    c.add_many([a for a, _ in corpus])
    assert_events_precise_storylines_exact(c.to_stories(), corpus)
    assert_events_precise_storylines_exact(cluster_batch([a for a, _ in corpus]), corpus)
    # the heatwave's angles (the heat record, the hosepipe ban, the city spared) are separate events
    assert len(c.to_stories()) > 4


def test_adding_one_by_one_gives_the_same_storylines(corpus: list[tuple[Article, str]]) -> None:
    # in time order (the order ``add_many`` uses). A single pass is not order-free for borderline
    # articles: in file order, "Port Calder spared hosepipe ban" (the city council, Harbour Square) comes
    # before any other heatwave report and links the heatwave to the tram vote; recluster runs the batch
    # path, which does not depend on the order
    by_time = sorted(corpus, key=lambda p: p[0].published_at or datetime.max.replace(tzinfo=UTC))
    for order in (by_time,):
        c = StoryClusterer()
        c.observe(raw_features(a) for a, _ in order)
        for a, _ in order:
            c.add(a, observed=True)
        assert_events_precise_storylines_exact(c.to_stories(), corpus)


def test_story_ids_never_change_as_articles_arrive(corpus: list[tuple[Article, str]]) -> None:
    arts = sorted((a for a, _ in corpus), key=lambda a: a.published_at or datetime.max.replace(tzinfo=UTC))
    c = StoryClusterer()
    c.observe(raw_features(a) for a in arts)
    first: dict[str, str] = {}
    for a in arts:
        first[a.id] = c.add(a, observed=True)
        for aid, sid in first.items():
            assert c.resolve(c.story_of[aid]) == c.resolve(sid)
            assert c.resolve(sid) == sid or sid in c.merged_into
    assert c.add(arts[0]) == first[arts[0].id]  # an article seen before keeps its story


def _topic(words: str, n: int, when: datetime) -> Article:
    """An article made only of ``words`` (so two topics share no term at all)."""
    w = words.split()
    text = " ".join(" ".join(w[i:] + w[:i]) + "." for i in range(n))
    return Article(id=article_id_for(text), text=text, title=words, published_at=when)


def test_bridging_article_merges_stories_older_id_survives() -> None:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    x = _topic("volcano eruption Iceland lava Reykjanes", 6, t0)
    y = _topic("glacier flood warning meltwater Vatnajokull", 6, t0 + timedelta(hours=1))
    c = StoryClusterer()
    sx, sy = c.add(x), c.add(y)
    assert sx != sy
    bridge = Article(id="b" * 16, text=x.text + "\n" + y.text, title="eruption and flood", published_at=t0)
    sb = c.add(bridge)
    assert sb == sx  # the older story survives
    assert [(m.survivor, m.absorbed, m.article_id) for m in c.merges] == [(sx, sy, bridge.id)]
    assert c.resolve(sy) == sx and c.story_of[y.id] == sx


def test_unrelated_articles_stay_apart_and_time_window_applies() -> None:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    x = _topic("volcano eruption Iceland lava Reykjanes", 6, t0)
    later = replace(x, id="c" * 16, published_at=t0 + timedelta(days=60))
    c = StoryClusterer()
    assert c.add(x) != c.add(later)  # same words two months later: outside the window, a new story
    c2 = StoryClusterer(ClusterOptions(window_days=90))
    assert c2.add(x) == c2.add(later)


def test_entity_keys_are_cheap_names() -> None:
    keys = entity_keys("The mayor, Vitali Klitschko, spoke to the BBC. But Klitschko said no.")
    assert "vitali klitschko" in keys and "klitschko" in keys and "bbc" in keys
    assert "but" not in keys and "the" not in keys


def test_store_round_trip_keeps_ids_across_runs(
    corpus: list[tuple[Article, str]], store_target: object
) -> None:
    store = Store.open(store_target)
    arts = [a for a, _ in corpus]
    store.add_articles(arts)
    early = [a for a in arts if a.published_at and a.published_at < datetime(2026, 3, 12, 12, tzinfo=UTC)]
    rest = [a for a in arts if a not in early]
    first = assign_stories(store, early)
    lines_first = {s.id: s.storyline_id for s in list_stories(store)}
    second = assign_stories(store, rest)
    stories = list_stories(store)
    assert_events_precise_storylines_exact(stories, corpus)
    assert {first[a.id] for a in early} <= {s.id for s in stories}  # no early story was renamed
    now = {s.id: s.storyline_id for s in stories}
    assert all(now[sid] == line for sid, line in lines_first.items())  # nor its storyline
    for a in rest:
        assert get_story(store, second[a.id]).id == second[a.id]
    ferry = get_story(store, first[early[0].id])
    assert ferry.title and ferry.sources and ferry.first_seen is not None and ferry.storyline_id
    # recluster: the batch result; stories and storylines that survive keep their ids
    before = {s.id: set(s.article_ids) for s in stories}
    after_stories = recluster(store)
    after = {s.id: set(s.article_ids) for s in after_stories}
    batch = cluster_batch(arts)
    assert partition([list(s.article_ids) for s in after_stories]) == partition(
        [list(s.article_ids) for s in batch]
    )
    for sid, members in after.items():
        if members in before.values():
            assert before.get(sid) == members  # an unchanged story keeps its id
    assert_events_precise_storylines_exact(list_stories(store), corpus)
    assert {s.storyline_id for s in list_stories(store)} == set(now.values())
    # what recluster split or merged is recorded; every old id still leads to a story with its articles
    splits = story_splits(store)
    for parent, child, n in splits:
        assert parent != child and n == len(before[parent] & after[child]) > 0
    lost = {sid for sid, members in before.items() if sid in after and members - after[sid]}
    assert lost <= {p for p, _, _ in splits}
    assert {m[1] for m in story_merges(store)} == set(before) - set(after)  # dissolved ids
    for sid, members in before.items():
        kept = get_story(store, sid)
        assert set(kept.article_ids) & members


def test_store_keeps_rewrite_and_wire_copy_links(
    corpus: list[tuple[Article, str]], store_target: object
) -> None:
    store = Store.open(store_target)
    arts = [a for a, _ in corpus]
    store.add_articles(arts)
    mapping = assign_stories(store, arts)
    by_title = {a.title: a for a in arts}
    tram = by_title["Council approves Eastbank tram line after late-night vote"]
    links = story_links(store, mapping[tram.id])
    (rw,) = links["rewrites"]
    assert rw["original"] == tram.id and rw["direction"] == "time" and not rw["syndicated"]
    ferry = by_title["11 hurt as ferry strikes barge in Port Calder harbour"]
    ferry_links = story_links(store, mapping[ferry.id])
    assert any(r["syndicated"] and r["original"] == ferry.id for r in ferry_links["rewrites"])
    assert any(d["kind"] == "near" for d in ferry_links["duplicates"])


def test_cli_stories_storylines_and_story(tmp_path: Path) -> None:
    db = tmp_path / "nw.duckdb"
    runner = CliRunner()
    res = runner.invoke(app, ["add", str(CORPUS), "--db", str(db), "--no-analyse"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["stories", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    items = json.loads(res.output.strip().splitlines()[-1])
    assert len(items) > 4
    assert {"id", "title", "article_ids", "sources", "storyline_id"} <= set(items[0])
    res = runner.invoke(app, ["storylines", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    lines = json.loads(res.output.strip().splitlines()[-1])
    assert sorted(x["n_articles"] for x in lines) == [4, 5, 5, 6]
    assert {s["storyline_id"] for s in items} == {x["id"] for x in lines}
    heat = next(x for x in lines if x["n_stories"] > 1)
    res = runner.invoke(app, ["storyline", heat["id"][:9], "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    obj = json.loads(res.output.strip().splitlines()[-1])
    assert obj["id"] == heat["id"] and [s["id"] for s in obj["stories"]] == heat["story_ids"]
    starts = [s["first_seen"] for s in obj["stories"]]
    assert starts == sorted(starts)  # events in time order
    assert obj["links"] and all(k["entities"] or k["terms"] for k in obj["links"])  # with evidence
    assert {k["a"] for k in obj["links"]} | {k["b"] for k in obj["links"]} <= set(heat["story_ids"])
    res = runner.invoke(app, ["storyline", heat["id"], "--db", str(db)])
    assert res.exit_code == 0 and heat["id"] in res.output
    res = runner.invoke(app, ["storyline", "nope", "--db", str(db)])
    assert res.exit_code != 0
    res = runner.invoke(app, ["story", items[0]["id"][:8], "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    obj = json.loads(res.output.strip().splitlines()[-1])
    assert obj["id"] == items[0]["id"] and len(obj["articles"]) == len(items[0]["article_ids"])
    assert obj["title"] == items[0]["title"] and obj["storyline_id"] == items[0]["storyline_id"]
    res = runner.invoke(app, ["story", "nope", "--db", str(db)])
    assert res.exit_code != 0
    res = runner.invoke(app, ["recluster", "--db", str(db), "--json"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["storylines", "--db", str(db), "--json"])
    assert sorted(x["n_articles"] for x in json.loads(res.output.strip().splitlines()[-1])) == [4, 5, 5, 6]


def test_store_records_merges_and_old_ids_lead_to_the_survivor(store_target: object) -> None:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    x = _topic("volcano eruption Iceland lava Reykjanes", 6, t0)
    y = _topic("glacier flood warning meltwater Vatnajokull", 6, t0 + timedelta(hours=1))
    bridge = Article(id="b" * 16, text=x.text + "\n" + y.text, title="eruption and flood", published_at=t0)
    store = Store.open(store_target)
    store.add_articles([x, y, bridge])
    first = assign_stories(store, [x, y])
    assert first[x.id] != first[y.id]
    second = assign_stories(store, [bridge])
    assert second[bridge.id] == first[x.id]
    assert [(m[0], m[1], m[2]) for m in story_merges(store)] == [(first[x.id], first[y.id], bridge.id)]
    assert get_story(store, first[y.id]).id == first[x.id]
    assert {s.id for s in list_stories(store)} == {first[x.id]}
    # one event, so one storyline: the younger storyline's id leads to the older one, also after recluster
    line_x, line_y = "l" + first[x.id][1:], "l" + first[y.id][1:]
    assert list_stories(store)[0].storyline_id == line_x
    assert get_storyline(store, line_y, list_stories(store)).id == line_x
    recluster(store)
    assert get_storyline(store, line_y, list_stories(store)).id == line_x
    # a month later the same words start a new story: the old one is outside the window
    later = replace(x, id="d" * 16, published_at=t0 + timedelta(days=40))
    store.add_articles([later])
    third = assign_stories(store, [later])
    assert third[later.id] not in {first[x.id], first[y.id]}
    assert len(list_stories(store)) == 2


# ---------------------------------------------------------------------- storylines and headlines

AFFAIR = "Reykjanes Grindavik"  # two events of one invented affair share only these words


def affair_articles(t0: datetime) -> dict[str, Article]:
    return {
        "eruption1": _topic(AFFAIR + " eruption fissure opens lava fountains night sky", 5, t0),
        "eruption2": _topic(
            AFFAIR + " eruption fissure opens lava fountains glow", 5, t0 + timedelta(hours=3)
        ),
        "strike1": _topic("Ostrava tram strike drivers union wages talks", 5, t0 + timedelta(days=1)),
        "strike2": _topic("Ostrava tram strike drivers union wages deal", 5, t0 + timedelta(days=1, hours=1)),
        "evacuation1": _topic(
            AFFAIR + " evacuation residents leave homes police roadblocks", 5, t0 + timedelta(days=2)
        ),
        "evacuation2": _topic(
            AFFAIR + " evacuation residents leave homes police convoy", 5, t0 + timedelta(days=2, hours=2)
        ),
    }


def test_two_events_of_one_affair_are_two_stories_in_one_storyline_with_evidence() -> None:
    arts = affair_articles(datetime(2026, 3, 1, tzinfo=UTC))
    c = StoryClusterer()
    c.add_many(list(arts.values()))
    for stories in (c.to_stories(), cluster_batch(list(arts.values()))):
        story = {a: next(s for s in stories if arts[a].id in s.article_ids) for a in arts}
        assert story["eruption1"].id == story["eruption2"].id != story["evacuation1"].id
        assert story["evacuation1"].id == story["evacuation2"].id
        assert story["eruption1"].storyline_id == story["evacuation1"].storyline_id
        assert story["strike1"].storyline_id != story["eruption1"].storyline_id
        # the storyline is named after its first event
        assert story["eruption1"].storyline_id == "l" + story["eruption1"].id[1:]
    story = {a: next(s for s in c.to_stories() if arts[a].id in s.article_ids) for a in arts}
    (link,) = c.storylines.links
    assert {link.a, link.b} == {story["eruption1"].id, story["evacuation1"].id}
    assert "grindavik" in link.entities and "grindavik" in link.terms and link.similarity > 0


def test_storyline_ids_survive_arrivals_and_follow_story_merges() -> None:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    arts = affair_articles(t0)
    c = StoryClusterer()
    c.add_many([arts["eruption1"], arts["eruption2"]])
    line = c.storyline_of(c.story_of[arts["eruption1"].id])
    c.add_many([arts[k] for k in ("strike1", "strike2", "evacuation1", "evacuation2")])
    assert c.storyline_of(c.story_of[arts["evacuation2"].id]) == line  # the older storyline's id survives
    assert c.storyline_of(c.story_of[arts["eruption1"].id]) == line
    # two stories merged by a bridging article: one event, so one storyline; the merge is recorded
    x = _topic("volcano eruption Iceland lava Reykjanes", 6, t0)
    y = _topic("glacier flood warning meltwater Vatnajokull", 6, t0 + timedelta(hours=1))
    c2 = StoryClusterer()
    sx, sy = c2.add(x), c2.add(y)
    assert c2.storyline_of(sx) != c2.storyline_of(sy)
    c2.add(Article(id="b" * 16, text=x.text + "\n" + y.text, title="eruption and flood", published_at=t0))
    assert c2.storyline_of(sy) == c2.storyline_of(sx) == "l" + sx[1:]
    assert [(m.survivor, m.absorbed) for m in c2.storylines.merges] == [("l" + sx[1:], "l" + sy[1:])]


def test_store_keeps_storylines_across_runs_and_recluster(store_target: object) -> None:
    arts = affair_articles(datetime(2026, 3, 1, tzinfo=UTC))
    store = Store.open(store_target)
    store.add_articles(list(arts.values()))
    assign_stories(store, [arts[k] for k in ("eruption1", "eruption2", "strike1")])
    (eruption,) = [s for s in list_stories(store) if arts["eruption1"].id in s.article_ids]
    assign_stories(store, [arts[k] for k in ("strike2", "evacuation1", "evacuation2")])
    stories = list_stories(store)
    lines = list_storylines(store, stories)
    affair = next(x for x in lines if eruption.id in {s.id for s in x.stories})
    assert affair.id == eruption.storyline_id and len(affair.stories) == 2
    assert [s.id for s in affair.stories][0] == eruption.id  # events in time order
    assert affair.links and "grindavik" in affair.links[0].entities
    assert get_storyline(store, affair.id[:6], stories).id == affair.id
    with pytest.raises(NotFoundError):
        get_storyline(store, "lnothing", stories)
    recluster(store)
    again = list_storylines(store, list_stories(store))
    assert {x.id for x in again} == {x.id for x in lines}
    assert next(x for x in again if x.id == affair.id).n_articles == 4


def test_story_headline_is_the_title_the_others_share_most() -> None:
    t0 = datetime(2026, 3, 1, tzinfo=UTC)

    def art(title: str | None, hours: float | None, ident: str) -> Article:
        when = t0 + timedelta(hours=hours) if hours is not None else None
        return Article(id=ident, text="body", title=title, published_at=when)

    arts = [
        art("Harbour news roundup", 0, "a1"),
        art("Ferry hits barge, eleven hurt in harbour", 1, "a2"),
        art("Ferry strikes barge in harbour", 2, "a3"),
    ]
    assert story_headline(arts) == "Ferry strikes barge in harbour"  # shares 3 words in 4, the most
    # a tie goes to the earliest published, an undated article after every dated one, then the id
    tie = [
        art("Tram vote passes", None, "b0"),
        art("Tram vote passes", 5, "b2"),
        art("Tram vote passes", 3, "b3"),
    ]
    assert story_headline(tie) == "Tram vote passes"
    assert headline_of([("A b", None, "z"), ("A c", 7.0, "y")]) == "A c"
    assert headline_of([("A b", 7.0, "z"), ("A c", 7.0, "y")]) == "A c"
    assert story_headline([art(None, 0, "c1"), art("  ", 1, "c2")]) is None
    # the clusterer and the batch path name a story by the same rule
    seeds_ = seeds()
    c = StoryClusterer()
    c.add_many(seeds_)
    (story,) = c.to_stories()
    (batch,) = cluster_batch(seeds_)
    assert story.title == batch.title == story_headline(seeds_)


def test_add_groups_on_the_analysis_entities_and_shows_their_names(store_target: object) -> None:
    from newsweave.model import Analysis, Entity, EntityMention, Span
    from newsweave.store.analysis import entity_keys as stored_entity_keys
    from newsweave.store.analysis import entity_names, save_analysis

    def mention(aid: str, text: str, label: str, canonical: str) -> EntityMention:
        return EntityMention(Span(aid, 0, len(text)), text, label, canonical)

    store = Store.open(store_target)
    save_analysis(
        store,
        [
            Analysis(
                "a1",
                mentions=(
                    mention("a1", "Vitali Klitschko", "PERSON", "Vitali Klitschko"),
                    mention("a1", "Klitschko", "PERSON", "Vitali Klitschko"),
                    mention("a1", "Tuesday", "DATE", "Tuesday"),
                    mention("a1", "Kyiv", "GPE", "Kyiv"),
                ),
                entities=(
                    Entity("Vitali Klitschko", "PERSON", ("Klitschko",), "person:klitschko"),
                    Entity("Kyiv", "GPE", (), ""),
                ),
            ),
            Analysis(
                "a2",
                mentions=(mention("a2", "Klitschko", "PERSON", "Klitschko"),),
                entities=(Entity("Klitschko", "PERSON", (), "person:klitschko"),),
            ),
        ],
    )
    keys = stored_entity_keys(store, ["a1", "a2", "never-analysed"])
    # one key per name mention (dates left out); an entity without a key counts by its folded name
    assert keys == {"a1": ["person:klitschko", "person:klitschko", "kyiv"], "a2": ["person:klitschko"]}
    assert entity_names(store, ["person:klitschko", "unknown"]) == {"person:klitschko": "Klitschko"}
