"""The comparison as JSON (schema: docs/compare-schema.md, version in ``schema_version``)."""

from __future__ import annotations

import dataclasses
import json
import math
from typing import Any

from newsweave.compare.result import Comparison, Evidence
from newsweave.report.common import utterances_of


def _clean(v: Any) -> Any:
    if isinstance(v, float) and (math.isinf(v) or math.isnan(v)):
        return None
    if isinstance(v, dict):
        return {k: _clean(x) for k, x in v.items()}
    if isinstance(v, list | tuple):
        return [_clean(x) for x in v]
    return v


def _ev(e: Evidence) -> dict[str, Any]:
    return {"article_id": e.article_id, "source": e.source, "start": e.start, "end": e.end, "text": e.text}


def to_dict(c: Comparison) -> dict[str, Any]:
    """The JSON-ready dict: top-level keys schema_version, sources, claims, quotes, numbers, entities,
    framing (then summary and warnings)."""
    d: dict[str, Any] = {
        "schema_version": c.schema_version,
        "sources": [dataclasses.asdict(s) for s in c.sources],
        "claims": [
            {"id": x.id, "status": x.status, "text": x.text, "score": x.score, "sources": list(x.sources),
             "independent_sources": x.independent_sources, "evidence": [_ev(e) for e in x.evidence],
             "at_odds": list(x.at_odds)}
            for x in c.claims
        ],
        "quotes": [
            {"id": q.id, "status": q.status, "speaker": q.speaker, "evidence": [_ev(e) for e in q.evidence],
             "renderings": [{"article_id": a, "text": t} for a, t in q.renderings],
             "diff_pair": list(q.diff_pair) if q.diff_pair else None,
             "diff": [{"op": o.op, "a": o.a, "b": o.b} for o in q.diff], "utterance": q.utterance}
            for q in c.quotes
        ],
        "numbers": [
            {"id": n.id, "status": n.status, "what": n.what, "unit": n.unit,
             "values": [{"article_id": m.article_id, "text": m.text, "value": m.value, "low": m.low,
                         "high": m.high, "hedge": m.hedge} for m in n.mentions],
             "note": n.note, "evidence": [_ev(e) for e in n.evidence]}
            for n in c.numbers
        ],
        "entities": [
            {"canonical": r.canonical, "label": r.label,
             "forms": [{"article_id": a, "forms": list(fs)} for a, fs in r.forms]}
            for r in c.entities
        ],
        "framing": {
            "leads": [{"article_id": x.article_id, "source": x.source, "headline": x.headline,
                       "first_paragraph": _ev(x.first_paragraph) if x.first_paragraph else None}
                      for x in c.framing.leads],
            "loaded": [{"article_id": x.article_id, "source": x.source, "word": x.word, "category": x.category,
                        "evidence": _ev(x.evidence)} for x in c.framing.loaded],
            "attribution": [{"claim_id": x.claim_id, "article_id": x.article_id, "source": x.source,
                             "attributed_to": x.attributed_to, "evidence": _ev(x.evidence)}
                            for x in c.framing.attribution],
            "timeline": [{"date": x.date, "label": x.label, "evidence": _ev(x.evidence)} for x in c.framing.timeline],
        },
        "headline": c.headline,
        "changes": [dataclasses.asdict(x) for x in c.changes],
        "undecided": [_ev(e) for e in c.undecided],
        "summary": summary(c),
        "warnings": list(c.warnings),
    }  # fmt: skip
    return _clean(d)


def summary(c: Comparison) -> dict[str, Any]:
    def count(items, status):
        return sum(1 for x in items if x.status == status)

    utterances = utterances_of(c)

    return {
        "articles": len(c.sources),
        "independent_sources": c.independent_sources,
        "embeddings_used": c.embeddings_used,
        "claims": {s: count(c.claims, s) for s in ("shared", "partial", "contradicts", "single")},
        "undecided_sentences": len(c.undecided),
        # quotations rendered by several sources count once per utterance (its pieces together)
        "quotes": {
            **{
                s: sum(1 for u in utterances if u.status == s) for s in ("identical", "truncated", "reworded")
            },
            "single": count(c.quotes, "single"),
        },
        "numbers": {s: count(c.numbers, s) for s in ("agree", "conflict", "single")},
    }


def dumps(c: Comparison, indent: int | None = None) -> str:
    return json.dumps(to_dict(c), ensure_ascii=False, indent=indent)


def _evidence(d: dict[str, Any]) -> Evidence:
    return Evidence(d["article_id"], d["source"], d["start"], d["end"], d["text"])


def _evs(items: list[dict[str, Any]]) -> tuple[Evidence, ...]:
    return tuple(_evidence(e) for e in items)


def from_dict(d: dict[str, Any]) -> Comparison:
    """The :class:`Comparison` a :func:`to_dict` form came from (a stored comparison read back):
    ``to_dict(from_dict(d)) == d``."""
    from newsweave.compare import result as r

    fr = d["framing"]
    return Comparison(
        sources=tuple(r.SourceInfo(**s) for s in d["sources"]),
        claims=tuple(
            r.Claim(x["id"], x["status"], x["text"], _evs(x["evidence"]), x["score"], tuple(x["sources"]),
                    x["independent_sources"], tuple(x.get("at_odds", ())))
            for x in d["claims"]
        ),
        quotes=tuple(
            r.QuoteGroup(q["id"], q["status"], q["speaker"], _evs(q["evidence"]),
                         tuple((x["article_id"], x["text"]) for x in q["renderings"]),
                         (q["diff_pair"][0], q["diff_pair"][1]) if q["diff_pair"] else None,
                         tuple(r.DiffOp(o["op"], o["a"], o["b"]) for o in q["diff"]), q.get("utterance"))
            for q in d["quotes"]
        ),
        numbers=tuple(
            r.NumberGroup(n["id"], n["status"], n["what"], n["unit"], _evs(n["evidence"]),
                          tuple(r.NumberMention(m["article_id"], m["text"], m["value"], m["low"], m["high"],
                                                n["unit"], m["hedge"]) for m in n["values"]),
                          n["note"])
            for n in d["numbers"]
        ),
        entities=tuple(
            r.AliasRow(e["canonical"], e["label"], tuple((f["article_id"], tuple(f["forms"])) for f in e["forms"]))
            for e in d["entities"]
        ),
        framing=r.Framing(
            leads=tuple(r.Lead(x["article_id"], x["source"], x["headline"],
                               _evidence(x["first_paragraph"]) if x["first_paragraph"] else None)
                        for x in fr["leads"]),
            loaded=tuple(r.LoadedWord(x["article_id"], x["source"], x["word"], x["category"],
                                      _evidence(x["evidence"])) for x in fr["loaded"]),
            attribution=tuple(r.Attribution(x["claim_id"], x["article_id"], x["source"], x["attributed_to"],
                                            _evidence(x["evidence"])) for x in fr["attribution"]),
            timeline=tuple(r.TimelineEvent(x["date"], x["label"], _evidence(x["evidence"]))
                           for x in fr["timeline"]),
        ),
        independent_sources=d["summary"]["independent_sources"],
        changes=tuple(r.VersionChange(**x) for x in d["changes"]),
        headline=d["headline"],
        undecided=_evs(d["undecided"]),
        embeddings_used=d["summary"]["embeddings_used"],
        schema_version=d["schema_version"],
        warnings=tuple(d["warnings"]),
    )  # fmt: skip
