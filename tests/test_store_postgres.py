"""The PostgreSQL store against the DuckDB one, end to end: the same ``add`` + ``stories`` + ``report``
flow gives the same articles, analyses, stories and report; a ``kill -9`` during ``add`` loses nothing
once re-run; two ``add`` runs at once store every article once. Schema versions and read-only opens on
both backends."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import duckdb
import pytest
from typer.testing import CliRunner

from newsweave.cli import app
from newsweave.errors import StoreError
from newsweave.model import Article, article_id_for
from newsweave.store import Store, schema

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "examples" / "corpus"
runner = CliRunner()


def _cli(*args: str, env: dict[str, str] | None = None) -> str:
    result = runner.invoke(app, list(args), env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout


def _snapshot(store: Store) -> dict[str, Any]:
    """Everything a reader sees of a store: articles, analyses, stories with links and storylines."""
    ids = sorted(store.article_ids())
    stories = store.list_stories()
    return {
        "articles": store.get_articles(ids),
        "analyses": [store.load_analysis(i) for i in ids],
        "stories": stories,
        "links": {s.id: store.story_links(s.id) for s in stories},
        "merges": store.story_merges(),
        "storylines": [(x.id, [s.id for s in x.stories], x.links) for x in store.list_storylines(stories)],
        "rejected": store.rejected(),
        # one story read by id and by prefix, and what search indexes (sentences, entities, mentions)
        "one_story": [(store.get_story(s.id), store.get_story(s.id[:10])) for s in stories],
        "sentences": store.sentence_spans(),
        "entities": store.entity_index_rows(),
        "first_mentions": store.first_mentions(),
    }


def _assert_same(got: dict[str, Any], want: dict[str, Any]) -> None:
    assert len(want["articles"]) == 20 and len(want["stories"]) > 1
    assert want["one_story"] == [(s, s) for s in want["stories"]]
    assert len(want["sentences"]) > 100 and len(want["first_mentions"]) > 20
    assert any(len(ids) > 1 for _, _, _, ids in want["entities"])
    assert any(aliases for _, _, aliases, _ in want["entities"])
    for key in want:
        assert got[key] == want[key], key


@pytest.fixture(scope="module")
def pg_corpus(pg_server: Any) -> Any:
    """examples/corpus added to a PostgreSQL database through the CLI's ``--db postgresql://...``."""
    url = pg_server.new_database()
    _cli("add", str(CORPUS), "--db", url)
    yield url
    pg_server.drop_database(url)


def test_add_stories_report_identical_on_duckdb_and_postgresql(demo_store: Path, pg_corpus: str) -> None:
    # the DuckDB store was built by the library (add_inputs); the PostgreSQL one through the CLI
    pg_url = pg_corpus
    with Store.open(demo_store, read_only=True) as duck, Store.open(pg_url, read_only=True) as pg:
        assert (duck.backend, pg.backend) == ("duckdb", "postgresql")
        want, got = _snapshot(duck), _snapshot(pg)
    _assert_same(got, want)
    assert all(a is not None and a.entities for a in got["analyses"])
    # NEWSWEAVE_DB selects the server too; listings and the report print the same on both
    env = {"NEWSWEAVE_DB": pg_url}
    assert _cli("stories", "--json", env=env) == _cli("stories", "--json", "--db", str(demo_store))
    assert _cli("articles", "--json", env=env) == _cli("articles", "--json", "--db", str(demo_store))
    story = max(want["stories"], key=lambda s: len(s.article_ids)).id
    on_pg = json.loads(_cli("report", story, "--json", "--no-embed", "--db", pg_url))
    on_duck = json.loads(_cli("report", story, "--json", "--no-embed", "--db", str(demo_store)))
    assert on_pg == on_duck and on_pg["sources"]
    # the web app serves a PostgreSQL store the same way, each request on a connection of the pool
    from newsweave.web import WebOptions, create_app
    from webclient import get

    apps = [create_app(t, WebOptions(embeddings=False)) for t in (pg_url, demo_store)]
    try:
        for url in ("/api/stories", f"/api/stories/{story}", "/api/articles?limit=7", "/api/search?q=water"):
            answers = [get(a, url) for a in apps]
            assert [r.status_code for r in answers] == [200, 200], url
            assert answers[0].json() == answers[1].json(), url
    finally:
        for a in apps:
            a.state.store.close()


def test_exports_identical_on_duckdb_and_postgresql(demo_store: Path, pg_corpus: str) -> None:
    from newsweave.views.export import EXPORT_KINDS, export_text

    with Store.open(demo_store, read_only=True) as duck, Store.open(pg_corpus, read_only=True) as pg:
        for kind in EXPORT_KINDS:
            want = export_text(duck, kind, "jsonl")
            assert want.count("\n") > 1 and export_text(pg, kind, "jsonl") == want, kind


def _add_cmd(url: str) -> list[str]:
    return [sys.executable, "-m", "newsweave", "add", str(CORPUS), "--db", url]


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="POSIX only")
def test_kill_9_during_add_on_postgresql_loses_nothing(demo_store: Path, pg_url: str, tmp_path: Path) -> None:
    signal_file = tmp_path / "committed"
    env = dict(
        os.environ,
        NEWSWEAVE_BATCH_SIZE="5",  # four batches of the 20 articles
        NEWSWEAVE_BATCH_SIGNAL=str(signal_file),
        NEWSWEAVE_BATCH_PAUSE="2:120",  # the kill lands in this pause, after the second batch
    )
    proc = subprocess.Popen(_add_cmd(pg_url), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if signal_file.exists() and signal_file.read_text() == "2":
            break
        time.sleep(0.02)
    assert proc.poll() is None, "add ended before its second batch was committed"
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    with Store.open(pg_url, read_only=True) as s:
        assert s.count_articles() == 10  # the two committed batches, nothing of the others
        assert s.list_stories() == []  # killed before the analysis and the stories
    env.pop("NEWSWEAVE_BATCH_PAUSE")
    done = subprocess.run(_add_cmd(pg_url), env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    with Store.open(demo_store, read_only=True) as duck, Store.open(pg_url, read_only=True) as pg:
        want, got = _snapshot(duck), _snapshot(pg)
        assert pg.query("SELECT count(*), count(DISTINCT id) FROM articles") == [(20, 20)]
    _assert_same(got, want)  # the re-run finished the job: same as an add that was never stopped


def test_two_concurrent_adds_into_one_postgresql_store_each_article_once(pg_url: str) -> None:
    env = dict(os.environ, NEWSWEAVE_BATCH_SIZE="3")
    procs = [
        subprocess.Popen(
            _add_cmd(pg_url), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        for _ in range(2)
    ]
    for p in procs:
        _, err = p.communicate(timeout=300)
        assert p.returncode == 0, err
    with Store.open(pg_url, read_only=True) as s:
        assert s.query("SELECT count(*), count(DISTINCT id) FROM articles") == [(20, 20)]
        assert s.query("SELECT count(*), count(DISTINCT article_id) FROM analysis_runs") == [(20, 20)]
        assert s.query("SELECT count(*), count(DISTINCT article_id) FROM story_articles") == [(20, 20)]
        stories = s.list_stories()
        members = [a for st in stories for a in st.article_ids]
        assert sorted(members) == sorted(s.article_ids())  # each article in exactly one story
        assert all(st.article_ids for st in stories)  # no story left without members
        # every article's origin recorded once although both runs read it
        assert s.query("SELECT count(*) FROM article_origins") == [(20,)]


# ---------------------------------------------------------------------- schema versions, read-only opens


def _old_duckdb(path: Path) -> None:
    """A store as newsweave wrote it before schema versions: only the core tables, no updated_raw."""
    con = duckdb.connect(str(path))
    con.execute(
        "CREATE TABLE articles (id VARCHAR PRIMARY KEY, source VARCHAR, url VARCHAR, title VARCHAR, "
        "subtitle VARCHAR, summary VARCHAR, byline VARCHAR, published_at TIMESTAMPTZ, published_raw VARCHAR, "
        "language VARCHAR, text VARCHAR NOT NULL, paragraphs VARCHAR, origin_path VARCHAR, "
        "origin_position VARCHAR, origin_format VARCHAR, added_at TIMESTAMPTZ)"
    )
    con.execute(
        "INSERT INTO articles (id, text, paragraphs) VALUES ('abc123', 'An old article.', '[[0, 15]]')"
    )
    con.close()


def test_read_only_open_upgrades_an_old_duckdb_store_then_writes_nothing(tmp_path: Path) -> None:
    db = tmp_path / "old.duckdb"
    _old_duckdb(db)
    with Store.open(db, read_only=True) as s:
        assert s.read_only and s.schema_version() == schema.LATEST
        assert s.list_stories() == [] and s.load_analysis("abc123") is None  # the stage tables exist
        assert s.get_article("abc").text == "An old article."
        with pytest.raises(duckdb.Error):
            s.add_articles([Article(id=article_id_for("x y z"), text="x y z")])
    versions = duckdb.connect(str(db), read_only=True)
    try:
        assert [
            r[0] for r in versions.execute("SELECT version FROM schema_version ORDER BY 1").fetchall()
        ] == [m.version for m in schema.MIGRATIONS]
    finally:
        versions.close()


def test_read_commands_leave_the_duckdb_file_untouched(demo_store: Path) -> None:
    before = demo_store.read_bytes()
    for args in (
        ["stories", "--json"],
        ["articles", "--json"],
        ["rejected", "--json"],
        ["storylines", "--json"],
    ):
        _cli(*args, "--db", str(demo_store))
    assert demo_store.read_bytes() == before  # opened read-only: no checkpoint, no table created


def test_a_store_from_a_newer_newsweave_is_refused(store_target: object) -> None:
    with Store.open(store_target) as s:
        s.execute("INSERT INTO schema_version VALUES (?, NULL, 'from the future')", [schema.LATEST + 1])
    with pytest.raises(StoreError, match="newer"):
        Store.open(store_target)


def test_migrations_apply_once_and_record_each_version(store_target: object) -> None:
    with Store.open(store_target) as s:
        assert s.schema_version() == schema.LATEST
    with Store.open(store_target) as s:  # a second open applies nothing again
        rows = s.query("SELECT version, description FROM schema_version ORDER BY version")
        assert [tuple(r) for r in rows] == [(m.version, m.description) for m in schema.MIGRATIONS]


def test_an_unreachable_server_is_a_store_error_naming_it_without_its_password(tmp_path: Path) -> None:
    url = f"postgresql://reader:s3cret@/newsweave?host={tmp_path}"  # no server listens on that socket
    started = time.monotonic()
    with pytest.raises(StoreError, match="cannot open store") as err:
        Store.open(url)
    assert time.monotonic() - started < 10  # at once, not after the pool's retries
    assert "s3cret" not in str(err.value) and "reader" in str(err.value)
    result = runner.invoke(app, ["stories", "--db", url])  # the CLI's main() prints the StoreError
    assert result.exit_code == 1 and isinstance(result.exception, StoreError)
    assert "s3cret" not in str(result.exception)


def test_a_read_only_postgresql_store_refuses_writes_with_a_store_error(pg_url: str) -> None:
    with Store.open(pg_url) as s:
        s.add_articles([Article(id=article_id_for("one stored article"), text="one stored article")])
    with Store.open(pg_url, read_only=True) as s:
        assert s.read_only and s.count_articles() == 1
        with pytest.raises(StoreError, match="read-only"):
            s.add_articles([Article(id=article_id_for("a second article"), text="a second article")])
        assert s.count_articles() == 1  # the failed batch was rolled back; the session still works
