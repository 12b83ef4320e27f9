"""What happened: the headlines' event classes keep two events of one affair apart (cluster/events.py)."""

from __future__ import annotations

from collections import Counter
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path

from newsweave.cluster import ClusterOptions, StoryClusterer, cluster_batch
from newsweave.cluster.events import clash, event_classes, profile
from newsweave.cluster.stage import assign_stories, load_clusterer, recluster
from newsweave.model import Article
from newsweave.store import Store
from newsweave.store.stories import list_stories

T0 = datetime(2026, 5, 4, 9, tzinfo=UTC)
# invented: one chapel, its founder dying, and hackers defacing its site the same day
_BODY = (
    "Corvin Tessaly founded the Marrowgate Chapel in Dunleigh, whose pickets outside funerals made "
    "it notorious. "
)
DEATH = (
    "{} Tessaly was 84 and had been in hospice care since March, his daughter Oriel Tessaly said. "
    "Relatives will hold a private burial; the family asked that no pickets greet the mourners. "
    "Former members remembered a stern preacher who had expelled his own grandchildren from the pews."
)
HACK = (
    "{} The hackers replaced the Marrowgate pages with a masked figure and a message. The collective "
    "posted the chapel's member list and passwords, and its servers went offline for hours. The group "
    "said the attack answered the chapel's plan to picket the Dunleigh vigil, and claimed further leaks."
)


# Five invented articles make a tiny corpus whose shared names weigh more than in a real stream (the
# death and the hacking score about 0.3 here, where a real affair's two events score 0.12-0.2): the
# thresholds sit where a real join does, between the words' similarity and half of it.
OPTS = replace(ClusterOptions(), join_threshold=0.25, merge_threshold=0.25, batch_threshold=0.25)


def article(n: int, title: str, tail: str, hours: int) -> Article:
    return Article(
        id=f"{n:02d}" + "e" * 14,
        title=title,
        text=_BODY + tail.format(""),
        published_at=T0 + timedelta(hours=hours),
        source=f"outlet{n}.example",
    )


def affair() -> tuple[list[Article], list[Article]]:
    deaths = [
        article(1, "Marrowgate Chapel founder Corvin Tessaly dies at 84", DEATH, 0),
        article(2, "Corvin Tessaly, Marrowgate Chapel founder, dead at 84", DEATH, 1),
        article(3, "Tessaly, who led Marrowgate pickets, dies in Dunleigh", DEATH, 2),
    ]
    hacks = [
        article(4, "Hackers deface Marrowgate Chapel website", HACK, 3),
        article(5, "Marrowgate Chapel site hacked after Dunleigh vigil", HACK, 4),
    ]
    return deaths, hacks


def test_event_classes_read_the_headline_triggers() -> None:
    assert event_classes("Harbour poet Ilse Varga dies at 81") == {"death"}
    assert event_classes("Hackers deface the Varga Trust's website") == {"cyber"}
    assert event_classes("Tram minister steps down") == {"resignation"}  # two-word trigger
    assert event_classes("Quarry bomber sentenced to 12 years") == {"attack", "verdict"}
    assert event_classes("Port Calder ferry timetable for the summer") == frozenset()
    assert event_classes(None) == frozenset() and event_classes("") == frozenset()
    assert event_classes("Rules for niche banks") == frozenset()  # "rules" is no court ruling


def test_a_story_says_what_happened_by_most_of_its_headlines() -> None:
    counts = Counter({"death": 3, "attack": 1})
    assert profile(counts, 3, 0.67) == {"death"}  # the attack is one headline in three
    assert profile(counts, 3, 0.0) == {"death", "attack"}
    assert profile(Counter(), 0, 0.67) == frozenset()
    assert clash({"death"}, {"cyber"}) and not clash({"death", "attack"}, {"attack"})
    assert not clash(set(), {"cyber"}) and not clash({"death"}, set())  # no trigger: no evidence


def test_a_hacking_stays_apart_from_the_death_it_shares_every_name_with() -> None:
    deaths, hacks = affair()
    arts = deaths + hacks
    ids = lambda c: [c.resolve(c.story_of[a.id]) for a in arts]  # noqa: E731
    without = StoryClusterer(replace(OPTS, event_clash_factor=1.0))
    without.add_many(arts)
    assert len(set(ids(without))) == 1  # the words alone merge the two events
    c = StoryClusterer(OPTS)
    c.add_many(arts)
    got = ids(c)
    assert len(set(got[:3])) == 1 and len(set(got[3:])) == 1 and got[0] != got[3]
    # the two events stay one affair: a storyline above both
    assert c.storyline_of(got[0]) == c.storyline_of(got[3])
    batch = {frozenset(s.article_ids) for s in cluster_batch(arts, OPTS)}
    assert batch == {frozenset(a.id for a in deaths), frozenset(a.id for a in hacks)}
    merged = cluster_batch(arts, replace(OPTS, event_clash_factor=1.0))
    assert len(merged) == 1


def test_stored_stories_keep_their_event_classes_for_add_and_recluster(tmp_path: Path) -> None:
    deaths, hacks = affair()
    store = Store.open(tmp_path / "s.duckdb")
    store.add_articles(deaths + hacks)
    first = assign_stories(store, deaths, OPTS)
    # a later run reloads the stored death story; its headlines' classes come back with it
    loaded = load_clusterer(store, hacks, OPTS)
    story = loaded.stories[first[deaths[0].id]]
    assert story.events["death"] == 3 and story.with_events == 3
    second = assign_stories(store, hacks, OPTS)
    assert len(set(first.values())) == 1 and len(set(second.values())) == 1
    assert set(first.values()) != set(second.values())
    after = {frozenset(s.article_ids) for s in recluster(store, OPTS)}
    assert after == {frozenset(s.article_ids) for s in list_stories(store)}
    assert frozenset(a.id for a in hacks) in after
