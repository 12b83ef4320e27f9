"""Named entities measured on CoNLL-2003 (``../shared/data/conll2003-test/documents.jsonl``).

Each document's tokens are joined with single spaces, its sentences with newlines (so the sentence splitter
sees the gold sentence breaks); every predicted character span maps back to the gold tokens it overlaps.
"Plain" scores the model's NER as shipped (every label) on every token of the text; "newsweave" scores
the mentions of the analysis as configured (by default NER with name labels only, on windows around
capitalised words, see ``AnalyseOptions``) after the entity step (type vote over all mentions of a name, surnames resolved, titles stripped, further
occurrences of known names added). OntoNotes types map to CoNLL:
PERSON -> PER, ORG -> ORG, GPE/LOC/FAC -> LOC, NORP/EVENT/PRODUCT/WORK_OF_ART/LAW/LANGUAGE -> MISC; the
numeric and date types are dropped. Metric: entity-level micro P/R/F1 (exact span and type), as conlleval.
The entity rules were developed with this set in view and none of it was held back, so the result also
gives the figures of the even and odd documents apart (``halves``): their spread is the noise to allow for.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsweave.analyse import AnalyseOptions, load_nlp
from newsweave.analyse.entities import analyse_entities
from newsweave.analyse.nlp import first_pass, load_plain_ner
from newsweave.eval.metrics import jsonl_records
from newsweave.model import Article

TYPE_MAP = {
    "PERSON": "PER",
    "ORG": "ORG",
    "GPE": "LOC",
    "LOC": "LOC",
    "FAC": "LOC",
    "NORP": "MISC",
    "EVENT": "MISC",
    "PRODUCT": "MISC",
    "WORK_OF_ART": "MISC",
    "LAW": "MISC",
    "LANGUAGE": "MISC",
}
TYPES = ("PER", "ORG", "LOC", "MISC")
Ent = tuple[int, int, str]  # first token, last token + 1, type


def load_conll(data: Path, limit: int | None = None) -> list[dict[str, Any]]:
    return list(jsonl_records(data, "documents.jsonl", limit))


def build_text(doc: dict[str, Any]) -> tuple[str, list[tuple[int, int]], set[Ent]]:
    """Text, token char offsets and gold entities (global token indices) of one CoNLL document."""
    parts: list[str] = []
    offsets: list[tuple[int, int]] = []
    gold: set[Ent] = set()
    pos = 0
    base = 0
    for sent in doc["sentences"]:
        if parts:
            parts.append("\n")
            pos += 1
        start_type: tuple[int, str] | None = None
        for k, (tok, tag) in enumerate(zip(sent["tokens"], sent["ner"], strict=True)):
            if k:
                parts.append(" ")
                pos += 1
            offsets.append((pos, pos + len(tok)))
            parts.append(tok)
            pos += len(tok)
            i = base + k
            if start_type and (tag == "O" or tag.startswith("B-") or tag[2:] != start_type[1]):
                gold.add((start_type[0], i, start_type[1]))
                start_type = None
            if tag.startswith("B-") or (tag.startswith("I-") and start_type is None):
                start_type = (i, tag[2:])
        if start_type:
            gold.add((start_type[0], base + len(sent["tokens"]), start_type[1]))
        base += len(sent["tokens"])
    return "".join(parts), offsets, gold


def to_tokens(spans: Iterable[tuple[int, int, str]], offsets: list[tuple[int, int]]) -> set[Ent]:
    """Character spans with OntoNotes labels -> token spans with CoNLL types."""
    starts = [a for a, _ in offsets]
    out: set[Ent] = set()
    for s, e, label in spans:
        typ = TYPE_MAP.get(label)
        if typ is None:
            continue
        first = max(0, bisect.bisect_right(starts, s) - 1)
        if offsets[first][1] <= s:
            first += 1
        last = bisect.bisect_left(starts, e)
        if first < last:
            out.add((first, last, typ))
    return out


def _prf(pred: set[Ent], gold: set[Ent], typ: str | None = None) -> tuple[int, int, int]:
    if typ:
        pred = {x for x in pred if x[2] == typ}
        gold = {x for x in gold if x[2] == typ}
    return len(pred & gold), len(pred), len(gold)


def _f(tp: int, np_: int, ng: int) -> dict[str, float]:
    p = tp / np_ if np_ else 0.0
    r = tp / ng if ng else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
    }


def evaluate_ner(
    data: Path, options: AnalyseOptions | None = None, limit: int | None = None
) -> dict[str, Any]:
    """Micro P/R/F1 overall and per type, for plain spaCy and for newsweave, on the same NER pass."""
    docs = load_conll(data, limit)
    options = options or AnalyseOptions(quotes=False, quantities=False)
    nlp = load_nlp(options)
    built = [build_text(d) for d in docs]
    texts = [b[0] for b in built]
    counts = {name: {t: [0, 0, 0] for t in (None, *TYPES)} for name in ("plain", "newsweave")}
    halves = [{"plain": [0, 0, 0], "newsweave": [0, 0, 0]} for _ in range(2)]
    plain_docs = list(first_pass(load_plain_ner(options), texts, options.batch_size, ner_window=0))
    our_docs = list(first_pass(nlp, texts, options.batch_size, ner_window=options.ner_window))
    for k, ((text, offsets, gold), pdoc, sdoc, d) in enumerate(
        zip(built, plain_docs, our_docs, docs, strict=True)
    ):
        plain = to_tokens(((e.start_char, e.end_char, e.label_) for e in pdoc.ents), offsets)
        mentions, _, _ = analyse_entities(Article(id=d["doc_id"], text=text), sdoc)
        ours = to_tokens(((m.span.start, m.span.end, m.label) for m in mentions), offsets)
        for name, pred in (("plain", plain), ("newsweave", ours)):
            for t in (None, *TYPES):
                tp, np_, ng = _prf(pred, gold, t)
                for c in (counts[name][t], *([halves[k % 2][name]] if t is None else [])):
                    c[0] += tp
                    c[1] += np_
                    c[2] += ng
    result: dict[str, Any] = {"documents": len(docs)}
    for name, prefix in (("newsweave", ""), ("plain", "baseline_")):
        overall = _f(*counts[name][None])
        result[f"{prefix}f1"] = overall["f1"]
        result[f"{prefix}precision"] = overall["precision"]
        result[f"{prefix}recall"] = overall["recall"]
        for t in TYPES:
            per = _f(*counts[name][t])
            for key, v in per.items():
                result[f"{prefix}{t}_{key}"] = v
    result["gain"] = round(result["f1"] - result["baseline_f1"], 4)
    # the even and odd documents apart: the spread of the figure (no part of the set was held back)
    result["halves"] = [
        {"f1": _f(*h["newsweave"])["f1"], "baseline_f1": _f(*h["plain"])["f1"]} for h in halves
    ]
    return result
