"""Analysis results in the store: round trip, idempotent saves, read-only-safe loading."""

from __future__ import annotations

from newsweave.analyse import analyse_articles
from newsweave.model import Article, article_id_for
from newsweave.store import Store
from newsweave.store.analysis import analysed_ids, load_analysis, save_analysis

TEXT = (
    "Kyiv Mayor Vitali Klitschko said on Thursday that at least 14 people were hurt. "
    "“We will rebuild,” he told reporters. About a fifth of the budget, $3bn, goes to repairs."
)


def test_round_trip_and_idempotent(store_target: object) -> None:
    article = Article(id=article_id_for(TEXT), text=TEXT)
    (analysis,) = analyse_articles([article])
    assert analysis.quotes and analysis.quantities and analysis.entities
    store = Store.open(store_target)
    try:
        assert load_analysis(store, article.id) is None
        assert analysed_ids(store) == []
        store.add_articles([article])
        assert save_analysis(store, [analysis]) == 1
        assert save_analysis(store, [analysis]) == 1  # again: replaces, never duplicates
        assert load_analysis(store, article.id) == analysis
        counts = store.query("SELECT count(*) FROM analysis_quotes")
        assert [tuple(r) for r in counts] == [(len(analysis.quotes),)]
        assert analysed_ids(store) == [article.id]
    finally:
        store.close()


def test_render_and_json_keep_untrusted_text_literal() -> None:
    from rich.console import Console

    from newsweave.cli.analysis_cmds import analysis_to_json, render_analysis

    text = TEXT + " [bold red]not markup[/] <script>x</script>"
    article = Article(id=article_id_for(text), text=text)
    (analysis,) = analyse_articles([article])
    obj = analysis_to_json(analysis)
    assert obj["article_id"] == article.id
    q = obj["quotes"][0]
    assert {"content", "direct", "speaker", "speaker_span", "cue", "cue_span"} <= set(q)
    for part in q["content"]:
        assert 0 <= part["start"] < part["end"] <= len(text)
    assert any(x["unit"] == "percent" and x["value"] == 20.0 for x in obj["quantities"])
    console = Console(record=True, width=200)
    console.print(render_analysis(article, analysis))
    out = console.export_text()
    assert "[bold red]not markup[/]" in out and "<script>x</script>" in out
    assert "Vitali Klitschko" in out
