"""``stories``, ``story``, ``storylines``, ``storyline``, ``recluster``, ``eval cluster``, ``eval pairs``:
stories (events), the storylines above them, and their measurement."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import typer
from rich.table import Table
from rich.text import Text

from newsweave.cli.common import DbOption, JsonOption, console, open_store, print_json, print_table
from newsweave.errors import UsageError
from newsweave.model import Story
from newsweave.views.shapes import story_article_obj, story_obj

EvalJson = typer.Option(False, "--json", help="Print one JSON object as the last line.")


def _span(s: Story) -> str:
    if s.first_seen is None:
        return ""
    a = s.first_seen.strftime("%Y-%m-%d %H:%M")
    if s.last_seen is None or s.last_seen == s.first_seen:
        return a
    return f"{a} .. {s.last_seen.strftime('%Y-%m-%d %H:%M')}"


def stories(
    limit: int = typer.Option(0, "--limit", min=0, help="At most this many, largest first (0 = all)."),
    search: str | None = typer.Option(None, "--search", help="Words in the headline, outlets or titles."),
    outlet: str | None = typer.Option(None, "--outlet", help="Only stories this outlet covers."),
    entity: str | None = typer.Option(None, "--entity", help="Only stories naming this entity."),
    since: str | None = typer.Option(None, "--since", help="Stories running on or after this date (ISO)."),
    until: str | None = typer.Option(None, "--until", help="Stories running before this date (ISO)."),
    min_sources: int = typer.Option(0, "--min-sources", min=0, help="At least this many outlets."),
    sort: str = typer.Option("size", "--sort", help="size (most articles first) or recent."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """List the stories: id, headline, outlets, number of articles, time span; filtered and sorted as the
    web app's story list (the same library call)."""
    from newsweave.views.listing import StoryFilter, filter_stories

    if sort not in ("size", "recent"):
        raise UsageError(f"--sort must be size or recent, not {sort!r}")
    flt = StoryFilter(
        query=search, outlet=outlet, entity=entity, since=iso_date(since, "--since"), until=iso_date(until, "--until"),
        min_sources=min_sources, sort=sort,
    )  # fmt: skip
    store = open_store(db, read_only=True)
    try:
        items = filter_stories(store, flt)
    finally:
        store.close()
    if limit:
        items = items[:limit]
    if as_json:
        print_json([story_obj(s) for s in items])
        return
    t = Table(title=f"{len(items)} stories")
    t.add_column("id", no_wrap=True)
    for name in ("headline", "outlets", "articles", "time span"):
        t.add_column(name)
    for s in items:
        t.add_row(s.id, Text(s.title or ""), Text(", ".join(s.sources)), str(len(s.article_ids)), _span(s))
    print_table(t)


def iso_date(value: str | None, flag: str) -> datetime | None:
    """An ISO date or date-time from the command line (UTC when no zone is given)."""
    if value is None:
        return None
    try:
        d = datetime.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{flag} takes an ISO date such as 2026-03-12, not {value!r}") from None
    return d if d.tzinfo else d.replace(tzinfo=UTC)


def story(
    story_id: str = typer.Argument(
        ..., help="Story id (a unique prefix is enough; merged ids follow the merge)."
    ),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Show one story: its articles, and which of them are copies or rewrites of others."""
    from dataclasses import replace

    from newsweave.cluster.headline import story_headline

    store = open_store(db, read_only=True)
    try:
        s = store.get_story(story_id)
        arts = store.get_articles(list(s.article_ids))
        links = store.story_links(s.id)
    finally:
        store.close()
    s = replace(s, title=story_headline(arts))  # the one headline rule (what ``stories`` stored)
    if as_json:
        obj = story_obj(s)
        obj["articles"] = [story_article_obj(a) for a in arts]
        obj.update(links)
        print_json(obj)
        return
    console.print(Text(f"{s.id}  {s.title or ''}", style="bold"))
    console.print(Text(f"{len(arts)} articles from {len(s.sources)} outlets  {_span(s)}"))
    console.print(Text(f"storyline {s.storyline_id}"))
    t = Table()
    t.add_column("id", no_wrap=True)
    for name in ("outlet", "published", "headline"):
        t.add_column(name)
    for a in arts:
        when = a.published_at.strftime("%Y-%m-%d %H:%M") if a.published_at else ""
        t.add_row(a.id, Text(a.source or ""), when, Text(a.title or ""))
    console.print(t)
    for d in links["duplicates"]:
        console.print(Text(f"{d['kind']} duplicate: {d['a']} = {d['b']} (similarity {d['similarity']:.2f})"))
    for r in links["rewrites"]:
        kind = "syndicated copy" if r["syndicated"] else "rewrite"
        arrow = "->" if r["direction"] == "time" else "<->"
        console.print(
            Text(
                f"{kind}: {r['original']} {arrow} {r['derived']} ({r['share']:.0%} of the later text reused)"
            )
        )


def storylines(
    limit: int = typer.Option(0, "--limit", min=0, help="At most this many, most articles first (0 = all)."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """List the storylines (ongoing affairs): id, headline, events, articles, time span."""
    store = open_store(db, read_only=True)
    try:
        items = store.list_storylines(store.list_stories())
    finally:
        store.close()
    if limit:
        items = items[:limit]
    if as_json:
        print_json([storyline_obj(x, full=False) for x in items])
        return
    t = Table(title=f"{len(items)} storylines")
    t.add_column("id", no_wrap=True)
    for name in ("headline", "events", "articles", "time span"):
        t.add_column(name)
    for x in items:
        span = _span(Story(x.id, (), first_seen=x.first_seen, last_seen=x.last_seen))
        t.add_row(x.id, Text(x.title or ""), str(len(x.stories)), str(x.n_articles), span)
    print_table(t)


def storyline(
    storyline_id: str = typer.Argument(..., help="Storyline id (a unique prefix is enough)."),
    db: Path | None = DbOption,
    as_json: bool = JsonOption,
) -> None:
    """Show one storyline: its events in time order and the shared entities and terms linking them."""
    store = open_store(db, read_only=True)
    try:
        x = store.get_storyline(storyline_id, store.list_stories())
    finally:
        store.close()
    if as_json:
        print_json(storyline_obj(x, full=True))
        return
    console.print(Text(f"{x.id}  {x.title or ''}", style="bold"))
    t = Table()
    t.add_column("story", no_wrap=True)
    for name in ("headline", "articles", "time span"):
        t.add_column(name)
    for s in x.stories:
        t.add_row(s.id, Text(s.title or ""), str(len(s.article_ids)), _span(s))
    console.print(t)
    for k in x.links:
        console.print(
            Text(
                f"{k.a} ~ {k.b} (similarity {k.similarity:.2f}): entities {', '.join(k.entities) or '-'}; "
                f"terms {', '.join(k.terms) or '-'}"
            )
        )


def storyline_obj(x: Any, full: bool) -> dict[str, Any]:
    from newsweave.store.storylines import link_obj

    obj: dict[str, Any] = {
        "id": x.id,
        "title": x.title,
        "story_ids": [s.id for s in x.stories],
        "n_stories": len(x.stories),
        "n_articles": x.n_articles,
        "first_seen": x.first_seen.isoformat() if x.first_seen else None,
        "last_seen": x.last_seen.isoformat() if x.last_seen else None,
    }
    if full:
        obj["stories"] = [story_obj(s) for s in x.stories]
        obj["links"] = [link_obj(k) for k in x.links]
    return obj


def recluster(db: Path | None = DbOption, as_json: bool = JsonOption) -> None:
    """Re-cluster every stored article in one batch; stories that survive keep their ids."""
    from newsweave.cluster.stage import recluster as run

    store = open_store(db)
    try:
        items = run(store)
    finally:
        store.close()
    if as_json:
        print_json({"stories": len(items), "articles": sum(len(s.article_ids) for s in items)})
    else:
        console.print(f"{len(items)} stories over {sum(len(s.article_ids) for s in items)} articles")


def eval_cluster(
    data: Path = typer.Option(..., "--data", help="A galaxy-wikinews-events or wikiref220 folder."),
    mode: str = typer.Option(
        "incremental", "--mode", help="incremental (the add path) or batch (recluster)."
    ),
    embed: bool = typer.Option(False, "--embed", help="Add MiniLM embeddings to the similarity."),
    level: str = typer.Option("event", "--level", help="event (stories) or storyline."),
    analyse: bool = typer.Option(
        True,
        "--analyse/--no-analyse",
        help="Entities from the analysis stage, as `add` does (else cheap keys).",
    ),
    as_json: bool = EvalJson,
) -> None:
    """B-cubed precision/recall/F1, ARI, AMI and cluster counts against the gold events or topics."""
    from dataclasses import replace

    from newsweave.cluster import ClusterOptions, get_embedder
    from newsweave.eval.cluster import analysed_entities, evaluate_clustering, load_labelled

    if level not in ("event", "storyline"):
        raise typer.BadParameter(f"unknown level {level!r}: event or storyline", param_hint="--level")
    embedder = get_embedder() if embed else None
    options = replace(ClusterOptions(), use_embeddings=embedder is not None)
    items = load_labelled(data)
    entities = analysed_entities(items) if analyse else None
    result = evaluate_clustering(items, mode, options, embedder, entities, level)
    if not as_json:
        t = Table("part", "items", "B3 P", "B3 R", "B3 F1", "ARI", "AMI", "clusters (gold)")
        subsets = [(f"in all: {k}", v) for k, v in result.get("subsets", {}).items()]
        for name, r in [("all", result)] + list(result["parts"].items()) + subsets:
            t.add_row(
                name,
                str(r["n_items"]),
                *(f"{r[k]:.3f}" for k in ("bcubed_precision", "bcubed_recall", "bcubed_f1", "ari", "ami")),
                f"{r['clusters_predicted']} ({r['clusters_gold']})",
            )
        console.print(t)
        umbrella = result.get("umbrella_recall_excluded")
        if umbrella:
            console.print(
                "with the umbrella events' articles left out of recall (precision over all): "
                f"P {umbrella['bcubed_precision']:.3f} R {umbrella['bcubed_recall']:.3f} "
                f"F1 {umbrella['bcubed_f1']:.3f}"
            )
    if as_json:
        print_json(result)


def eval_pairs(
    data: Path = typer.Option(..., "--data", help="A semeval2022-task8-pairs folder."),
    embed: bool = typer.Option(True, "--embed/--no-embed", help="Use MiniLM (and compute its baseline)."),
    as_json: bool = EvalJson,
) -> None:
    """Pearson of the same-story score against the gold Overall score, per language pair."""
    from newsweave.cluster import get_embedder
    from newsweave.eval.pairs import evaluate_pairs, load_pairs

    result = evaluate_pairs(load_pairs(data), get_embedder() if embed else None)
    if as_json:
        print_json(result)
        return
    t = Table("language pair", "pairs", "Pearson")
    for k, v in result.items():
        if k.startswith("pearson_") and not k.startswith("pearson_en_en_"):
            lang = k.removeprefix("pearson_")
            t.add_row(lang.replace("_", "-"), str(result.get(f"n_{lang}", "")), f"{v:.3f}")
    console.print(t)
    if "baseline_minilm_en_en" in result:
        console.print(
            f"en-en: ours {result['pearson_en_en']:.3f}  plain MiniLM cosine {result['baseline_minilm_en_en']:.3f}"
        )


def register(app: typer.Typer, eval_app: typer.Typer) -> None:
    """Add this module's commands to the application."""
    app.command()(stories)
    app.command()(story)
    app.command()(storylines)
    app.command()(storyline)
    app.command()(recluster)
    eval_app.command("cluster")(eval_cluster)
    eval_app.command("pairs")(eval_pairs)
