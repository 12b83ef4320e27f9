"""Fit the fact-link models of newsweave.compare.facts on the fit half of the cross-source gold.

    .venv/bin/python scripts/fit_claims.py [--data ../shared/data/cross-source-dev]
        [--scorer ../shared/tools/score_cross.py] [--report]

For both models (with embeddings, and lexical only) it prints: leave-one-story-out figures on the ten fit
stories (the claim and "only in one source" figures of the official scorer's functions) for a grid of
thresholds, and the weights fitted on all ten, to paste into facts.py. ``--report`` also scores the report
half with the final weights and the thresholds in force (for docs/quality.md, never for a choice).

A pair of sentences of two articles is labelled 1 when both overlap (the scorer's half-overlap rule) a
mention of one required gold fact, 0 when they share no gold fact; pairs sharing only optional facts are
left out of the fit.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
from pathlib import Path

import numpy as np
from sklearn.linear_model import LogisticRegression

from newsweave.compare import CompareOptions, facts, load_articles
from newsweave.compare.claims import build_claims
from newsweave.compare.core import _sentences, unique_articles
from newsweave.embed import get_embedder
from newsweave.eval.cross import load_scorer, split_halves


def story_data(sc, st, arts, embedder):
    tmp = Path(tempfile.mkdtemp(prefix="fit_claims_"))
    paths = []
    for aid in st["articles"]:
        p = tmp / arts[aid]["filename"]
        p.write_text(arts[aid]["file"], encoding="utf-8")
        paths.append(str(p))
    articles = unique_articles(load_articles(paths)[0])
    sents = _sentences(articles, {}, CompareOptions())
    sents = [s for s in sents if len(s.text.split()) >= CompareOptions().min_claim_words]
    sv = facts.sentence_vectors([s.text for s in sents], embedder)
    by_art: dict[int, list[int]] = {}
    for i, s in enumerate(sents):
        by_art.setdefault(s.index, []).append(i)
    facts_g = sc.gold_claim_groups(st, arts)
    ids = st["articles"]
    xs, ys = [], []
    order = sorted(by_art)
    for x, ax in enumerate(order):
        for ay in order[x + 1 :]:
            rows, cols = by_art[ax], by_art[ay]
            f = facts.pair_features(sv, rows, cols)
            for a, i in enumerate(rows):
                for b, j in enumerate(cols):
                    y = 0
                    for _, by, opt in facts_g:
                        ma, mb = by.get(ids[ax], []), by.get(ids[ay], [])
                        if any(sc.half_overlap((sents[i].start, sents[i].end), m) for m in ma) and any(
                            sc.half_overlap((sents[j].start, sents[j].end), m) for m in mb
                        ):
                            y = -1 if opt else 1
                            if not opt:
                                break
                    xs.append(f[a, b])
                    ys.append(y)
    return {"articles": articles, "sents": sents, "sv": sv, "X": np.array(xs), "y": np.array(ys),
            "facts": facts_g, "ids": ids}  # fmt: skip


def fit(data: dict, stories: list[str], feats: tuple[str, ...]) -> tuple[float, ...]:
    cols = [facts.FEATURES.index(f) for f in feats]
    X = np.vstack([data[s]["X"][data[s]["y"] >= 0][:, cols] for s in stories])
    y = np.concatenate([data[s]["y"][data[s]["y"] >= 0] for s in stories])
    m = LogisticRegression(C=1.0, max_iter=5000).fit(X, y)
    return (round(float(m.intercept_[0]), 4), *(round(float(w), 4) for w in m.coef_[0]))


def single_data(sc, d: dict, model: facts.LinkModel) -> tuple[np.ndarray, np.ndarray]:
    """The sentence features of facts.SINGLE_FEATURES under ``model`` and the label: 1 when the sentence
    overlaps no gold fact mention, 0 when it overlaps a required one, -1 (left out) optional only."""
    links = facts.fact_links(
        [s.index for s in d["sents"]], d["sv"], model, None, [s.text for s in d["sents"]]
    )
    y = []
    for s in d["sents"]:
        v, _ = sc.single_verdict(d["ids"][s.index], (s.start, s.end), d["facts"])
        y.append({"right": 1, "wrong": 0, "optional": -1}[v])
    return links.single_features, np.array(y)


def fit_single(xy: dict, stories: list[str]) -> tuple[float, ...]:
    X = np.vstack([xy[s][0][xy[s][1] >= 0] for s in stories])
    y = np.concatenate([xy[s][1][xy[s][1] >= 0] for s in stories])
    m = LogisticRegression(C=1.0, max_iter=5000).fit(X, y)
    return (round(float(m.intercept_[0]), 4), *(round(float(w), 4) for w in m.coef_[0]))


def score(sc, data: dict, stories: list[str], models: dict[str, facts.LinkModel], single_models=None) -> dict:
    tot: dict[str, int] = {}
    for s in stories:
        d = data[s]
        claims = build_claims(d["sents"], d["ids"], d["ids"], list(range(len(d["ids"]))), None, model=models[s],
                              vectors=d["sv"], single=(single_models or {}).get(s))  # fmt: skip
        groups, singles = [], []
        for c in claims:
            by: dict[str, list] = {}
            for e in c.evidence:
                by.setdefault(e.article_id, []).append((e.start, e.end))
            if len(by) >= 2:
                groups.append((c.status, by))
            else:
                singles.extend((a, sp) for a, sps in by.items() for sp in sps)
        c = sc.score_claims(sc.make_links(groups, d["ids"]), sc.make_links(d["facts"], d["ids"]), 0, singles,
                            d["facts"], 0)  # fmt: skip
        texts = {a: {"text": art.text} for a, art in zip(d["ids"], d["articles"], strict=True)}
        c["single_gold"], c["single_found"] = sc.single_recall_counts(
            {"articles": d["ids"]}, texts, d["facts"], singles
        )
        for k, v in c.items():
            tot[k] = tot.get(k, 0) + v
    return {k: round(v, 3) for k, v in sc.claim_figures(tot).items()}


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", type=Path, default=Path("../shared/data/cross-source-dev"))
    ap.add_argument("--scorer", type=Path, default=Path("../shared/tools/score_cross.py"))
    ap.add_argument("--report", action="store_true")
    ap.add_argument("--only", choices=("with", "lexical"), help="fit one model only")
    ap.add_argument("--grid", default="0.5,0.55,0.6,0.65,0.7", help="link_p values for the CV table")
    args = ap.parse_args()
    sc = load_scorer(args.scorer)
    gold = json.loads((args.data / "stories.json").read_text(encoding="utf-8"))
    fit_ids, report_ids = split_halves([s["story"] for s in gold])
    by_id = {s["story"]: s for s in gold}
    use = fit_ids + (report_ids if args.report else [])
    arts = sc.load_articles(
        sc.DEFAULT_ARTICLES, sc.DEFAULT_SEEDS, {a for s in use for a in by_id[s]["articles"]}
    )
    emb = get_embedder()
    for name, embedder, base in (
        ("with embeddings", emb, facts.EMB_MODEL),
        ("lexical", None, facts.LEX_MODEL),
    ):
        if args.only and args.only != name.split()[0]:
            continue
        feats = facts.FEATURES if embedder is not None else facts.LEX_FEATURES
        data = {s: story_data(sc, by_id[s], arts, embedder) for s in use}
        print(f"== {name}: {len(feats)} features")
        cv = {s: fit(data, [t for t in fit_ids if t != s], feats) for s in fit_ids}
        for link_p in (float(x) for x in args.grid.split(",")):
            for single_p in (0.15, 0.2, 0.25, 0.3):
                models = {s: facts.LinkModel(feats, cv[s], link_p, single_p) for s in fit_ids}
                print(
                    f"  CV on fit half, link_p {link_p} single_p {single_p}: {score(sc, data, fit_ids, models)}"
                )
        w = fit(data, fit_ids, feats)
        print(f"  weights fitted on the fit half: {w}")
        if embedder is not None:
            cvm = {s: facts.LinkModel(feats, cv[s], base.link_p, base.single_p) for s in fit_ids}
            xy = {s: single_data(sc, data[s], cvm[s]) for s in fit_ids}
            scv = {s: fit_single(xy, [t for t in fit_ids if t != s]) for s in fit_ids}
            for th in (0.4, 0.45, 0.47, 0.5, 0.55, 0.6):
                sm = {s: facts.SingleModel(scv[s], th) for s in fit_ids}
                print(f"  CV single model, threshold {th}: {score(sc, data, fit_ids, cvm, sm)}")
            xy_all = {s: single_data(sc, data[s], facts.LinkModel(feats, w, base.link_p, base.single_p))
                      for s in fit_ids}  # fmt: skip
            print(f"  single model weights fitted on the fit half: {fit_single(xy_all, fit_ids)}")
            print(f"  (tried, not used: fitted on out-of-fold link features: {fit_single(xy, fit_ids)})")
        if args.report:
            final = dataclasses.replace(base, features=feats, weights=w)  # the single model in force
            print(f"  report half, final weights, link_p {base.link_p} single_p {base.single_p}: "
                  f"{score(sc, data, report_ids, {s: final for s in report_ids})}")  # fmt: skip
    return 0


if __name__ == "__main__":
    sys.exit(main())
