"""The bound on the characters analysed per article (``AnalyseOptions.max_analysed_chars``): an article longer
than it is stored whole, its first part analysed, and the analysis says where it stopped (``analysed_chars``,
``show --json``), with a warning naming the article; ``add``, ``analyse`` and the web app's uploads read the
same bound. Invented, generated text; a small bound keeps the tests fast."""

from __future__ import annotations

import asyncio
import json
import logging
from pathlib import Path
from typing import Any

import httpx
import pytest
from typer.testing import CliRunner

from newsweave.analyse import AnalyseOptions, analyse_articles
from newsweave.analyse.options import ANALYSED_CHARS_ENV, MAX_ANALYSED_CHARS
from newsweave.cli import app
from newsweave.errors import UsageError
from newsweave.model import Article, article_id_for
from newsweave.store import Store

BOUND = 6_000


def _long_text(paragraphs: int = 90) -> str:
    """An invented council report, one numbered paragraph after another (~170 characters each)."""
    return "\n\n".join(
        f"Councillor Maren Osk of Tullby said on Monday that the ferry route number {k} would carry "
        f"{100 + k} passengers a day from June. The harbour board approved the plan by {k % 9 + 2} votes."
        for k in range(paragraphs)
    )


def _article(text: str) -> Article:
    return Article(id=article_id_for(text), text=text, title="Tullby ferry plan", paragraphs=())


def test_a_long_article_is_analysed_up_to_the_bound(caplog: pytest.LogCaptureFixture) -> None:
    text = _long_text()
    assert len(text) > 2 * BOUND
    long, short = _article(text), _article(_long_text(3))
    with caplog.at_level(logging.WARNING, logger="newsweave.analyse.pipeline"):
        an_long, an_short = analyse_articles([long, short], AnalyseOptions(max_analysed_chars=BOUND))
    assert an_short.analysed_chars is None  # shorter than the bound: all of it
    cut = an_long.analysed_chars
    assert cut is not None and BOUND // 2 < cut <= BOUND
    assert text[cut - 2 : cut] == "\n\n"  # cut at a paragraph break
    assert an_long.sentences and an_long.quantities and an_long.mentions
    ends = [s.span.end for s in an_long.sentences] + [x.span.end for x in an_long.quantities]
    assert max(ends) <= cut
    assert max(s.span.end for s in an_long.sentences) > cut - 300  # read up to the cut
    warned = [r.getMessage() for r in caplog.records if long.id in r.getMessage()]
    assert len(warned) == 1 and str(BOUND) in warned[0] and "not analysed" in warned[0]
    assert not [r for r in caplog.records if short.id in r.getMessage()]
    # no bound: the whole text, as before
    (whole,) = analyse_articles([long], AnalyseOptions(max_analysed_chars=0))
    assert whole.analysed_chars is None and max(s.span.end for s in whole.sentences) > len(text) - 300


def test_the_bound_comes_from_the_option_else_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ANALYSED_CHARS_ENV, raising=False)
    assert AnalyseOptions().analysed_limit == MAX_ANALYSED_CHARS
    monkeypatch.setenv(ANALYSED_CHARS_ENV, "12345")
    assert AnalyseOptions().analysed_limit == 12345
    assert AnalyseOptions(max_analysed_chars=777).analysed_limit == 777
    monkeypatch.setenv(ANALYSED_CHARS_ENV, "lots")
    with pytest.raises(UsageError, match=ANALYSED_CHARS_ENV):
        _ = AnalyseOptions().analysed_limit
    with pytest.raises(UsageError):
        AnalyseOptions(max_analysed_chars=-1)


def _show(db: Path, article_id: str) -> dict[str, Any]:
    r = CliRunner().invoke(app, ["show", article_id, "--db", str(db), "--json"])
    assert r.exit_code == 0, r.output
    return json.loads(r.stdout)


def test_add_and_analyse_keep_the_text_whole_and_say_where_the_analysis_stopped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(ANALYSED_CHARS_ENV, str(BOUND))
    text = _long_text()
    src = tmp_path / "tullby.txt"
    src.write_text("Tullby ferry plan\n\n" + text, encoding="utf-8")
    db = tmp_path / "s.duckdb"
    runner = CliRunner()
    r = runner.invoke(app, ["add", str(src), "--db", str(db)])
    assert r.exit_code == 0, r.output
    with Store.open(db, read_only=True) as store:
        (stored,) = store.get_articles(store.article_ids())
    assert text in stored.text  # nothing accepted is lost
    shown = _show(db, stored.id)
    assert shown["text"] == stored.text
    an = shown["analysis"]
    assert an["truncated"] is True and BOUND // 2 < an["analysed_chars"] <= BOUND
    assert max(s["end"] for s in an["sentences"]) <= an["analysed_chars"]
    plain = runner.invoke(app, ["show", stored.id, "--db", str(db)])
    assert plain.exit_code == 0 and f"first {an['analysed_chars']:,} of {len(stored.text):,}" in plain.stdout
    # analysed again with a larger bound: all of it, and no longer marked
    monkeypatch.setenv(ANALYSED_CHARS_ENV, "0")
    r = runner.invoke(app, ["analyse", "--all", "--db", str(db)])
    assert r.exit_code == 0, r.output
    again = _show(db, stored.id)["analysis"]
    assert again["truncated"] is False and again["analysed_chars"] is None
    assert max(s["end"] for s in again["sentences"]) > len(stored.text) - 300


def test_an_upload_reads_the_same_bound(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from newsweave.web import WebOptions, create_app

    monkeypatch.setenv(ANALYSED_CHARS_ENV, str(BOUND))
    db = tmp_path / "w.duckdb"
    Store.open(db).close()  # the app serves an existing store
    web = create_app(db, WebOptions(embeddings=False, writable=True))
    record = {"title": "Tullby ferry plan", "text": _long_text(), "source": "Tullby Post"}

    async def post() -> httpx.Response:
        transport = httpx.ASGITransport(app=web)
        async with httpx.AsyncClient(transport=transport, base_url="http://127.0.0.1") as client:
            return await client.post("/api/articles", json=[record])

    try:
        r = asyncio.run(post())
        assert r.status_code in (200, 201), r.text
        (added,) = r.json()["added"]
    finally:
        if web.state.writer is not None:
            web.state.writer.close()
        web.state.store.close()
    an = _show(db, added["id"])["analysis"]
    assert an["truncated"] is True and BOUND // 2 < an["analysed_chars"] <= BOUND
