"""compare_articles: one story's articles in, a :class:`Comparison` with evidence out.

Each part (claims, quotes, numbers, entities, framing) runs on its own: a failure in one is logged and
recorded in ``Comparison.warnings``, and the others still come out (a report is never lost to one odd
article). Every evidence text is checked against the article text before it is returned.
"""

from __future__ import annotations

import bisect
import dataclasses
import logging
import re
from collections.abc import Callable, Iterable, Sequence
from typing import TypeVar

from newsweave.analyse.numfind import find_numbers, reference_year, resolve_years, stored_mentions
from newsweave.cluster.headline import story_headline
from newsweave.compare import framing as fr
from newsweave.compare import tagging
from newsweave.compare.claims import Sent, build_claims, long_enough, undecided
from newsweave.compare.entities import alias_table
from newsweave.compare.label import number_label, window
from newsweave.compare.numbers import Located, context_vectors, group_numbers, mark_times
from newsweave.compare.options import CompareOptions
from newsweave.compare.quotes import (
    Fragment,
    analysis_quotes,
    find_quotes,
    group_quotes,
    sentence_units,
    word_diff,
)
from newsweave.compare.result import (
    AliasRow,
    Claim,
    Comparison,
    DiffOp,
    Evidence,
    Framing,
    NumberGroup,
    NumberMention,
    QuoteGroup,
)
from newsweave.compare.sources import source_infos
from newsweave.compare.text import Idf, content_stems
from newsweave.compare.utterances import join_quotations, utterances
from newsweave.embed_store import EmbeddingsUnavailable, TextCache
from newsweave.model import Analysis, Article
from newsweave.text import paragraph_spans, sentence_spans

log = logging.getLogger(__name__)
T = TypeVar("T")


def unique_articles(articles: Sequence[Article]) -> list[Article]:
    """Articles with distinct ids (a second copy of the same text gets ``-2``, ``-3`` appended)."""
    seen: dict[str, int] = {}
    out = []
    for a in articles:
        n = seen.get(a.id, 0) + 1
        seen[a.id] = n
        out.append(a if n == 1 else dataclasses.replace(a, id=f"{a.id}-{n}"))
    return out


def compare_articles(
    articles: Sequence[Article],
    analyses: Sequence[Analysis] | None = None,
    options: CompareOptions | None = None,
    cache: TextCache | None = None,
) -> Comparison:
    """The comparison of ``articles``. ``cache``: stored sentence vectors and part-of-speech tags to read
    first (:class:`~newsweave.embed_store.TextCache`; what it lacks is computed and left in it for the
    caller to save); the embedding model and spaCy's tagger load only for texts it lacks."""
    options = options or CompareOptions()
    cache = cache if cache is not None else TextCache()
    arts = unique_articles(articles)
    warnings: list[str] = []
    infos, n_indep = source_infos(arts, options.lead_chars)
    sources = [s.source for s in infos]
    groups = [s.independent_group for s in infos]
    by_id = {a.id: a for a in arts}
    an_by_id = {an.article_id: an for an in (analyses or [])}
    sents: list[Sent] = _run(warnings, "sentences", lambda: _sentences(arts, an_by_id, options), [])
    embedder = None
    if options.embeddings is not False and len(arts) > 1:
        embedder = cache.embedder()
        if embedder is None and options.embeddings:
            warnings.append("embeddings requested but not available: lexical alignment only")

    def claims_part() -> list[Claim]:
        nonlocal embedder
        long = [s for s in sents if long_enough(s.text, options.min_claim_words)]
        ids = [a.id for a in arts]
        try:
            return build_claims(long, ids, sources, groups, embedder, options.shared_p, options.link_p)
        except EmbeddingsUnavailable as e:  # the model was needed and failed to load
            warnings.append(f"{e}: lexical alignment only")
            embedder = None
            return build_claims(long, ids, sources, groups, None, options.shared_p, options.link_p)

    claims: list[Claim] = _run(warnings, "claims", claims_part, [])
    quotes: list[QuoteGroup] = _run(warnings, "quotes", lambda: _quotes(arts, sources, an_by_id, options), [])
    no_numbers: tuple[list[NumberGroup], list[tuple[str, str, Evidence]]] = ([], [])
    numbers, dated = _run(
        warnings,
        "numbers",
        lambda: _numbers(arts, sources, sents, options, _stated(claims, arts), an_by_id),
        no_numbers,
    )
    claims = _run(warnings, "contradictions", lambda: flag_contradictions(claims, numbers), claims)
    claims = _run(warnings, "single sources", lambda: drop_shared_singles(claims, quotes, numbers), claims)
    entities: list[AliasRow] = _run(warnings, "entities", lambda: alias_table(arts, analyses), [])
    framing = _run(
        warnings,
        "framing",
        lambda: Framing(
            leads=tuple(fr.leads(arts, sources, options.lead_chars)),
            loaded=tuple(
                fr.loaded_words(
                    arts,
                    sources,
                    options.loaded_examples,
                    cache.tagger(tagging.tagger_id(), tagging.tag_texts),
                )
            ),
            attribution=tuple(fr.attribution(claims, an_by_id, entities)),
            timeline=tuple(fr.timeline(dated)),
        ),
        Framing(),
    )
    comp = Comparison(
        sources=tuple(infos),
        claims=tuple(claims),
        quotes=tuple(quotes),
        numbers=tuple(numbers),
        entities=tuple(entities),
        framing=framing,
        independent_sources=n_indep,
        headline=_run(warnings, "headline", lambda: story_headline(arts), None),
        undecided=tuple(
            Evidence(arts[s.index].id, sources[s.index], s.start, s.end, s.text)
            for s in undecided(
                [s for s in sents if long_enough(s.text, options.min_claim_words)],
                claims,
                [a.id for a in arts],
            )
        ),  # fmt: skip
        embeddings_used=embedder is not None,
        warnings=tuple(warnings),
    )
    _check_evidence(comp, by_id)
    return comp


def _run(warnings: list[str], what: str, fn: Callable[[], T], default: T) -> T:
    try:
        return fn()
    except Exception as e:  # one failing part must not lose the whole report
        log.exception("comparison part %s failed", what)
        warnings.append(f"{what} failed: {type(e).__name__}: {e}")
        return default


def _sentences(arts: list[Article], an_by_id: dict[str, Analysis], options: CompareOptions) -> list[Sent]:
    out: list[Sent] = []
    for i, a in enumerate(arts):
        an = an_by_id.get(a.id)
        spans: list[tuple[int, int]]
        if options.analysis_sentences and an is not None and an.sentences:
            spans = [(s.span.start, s.span.end) for s in an.sentences]
        else:
            paras = list(a.paragraphs) or paragraph_spans(a.text)
            spans = [sp for p0, p1 in paras for sp in sentence_spans(a.text, p0, p1)]
        for s, e in spans[: options.max_sentences]:
            if e > s:
                out.append(Sent(i, s, e, a.text[s:e]))
    return out


def _quotes(
    arts: list[Article], sources: list[str], an_by_id: dict[str, Analysis], options: CompareOptions
) -> list[QuoteGroup]:
    frags: list[Fragment] = []
    for i, a in enumerate(arts):
        an = an_by_id.get(a.id)
        found = analysis_quotes(a.text, an, i) if an is not None else find_quotes(a.text, i)
        frags.extend(found[: options.max_quotes])
    frags = sentence_units(join_quotations(frags, {i: a.text for i, a in enumerate(arts)}))
    groups = group_quotes(frags)
    utter = utterances(groups)
    members: dict[int, list[Fragment]] = {}
    for (_, g, _), (u, _) in zip(groups, utter, strict=True):
        members.setdefault(u, []).extend(g)
    kinds = _speaker_kinds(an_by_id.values())
    out = []
    full_names: dict[tuple[str | None, tuple[int, ...]], str | None] = {}  # each search reads whole texts
    for n, ((_, g, pair), (u, status)) in enumerate(zip(groups, utter, strict=True)):
        whole = members[u]  # the speaker is the utterance's, the same for every piece
        key = (_speaker_of(whole, kinds), tuple(sorted({f.index for f in whole})))
        if key not in full_names:
            full_names[key] = _full_name(key[0], [arts[i].text for i in key[1]], kinds)
        speaker = full_names[key]
        ev = tuple(Evidence(arts[f.index].id, sources[f.index], f.start, f.end, f.text) for f in g)
        rend: dict[int, list[str]] = {}
        for f in g:
            rend.setdefault(f.index, []).append(f.text)
        renderings = tuple((arts[i].id, " ".join(ts)) for i, ts in rend.items())
        diff: tuple[DiffOp, ...] = ()
        dpair = None
        if pair is not None:
            a_txt, b_txt = " ".join(rend[pair[0]]), " ".join(rend[pair[1]])
            diff = tuple(DiffOp(op, x, y) for op, x, y in word_diff(a_txt, b_txt))
            dpair = (arts[pair[0]].id, arts[pair[1]].id)
        out.append(QuoteGroup(f"q{n + 1}", status, speaker, ev, renderings, dpair, diff, f"u{u + 1}"))
    return out


def _speaker_of(g: list[Fragment], kinds: dict[str, str] | None = None) -> str | None:
    """The most often named speaker of an utterance's pieces (named beside the quote before resolved
    pronouns): a person when the text names one ("Graham Smith" over "the Republic group", "Adam Silver" over
    "the commissioner"), an organisation or a role only when no person is named."""
    votes: dict[str, float] = {}
    for f in g:
        if f.speaker:
            votes[f.speaker] = votes.get(f.speaker, 0.0) + (1.0 if f.explicit else 0.3)
    if not votes:
        return None
    # "Klitschko" and "Vitali Klitschko" vote together for the longer form
    for k in list(votes):
        for other in votes:
            if other != k and other.endswith(" " + k):
                votes[other] += votes[k]
    people = [k for k in votes if _is_person(k, kinds or {})]
    return max(people or votes, key=lambda k: (votes[k], len(k)))


# words that make a speaker an organisation or a group, not a person (when the analysis has no label)
_ORG_WORDS = frozenset(
    "agency army association authority bank board bureau channel commission committee company corporation "
    "council court department embassy federation force forces foundation government group inc institute "
    "league ltd ministry network news office organisation organization party police post press service "
    "spokesman spokeswoman spokesperson team times tribunal union university watch".split()
)


def _is_person(name: str, kinds: dict[str, str]) -> bool:
    """A person's name: the analysis' label where it has one (PERSON), else capitalised words with no
    article, possessive, acronym or organisation word ("the man on the recording", "ILO's Director-General",
    "Human Rights Watch" are not)."""
    label = kinds.get(name.lower())
    if label is not None:
        return label == "PERSON"
    parts = name.split()
    if not parts or len(parts) > 4 or parts[0].lower() in ("the", "a", "an"):
        return False
    if any(not p[:1].isupper() or p.isupper() or p.endswith(("'s", "\u2019s")) for p in parts):
        return False
    return not any(p.lower().strip(".,") in _ORG_WORDS for p in parts)


def _speaker_kinds(analyses: Iterable[Analysis]) -> dict[str, str]:
    """Lower-cased entity names and surface forms -> the analysis' label (PERSON, ORG, ...)."""
    out: dict[str, str] = {}
    for an in analyses:
        for e in an.entities:
            for form in (e.canonical, *e.aliases):
                out.setdefault(form.lower(), e.label)
        for m in an.mentions:
            out.setdefault(m.text.lower(), m.label)
    return out


# capitalised words that open a sentence before a name without being a first name ("In Israel, ...")
_NOT_FIRST_NAMES = frozenset(
    "in on at from after before for with by as when while but and if so then also yet meanwhile later earlier"
    " asked speaking elsewhere across inside outside near under over during".split()
)


def _full_name(speaker: str | None, texts: list[str], kinds: dict[str, str] | None = None) -> str | None:
    """ "Councillor Hollis" -> "Petra Hollis" when the articles name a councillor Petra Hollis (and no other
    councillor Hollis); a bare surname -> the one full name with that surname. A one-word speaker the
    analysis labels other than a person ("Israel", "Hamas") is a name already, not a surname."""
    if not speaker:
        return speaker
    parts = speaker.split()
    if len(parts) > 2 or not parts[-1][:1].isupper():
        return speaker
    if len(parts) == 1 and (kinds or {}).get(speaker.lower(), "PERSON") != "PERSON":
        return speaker
    surname = re.escape(parts[-1])
    title = re.escape(parts[0]) + r"\s+" if len(parts) == 2 else ""
    found = set()
    for t in texts:
        for m in re.finditer(rf"(?i:{title})([A-Z][\w'\u2019-]+)\s+{surname}\b", t):
            if m.group(1).lower() not in ("the", "a", "an") and m.group(1).lower() not in _NOT_FIRST_NAMES:
                found.add(f"{m.group(1)} {parts[-1]}")
    if len(found) == 1 and (title or len(parts) == 1):
        return found.pop()
    return speaker


def _stated(claims: list[Claim], arts: list[Article]) -> set[tuple[int, int, int, int]]:
    """Pairs of sentences in different articles that one claim links (article index, start; lower first)."""
    pos = {a.id: i for i, a in enumerate(arts)}
    out: set[tuple[int, int, int, int]] = set()
    for c in claims:
        if c.status == "single":
            continue
        ev = sorted((pos[e.article_id], e.start) for e in c.evidence if e.article_id in pos)
        for x, (ia, sa) in enumerate(ev):
            for ib, sb in ev[x + 1 :]:
                if ia != ib:
                    out.add((ia, sa, ib, sb))
    return out


def _numbers(
    arts: list[Article],
    sources: list[str],
    sents: list[Sent],
    options: CompareOptions,
    stated: set[tuple[int, int, int, int]] | None = None,
    an_by_id: dict[str, Analysis] | None = None,
) -> tuple[list[NumberGroup], list[tuple[str, str, Evidence]]]:
    """Number groups and dated figures. Each article's figures are its analysis' (found once, by the
    analysis: :func:`newsweave.analyse.numfind.stored_mentions`), relative years counted from the story's
    reference year here; an article without an analysis, or whose analysis has no figures, gets the
    finder run on its text."""
    idf = Idf(content_stems(s.text) for s in sents)
    items: list[Located] = []
    refs = [reference_year(a.url, a.published_at) for a in arts]
    sure_years = sorted(y for y, sure in refs if sure and y is not None)
    for i, a in enumerate(arts):
        ref, sure = refs[i]
        if not sure and sure_years:  # a dated URL of another report of the same story
            ref, sure = sure_years[len(sure_years) // 2], True
        mine = [s for s in sents if s.index == i]
        an = (an_by_id or {}).get(a.id)
        stored = stored_mentions(an) if an is not None else None
        found = resolve_years(stored, ref, sure) if stored is not None else find_numbers(a.text, ref, sure)
        found = found[: options.max_numbers]
        located = []
        starts = [s.start for s in mine]
        for m in found:
            k = bisect.bisect_right(starts, m.start) - 1
            inside = k >= 0 and mine[k].start <= m.start < mine[k].end
            located.append(Located(a.id, i, m, (mine[k].start, mine[k].end) if inside else (m.start, m.end)))
        context_vectors(a.text, [(s.start, s.end) for s in mine], located, idf)
        mark_times(a.text, located, ref if sure else None)
        items.extend(located)
    out = []
    dated: list[tuple[str, str, Evidence]] = []
    sentences: dict[str, list[str]] = {}  # group id -> its mentions' sentences
    for n, (status, g) in enumerate(group_numbers(items, stated)):
        sentences[f"n{n + 1}"] = [arts[it.index].text[it.sent[0] : it.sent[1]] for it in g]
        first = g[0]
        text = arts[first.index].text
        what = _what(arts, g)
        ev = tuple(Evidence(it.article, sources[it.index], it.m.start, it.m.end, it.m.text) for it in g)
        ms = tuple(
            NumberMention(it.article, it.m.text, it.m.exact, it.m.low, None if it.m.open_high else it.m.high,
                          first.m.dim, it.m.hedge)
            for it in g
        )  # fmt: skip
        out.append(NumberGroup(f"n{n + 1}", status, what, first.m.dim, ev, ms))
        if first.m.dim in ("year", "date") and not first.m.is_range and first.m.exact is not None:
            v = int(first.m.exact)
            date = str(v) if first.m.dim == "year" else f"{v // 10000:04d}-{v // 100 % 100:02d}-{v % 100:02d}"
            s, e = first.sent
            dated.append((date, what, Evidence(first.article, sources[first.index], s, e, text[s:e])))
    out = [
        dataclasses.replace(g, note=_time_note(g, arts, sentences[g.id])) if g.status == "conflict" else g
        for g in out
    ]
    rank = {"conflict": 0, "agree": 1, "single": 2}
    out.sort(key=lambda g: rank.get(g.status, 3))
    return [dataclasses.replace(g, id=f"n{k + 1}") for k, g in enumerate(out)], dated


UPDATE_GAP_HOURS = 3.0
# words in a figure's sentence that give it as a count at one moment: a toll "so far", a figure that "rose
# to", winds "at landfall" against those "earlier Monday". Read from the sentence, quoted in the note. A day
# alone ("on Thursday") is left out: it dates the event more often than the count.
_MOMENT = re.compile(
    r"\b(so far|to date|as of (?:[A-Z]\w+|now|today)|(?:has|have|had) (?:risen|climbed|grown|fallen|dropped) to|"
    r"(?:rose|climbed|grew|fell|dropped|jumped) to|up from|down from|at landfall|at its peak|"
    r"earlier (?:today|this week|on [A-Z]\w+day|[A-Z]\w+day)|the latest (?:figures?|count|toll|tally))\b"
)


def _time_note(g: NumberGroup, arts: list[Article], sentences: Sequence[str] = ()) -> str | None:
    """Say so when the conflicting figures may be one figure at two moments: reports published hours
    apart (a toll that rose between two reports is a different message from two outlets disagreeing at the
    same time), else mentions' ``sentences`` that give the figure at a moment ("so far", "at landfall")."""
    when = {a.id: a.published_utc for a in arts}
    times = [t for t in (when.get(aid) for aid in {e.article_id for e in g.evidence}) if t is not None]
    gap = (max(times) - min(times)).total_seconds() / 3600 if len(times) >= 2 else 0.0
    if gap >= UPDATE_GAP_HOURS:
        span = f"{gap:.0f} hours" if gap < 48 else f"{gap / 24:.0f} days"
        return f"the reports were published {span} apart: the figure may have been updated between them"
    moments = list(dict.fromkeys(m.group(1) for text in sentences for m in _MOMENT.finditer(text)))
    if not moments:
        return None
    said = ", ".join(f'"{w}"' for w in moments[:3])
    return f"the sentences give the figure at a moment ({said}): it may have changed between reports"


def _what(arts: list[Article], g: list[Located]) -> str:
    """The group's label: the fullest journalist's label among its mentions ("people killed in the crash"),
    else the first figure's window of words ("ferry crash left [11] passengers hurt and")."""
    best: tuple[int, str] | None = None
    for it in g:
        r = number_label(arts[it.index].text, it.sent, it.m)
        if r is not None and (best is None or r[0] > best[0]):
            best = r
    return best[1] if best else window(arts[g[0].index].text, g[0].sent, g[0].m)


def drop_shared_singles(
    claims: list[Claim], quotes: list[QuoteGroup], numbers: list[NumberGroup]
) -> list[Claim]:
    """A sentence is not "only in one source" when it carries a quote or a figure that other sources give
    too (a quote group or an agree/conflict number group spanning two articles): such a claim is taken out
    of the single verdicts (its sentence is then listed as undecided)."""
    shared: dict[str, list[tuple[int, int]]] = {}
    groups: list[tuple[str, tuple[Evidence, ...]]] = [(g.status, g.evidence) for g in quotes]
    groups += [(g.status, g.evidence) for g in numbers]
    for status, evidence in groups:
        if status == "single" or len({e.article_id for e in evidence}) < 2:
            continue
        for e in evidence:
            shared.setdefault(e.article_id, []).append((e.start, e.end))

    def carries(c: Claim) -> bool:
        return any(
            ev.start <= s and e <= ev.end for ev in c.evidence for s, e in shared.get(ev.article_id, ())
        )

    def one_article(c: Claim) -> bool:
        return len({e.article_id for e in c.evidence}) == 1

    return [c for c in claims if not (c.status == "single" and one_article(c) and carries(c))]


def flag_contradictions(claims: list[Claim], numbers: list[NumberGroup]) -> list[Claim]:
    """A claim whose sentences in two articles carry incompatible figures of one conflicting number group
    ("wounded 26 people" / "wounded 15 people") is ``contradicts``, not ``shared`` or ``partial``; its
    ``at_odds`` names those groups, so the verdict points to the figures it rests on."""
    spans: dict[str, list[tuple[str, int, int, float, float]]] = {}
    for g in numbers:
        if g.status != "conflict":
            continue
        for e, m in zip(g.evidence, g.mentions, strict=False):
            lo = m.low if m.low is not None else float("-inf")
            hi = m.high if m.high is not None else float("inf")
            spans.setdefault(g.id, []).append((e.article_id, e.start, e.end, lo, hi))
    if not spans:
        return claims
    out = []
    for c in claims:
        at_odds = []
        if c.status in ("shared", "partial"):
            for gid, ms in spans.items():
                inside = [
                    (lo, hi, a)
                    for a, s, e, lo, hi in ms
                    if any(ev.article_id == a and ev.start <= s and e <= ev.end for ev in c.evidence)
                ]
                if any(x[2] != y[2] and (x[1] < y[0] or y[1] < x[0]) for x in inside for y in inside):
                    at_odds.append(gid)
        out.append(dataclasses.replace(c, status="contradicts", at_odds=tuple(at_odds)) if at_odds else c)
    return out


def _check_evidence(comp: Comparison, by_id: dict[str, Article]) -> None:
    for group in (comp.claims, comp.quotes, comp.numbers):
        for item in group:
            for ev in item.evidence:
                if (
                    by_id[ev.article_id].text[ev.start : ev.end] != ev.text
                ):  # an internal error: say so loudly
                    log.error("evidence does not match its article text: %r", ev)
