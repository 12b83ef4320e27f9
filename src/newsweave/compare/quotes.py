"""Direct quotes across sources: find the quoted stretches, group the same utterance, decide its wording.

Finding: with an analysis, the analysis stage's direct quotes (:func:`analysis_quotes`: the quoted words
inside their content spans, with the analysis' speaker), plus the quoted stretches it has no quote for
(its marked spans: scare quotes other outlets may quote too). Without one, :func:`find_quotes`: words between matching
quotation marks (curly double, straight double paired within a paragraph, curly single opened at a word
start), without the marks and without the trailing comma or full stop. A speaker is looked for next to
the quote ("..., Klitschko told the BBC", "Trump said: ...", a pronoun resolved to the last name before
it).

Grouping: two fragments in different articles are the same utterance when they share runs of words
(difflib matching blocks of at least two words, compared on letters and digits only; a run goes on across
one or two near-synonyms swapped in, "an inexplicable tragedy" / "an unexplainable tragedy") covering
``MIN_SHARE`` of the shorter fragment and at least ``MIN_WORDS`` words. Different lines on one subject share
a phrase too ("shot down the plane" in two lines of one recording): a link also needs ``MIN_CONTENT``
content words in the common runs and, below ``SURE_SHARE``, most of the shorter fragment's content words in
the other one. Fragments are merged by links; :mod:`newsweave.compare.utterances` puts the pieces of one
quotation (split around its attribution) back together as one utterance with one status.

Wording status, as in shared/data/cross-source-dev (compare letters and digits only): per article, the
rendering is its fragments of the group in text order (an echo contained in another fragment dropped);
``identical`` = the same words; ``truncated`` = every fragment of one rendering is a contiguous part of
the other; ``reworded`` = anything else. A group takes its most divergent pair of articles; the word-level
diff (difflib) is shown for that pair.
"""

from __future__ import annotations

import dataclasses
import difflib
import re
from dataclasses import dataclass

from newsweave.analyse.cues import LEMMAS, STRONG
from newsweave.analyse.marked import direct_pieces, quote_words, quoted_stretches
from newsweave.model import Analysis
from newsweave.text import STOP_WORDS, sentence_spans
from newsweave.unionfind import DisjointSets

MIN_WORDS = 3  # shared words for a link (two when the shorter fragment has only two content words)
MIN_SHARE = 0.5  # share of the shorter fragment covered by common runs of words
# Different lines on one subject share a phrase: between MIN_SHARE and SURE_SHARE of the shorter unit in
# common, a link needs a run of LONG_RUN words or MIN_COVER of the shorter unit's content words found in the
# other one (in any order); a unit not wholly inside the other needs MIN_CONTENT distinct content words in
# the common runs ("down the plane" alone links two different lines of one recording). Chosen on the fit
# half of cross-source-dev (issue #20), for three of its four false links: two share half the shorter unit
# in runs of 3-4 words with 0.5-0.6 of its content words, one has a single content word in common; its
# true links at 0.50-0.6 keep all their content words, and a paraphrased rendering in the demo corpus keeps
# a 7-word run ("proud of every crew that went out")
SURE_SHARE = 0.6
LONG_RUN = 5
MIN_COVER = 0.75
MIN_CONTENT = 2
SHORT_PARTNER = 4  # words: the longest unit a two-word quote may be matched with
CONTAINED = 0.9  # a unit this much inside another links to it even when not its best match
# near-synonyms (a word one outlet renders for another): letter-sequence ratio and the shortest word; 0.75
# takes "inexplicable" / "unexplainable" (0.80), "terrible" / "horrible" (0.75) and leaves "tragedy" /
# "strategy" (0.67) and "condemn" / "condone" (0.71) apart; checked on the fit half (issue #20)
NEAR = 0.75
NEAR_MIN_LETTERS = 5
MAX_SWAP = 2  # words swapped for near-synonyms inside one run of common words
# the reporting verbs of the analysis stage (:mod:`newsweave.analyse.cues`, its core ``STRONG`` list), every
# form but the -ing one: one list of reporting verbs for the whole project
SPEECH_VERBS = "|".join(
    sorted(
        (f for f, lemma in LEMMAS.items() if lemma in STRONG and not f.endswith("ing")), key=len, reverse=True
    )
)
_AFTER_SPEAKER = re.compile(
    rf"^[\s,.!?]*(?:[\u201d\"'\u2019]\s*)?,?\s*(?P<who>(?:the\s+)?[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){{0,3}}|he|she|they)"
    rf"\s+(?:{SPEECH_VERBS})\b"
)
_AFTER_VERB = re.compile(
    rf"^[\s,.!?]*(?:[\u201d\"'\u2019]\s*)?,?\s*(?:{SPEECH_VERBS})\s+(?P<who>(?:the\s+)?[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){{0,3}})"
)
_AFTER_APPOSITIVE = re.compile(
    rf"^[\s,.!?]*(?:[\u201d\"'\u2019]\s*)?,?\s*(?:the\s+)?[\w\s'\u2019-]{{0,50}}?,\s*"
    rf"(?P<who>(?:(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+)?[A-Z][\w'\u2019-]+(?:\s+[A-Z][\w'\u2019-]+){{0,2}}),\s*(?:{SPEECH_VERBS})\b"
)
_BEFORE = re.compile(
    rf"(?P<who>[A-Z][\w.'\u2019-]*(?:\s+[A-Z][\w.'\u2019-]*){{0,3}}|[Hh]e|[Ss]he|[Tt]hey)\s+(?:{SPEECH_VERBS})\b[^\u201c\"]{{0,60}}$"
)
_NAME = re.compile(r"\b([A-Z][a-z\u00c0-\u024f'\u2019-]+(?:\s+[A-Z][a-z\u00c0-\u024f'\u2019-]+){1,3})\b")


@dataclass(frozen=True)
class Fragment:
    """A quoted stretch in one article."""

    index: int  # article position in the story
    start: int
    end: int
    text: str
    speaker: str | None = None
    explicit: bool = False  # the speaker is named next to the quote (not a pronoun resolved backwards)
    utterance: int = (
        -1
    )  # units cut from one quotation (one stretch, or stretches split around an attribution)
    part: int = 0  # the stretch's place in its quotation (1, 2, ... for the pieces after an attribution)


def sentence_units(frags: list[Fragment]) -> list[Fragment]:
    """Each quoted stretch cut into its sentences (the unit of the cross-source gold: "a long statement
    quoted selectively gives one item per shared sentence"); ``utterance`` keeps them together."""
    out: list[Fragment] = []
    for n, f in enumerate(frags):
        for a, b in sentence_spans(f.text):
            t = f.text[a:b]
            b2 = len(t.rstrip(" ,.;:"))
            if b2 == 0 or not quote_words(t):
                continue
            out.append(
                dataclasses.replace(
                    f,
                    start=f.start + a,
                    end=f.start + a + b2,
                    text=t[:b2],
                    utterance=f.utterance if f.utterance >= 0 else n,
                )
            )
    return out


def find_quotes(text: str, index: int = 0) -> list[Fragment]:
    """Direct-quote fragments in ``text``: the quoted stretches of
    :func:`~newsweave.analyse.marked.quoted_stretches`, each with the speaker named next to it."""
    return [Fragment(index, a, b, text[a:b], *find_speaker(text, a, b)) for a, b in quoted_stretches(text)]


def analysis_quotes(text: str, analysis: Analysis, index: int = 0, marks: bool = True) -> list[Fragment]:
    """Direct-quote fragments from the analysis stage's quotes (:attr:`Analysis.quotes`): for each content
    span of a direct quote, the quoted words inside it (:func:`~newsweave.analyse.marked.direct_pieces`),
    cut as :func:`find_quotes` cuts them. The speaker is the analysis' one, unless it is a role ("the
    commissioner") and the text names one next to the quote. ``marks``: add the quoted stretches that
    overlap no analysis quote (the analysis' :attr:`~newsweave.model.Analysis.marked` spans; for an analysis
    stored before it kept them, :func:`find_quotes`' stretches), with the speaker of an analysis quote (direct
    or reported) whose content holds them."""
    out: list[Fragment] = []
    for (a, b), said_by in sorted(direct_pieces(text, analysis.quotes).items()):
        if any(a >= f.start and b <= f.end for f in out):
            continue
        who, explicit = find_speaker(text, a, b)
        if _analysis_speaker_wins(said_by, who, explicit):
            who, explicit = said_by, True
        out.append(Fragment(index, a, b, text[a:b], who, explicit))
    if not marks:
        return out
    # the quoted stretches the analysis has no direct quote for: words it leaves out on purpose (scare
    # quotes, "legal highs") that other outlets may put in quotation marks too, and quotes it misses
    if analysis.marked is None:
        found = find_quotes(text, index)
    else:
        found = [
            Fragment(index, m.start, m.end, text[m.start : m.end], *find_speaker(text, m.start, m.end))
            for m in analysis.marked
        ]
    extra = [f for f in found if not any(g.start < f.end and f.start < g.end for g in out)]
    return sorted(out + [_speaker_from(f, analysis) for f in extra], key=lambda f: f.start)


def _analysis_speaker_wins(said_by: str | None, named: str | None, explicit: bool) -> bool:
    """The analysis' speaker is taken unless it is a role ("the commissioner", lower case) and the text
    names a speaker right beside the quote."""
    return bool(said_by) and not (named and explicit and (said_by or "")[:1].islower())


def _speaker_from(f: Fragment, analysis: Analysis) -> Fragment:
    """The speaker of an analysis quote whose content holds the fragment (a direct or reported one), unless
    it is a role ("the board's chief executive") and the fragment already has a named one."""
    for q in analysis.quotes:
        if not _analysis_speaker_wins(q.speaker, f.speaker, f.explicit):
            continue
        if any(sp.start < f.end and sp.end > f.start for sp in q.content):
            return dataclasses.replace(f, speaker=q.speaker, explicit=True)
    return f


def _drop_leading_stopwords(name: str) -> str:
    parts = name.split()
    while len(parts) > 1 and parts[0].lower() in STOP_WORDS:
        parts = parts[1:]
    return " ".join(parts)


def find_speaker(text: str, a: int, b: int) -> tuple[str | None, bool]:
    """(speaker, named explicitly) for the quote at ``[a, b)``."""
    after = text[b : b + 80]
    m = _AFTER_APPOSITIVE.match(after) or _AFTER_SPEAKER.match(after) or _AFTER_VERB.match(after)
    if m is None:
        line_start = text.rfind("\n", 0, a) + 1
        m = _BEFORE.search(text[max(line_start, a - 160) : max(line_start, a - 1)])
    if m is None:
        return None, False
    who = re.sub(r"^(?:Dr|Mr|Mrs|Ms|Prof)\.?\s+", "", m.group("who").strip())
    if who.lower() in ("he", "she", "they"):
        names = [_drop_leading_stopwords(n) for n in _NAME.findall(text[max(0, a - 1500) : a])]
        names = [n for n in names if " " in n or n[:1].isupper()]
        return (names[-1] if names else None), False
    return who, True


def near_synonym(x: str, y: str) -> bool:
    """Two words one outlet may render for the other ("inexplicable" / "unexplainable", "outrage" /
    "outraged", "Gaddafi" / "Gadhafi"): content words of ``NEAR_MIN_LETTERS`` letters or more whose letter
    sequences agree at ``NEAR`` (difflib ratio)."""
    if x == y:
        return True
    if min(len(x), len(y)) < NEAR_MIN_LETTERS or x in STOP_WORDS or y in STOP_WORDS:
        return False
    return difflib.SequenceMatcher(None, x, y, autojunk=False).ratio() >= NEAR


def common_runs(wa: list[str], wb: list[str]) -> list[tuple[int, int, int]]:
    """(start in wa, start in wb, length) of the runs of words the two renderings share in order: difflib's
    matching blocks, joined across a gap of at most ``MAX_SWAP`` words on each side (the same count) whose
    words are near-synonyms of each other, the swapped words counted in the run."""
    runs: list[list[int]] = []
    pa = pb = 0  # end of the previous block

    def swapped(a: int, b: int, n: int) -> bool:
        return 0 < n <= MAX_SWAP and all(near_synonym(wa[a + k], wb[b + k]) for k in range(n))

    for blk in difflib.SequenceMatcher(None, wa, wb, autojunk=False).get_matching_blocks():
        ga, gb = blk.a - pa, blk.b - pb
        if blk.size == 0:  # the sentinel: a swap at the very end
            if ga == gb and swapped(pa, pb, ga):
                if runs and runs[-1][0] + runs[-1][2] == pa:
                    runs[-1][2] += ga
                else:
                    runs.append([pa, pb, ga])
            break
        if ga == gb and swapped(pa, pb, ga):
            if runs and runs[-1][0] + runs[-1][2] == pa and runs[-1][1] + runs[-1][2] == pb:
                runs[-1][2] += ga + blk.size
            else:
                runs.append([pa, pb, ga + blk.size])
        else:
            runs.append([blk.a, blk.b, blk.size])
        pa, pb = blk.a + blk.size, blk.b + blk.size
    return [(a, b, n) for a, b, n in runs]


def overlap(a: Fragment, b: Fragment, wa: list[str] | None = None, wb: list[str] | None = None) -> float:
    """Share of the shorter unit covered by runs of common words (0 when they are not the same words);
    near-synonyms swapped inside a run count as common (:func:`common_runs`)."""
    wa = quote_words(a.text) if wa is None else wa
    wb = quote_words(b.text) if wb is None else wb
    if not wa or not wb:
        return 0.0
    shared = [r for r in common_runs(wa, wb) if r[2] >= 2]
    shorter = min(len(wa), len(wb))
    n = sum(r[2] for r in shared)
    longest = max((r[2] for r in shared), default=0)
    content = [w for r in shared for w in wa[r[0] : r[0] + r[2]] if w not in STOP_WORDS]
    if not content:
        return 0.0
    if n == shorter == 2 and len(content) == 2:
        # a two-word quote ("particularly frank", "great leadership") matches inside a long quote, but a
        # name ("Governor Romney") only matches another short quote: it would chain unrelated remarks
        short = a.text if len(wa) == 2 else b.text
        is_name = any(w[:1].isupper() for w in short.split())
        return 1.0 if not is_name or max(len(wa), len(wb)) <= SHORT_PARTNER else 0.0
    if n < MIN_WORDS or longest < MIN_WORDS or n < MIN_SHARE * shorter:
        return 0.0
    if n < shorter and len(set(content)) < MIN_CONTENT:  # a line inside another one may be short
        return 0.0
    if n < SURE_SHARE * shorter and longest < LONG_RUN and _content_cover(wa, wb) < MIN_COVER:
        # half the words in common is also what two different lines on one subject share ("insufficient
        # weight to the public interest" / "... it is in the public interest, which it isn't"): a
        # rewording keeps most of the shorter line's content words, in any order
        return 0.0
    return n / shorter


def _content_cover(wa: list[str], wb: list[str]) -> float:
    """Share of the shorter unit's content words found (or a near-synonym) anywhere in the other one."""
    short, other = (wa, wb) if len(wa) <= len(wb) else (wb, wa)
    mine = [w for w in short if w not in STOP_WORDS]
    theirs = {w for w in other if w not in STOP_WORDS}
    if not mine:
        return 1.0
    return sum(1 for w in mine if w in theirs or any(near_synonym(w, t) for t in theirs)) / len(mine)


def candidate_pairs(ws: list[list[str]], index: list[int]) -> set[tuple[int, int]]:
    """Pairs of units in different articles that share a word bigram (a link needs one), or a pair of words
    one or two apart (a run with near-synonyms swapped in: "an inexplicable tragedy" / "an unexplainable
    tragedy")."""
    by_gram: dict[tuple[str, str, int], list[int]] = {}
    for i, w in enumerate(ws):
        grams = {(x, y, gap) for gap in range(MAX_SWAP + 1) for x, y in zip(w, w[1 + gap :], strict=False)}
        for g in grams:
            by_gram.setdefault(g, []).append(i)
    out: set[tuple[int, int]] = set()
    for units in by_gram.values():
        if len(units) > 200:  # a bigram in hundreds of quotes ("of the") says nothing
            continue
        for x in range(len(units)):
            for y in range(x + 1, len(units)):
                i, j = units[x], units[y]
                if index[i] != index[j]:
                    out.add((i, j) if i < j else (j, i))
    return out


def _sub(a: list[str], b: list[str]) -> bool:
    return len(a) < len(b) and any(b[i : i + len(a)] == a for i in range(len(b) - len(a) + 1))


def rendering(frags: list[Fragment]) -> list[list[str]]:
    """One article's rendering: its fragments in order, echoes contained in another one dropped."""
    ws = [quote_words(f.text) for f in sorted(frags, key=lambda f: f.start)]
    return [
        w
        for i, w in enumerate(ws)
        if not any(j != i and (_sub(w, o) or (w == o and j < i)) for j, o in enumerate(ws))
    ]


def relation(x: list[list[str]], y: list[list[str]]) -> str:
    if "".join(t for f in x for t in f) == "".join(t for f in y for t in f):
        return "identical"
    sx = " " + " ".join(t for f in x for t in f) + " "
    sy = " " + " ".join(t for f in y for t in f) + " "
    if all(" " + " ".join(f) + " " in sy for f in x) or all(" " + " ".join(f) + " " in sx for f in y):
        return "truncated"
    return "reworded"


_RANK = {"identical": 0, "truncated": 1, "reworded": 2}


def group_quotes(frags: list[Fragment]) -> list[tuple[str, list[Fragment], tuple[int, int] | None]]:
    """(status, fragments, most divergent pair of article indexes) per utterance."""
    sets = DisjointSets(range(len(frags)))
    # a link needs the shorter unit contained in the other (CONTAINED of it), or the two units each
    # other's best match between their two articles: a phrase shared by two different remarks
    # ("his position of political neutrality") must not chain two utterances together.
    score: dict[tuple[int, int], float] = {}
    best: dict[tuple[int, int], float] = {}  # (unit, other article) -> best overlap
    ws = [quote_words(f.text) for f in frags]
    for i, j in sorted(candidate_pairs(ws, [f.index for f in frags])):
        o = overlap(frags[i], frags[j], ws[i], ws[j])
        if o > 0:
            score[(i, j)] = o
            for u, other in ((i, frags[j].index), (j, frags[i].index)):
                best[(u, other)] = max(best.get((u, other), 0.0), o)
    for (i, j), o in score.items():
        mutual = o >= best.get((i, frags[j].index), 0.0) and o >= best.get((j, frags[i].index), 0.0)
        if o >= CONTAINED or mutual:
            sets.union(i, j)
    out: list[tuple[str, list[Fragment], tuple[int, int] | None]] = []
    for members in sets.groups(range(len(frags))):
        g = [frags[i] for i in members]
        g.sort(key=lambda f: (f.index, f.start))
        by_art: dict[int, list[Fragment]] = {}
        for f in g:
            by_art.setdefault(f.index, []).append(f)
        if len(by_art) < 2:
            out.append(("single", g, None))
            continue
        rend = {a: rendering(fs) for a, fs in by_art.items()}
        arts = sorted(rend)
        status, pair = "identical", (arts[0], arts[1])
        for i, a in enumerate(arts):
            for b in arts[i + 1 :]:
                r = relation(rend[a], rend[b])
                if _RANK[r] > _RANK[status]:
                    status, pair = r, (a, b)
        out.append((status, g, pair))
    out.sort(key=lambda x: (x[0] == "single", x[1][0].index, x[1][0].start))
    return out


def word_diff(a: str, b: str) -> list[tuple[str, str, str]]:
    """(op, words of a, words of b) with op equal / replace / delete / insert."""
    wa, wb = a.split(), b.split()
    ka = [" ".join(quote_words(w)) for w in wa]
    kb = [" ".join(quote_words(w)) for w in wb]
    ops = difflib.SequenceMatcher(None, ka, kb, autojunk=False).get_opcodes()
    return [(op, " ".join(wa[i1:i2]), " ".join(wb[j1:j2])) for op, i1, i2, j1, j2 in ops]
