"""Quotes and their speakers, from the cue verbs of parsed sentences and the quotation marks of the text.

The cascade (each step only handles what the earlier ones left):

1. Attributions from the parse: a reporting verb (``cues.SPEECH``) with its source (``nsubj``; inherited
   through ``xcomp``/``advcl``/``conj``; the antecedent of ``who``; the noun of an ``acl``; the object of
   "according to"; the agent of a passive) and its content (the complement clause; for "CLAUSE, X said" the
   rest of the clause; for object cues the object and its phrases). Cue words inside quotation marks are
   quoted speech, not attributions. Lines of the form ``NAME: text`` (transcripts, "Pence: ..." headlines)
   are attributions with the colon as cue.
2. Quoted segments (``quotemarks``), in order, go to the first of:
   a. the attribution whose content they overlap;
   b. the attribution right before them that already holds the first half (``"A," he said, "B."``);
   c. the nearest cue of the sentence where they start or end (core speech verbs first; a cue without
      content of its own, as in ``"...?" Vitter demanded.``, before one with);
   d. a free cue of the sentence before when it ends with a colon (``He added:``);
   e. the previous quote, when they open the sentence right after it (``"A," she said. "B."`` is one
      utterance in two parts);
   f. a free cue in the sentence right after them.
   A long quote left over keeps no speaker; a short one (scare quotes) is dropped.
3. Content spans lose the cue and the source phrase, so a quote split around its attribution has two parts.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from spacy.tokens import Token

from newsweave.analyse.cues import CLAUSE_ONLY, LEMMAS, OBJECT_CUES, SPEECH, STRONG
from newsweave.analyse.nlp import ParsedSentence
from newsweave.analyse.quotemarks import Segment, find_segments, has_double_quote

_SKIP_RIGHT = {"punct", "advmod", "npadvmod", "cc", "mark", "aux", "auxpass", "neg", "dep"}
_SUBJ = ("nsubj", "csubj")
_EDGE_PUNCT = set(",;:—–-()[] \n")
_RELATIVE = {"who", "that", "which", "whom"}


@dataclass
class RawQuote:
    """A quote before its speaker is linked to an entity."""

    parts: list[tuple[int, int]]
    cue: str | None = None
    cue_span: tuple[int, int] | None = None
    speaker_span: tuple[int, int] | None = None
    speaker_text: str | None = None
    speaker_head: str | None = None  # lower-cased head word of the source phrase (pronoun, role noun, name)
    speaker_head_span: tuple[int, int] | None = None
    antecedent: tuple[int, int] | None = None  # for "who": the phrase the relative clause hangs on
    antecedent_head: tuple[int, int] | None = None  # the head word of that phrase
    antecedent_noun: bool = False  # whether that head is a common noun (not a name or a pronoun)
    appos: tuple[int, int] | None = None  # a name in apposition ("Kyiv's Mayor, Vitali Klitschko")
    root_subject: tuple[int, int] | None = None  # subject of the sentence's main verb (for cataphora)
    strong: bool = False
    from_parse: bool = True
    segments: list[Segment] = field(default_factory=list)

    @property
    def start(self) -> int:
        return min(a for a, _ in self.parts)

    @property
    def end(self) -> int:
        return max(b for _, b in self.parts)


_COARSE = {"NNP": "PROPN", "NNPS": "PROPN", "PRP": "PRON", "PRP$": "PRON", "WP": "PRON", "WP$": "PRON",
           "NN": "NOUN", "NNS": "NOUN", "MD": "VERB"}  # fmt: skip


def pos(tok: Token) -> str:
    """Coarse part of speech from the tagger's fine tag (no attribute ruler needed)."""
    tag = tok.tag_
    return "VERB" if tag.startswith("VB") else _COARSE.get(tag, tag)


def lemma(tok: Token) -> str:
    """Lemma of a reporting verb (other words keep their lower-cased form)."""
    return LEMMAS.get(tok.lower_, tok.lower_)


def _tok_span(ps: ParsedSentence, tok: Token) -> tuple[int, int]:
    return ps.start_of(tok), ps.end_of(tok)


def _range(ps: ParsedSentence, left: Token, right: Token) -> tuple[int, int]:
    return ps.start_of(left), ps.end_of(right)


def _phrase(tok: Token) -> tuple[Token, Token]:
    """The noun phrase of a source head: its left modifiers and right prepositional phrases only."""
    left = tok.left_edge
    right = tok
    for child in tok.rights:
        if child.dep_ in ("prep", "compound", "nmod", "case", "nummod", "poss"):
            right = max(right, child.right_edge, key=lambda t: t.i)
    return left, right


def _source(verb: Token) -> tuple[Token | None, Token | None]:
    """(source head token, antecedent token for relative pronouns)."""
    tok = verb
    for _ in range(4):
        passive = False
        for child in tok.children:
            if child.dep_ in _SUBJ:
                if child.lower_ in _RELATIVE and tok.dep_ == "relcl":
                    return child, tok.head
                return child, None
            if child.dep_ == "agent":
                for pobj in child.children:
                    if pobj.dep_ == "pobj":
                        return pobj, None
            if child.dep_ == "nsubjpass":
                passive = True
        if passive:
            return None, None
        if tok.tag_ == "VBN" and tok.dep_ in ("advcl", "acl", "amod"):
            return None, None  # "When asked if ...": a participle without its own subject is passive
        if tok.dep_ == "acl" and pos(tok.head) in ("NOUN", "PROPN", "PRON"):
            return tok.head, None
        if tok.dep_ in ("xcomp", "advcl", "conj", "pcomp", "relcl") and tok.head != tok:
            if tok.dep_ == "relcl" and pos(tok.head) in ("NOUN", "PROPN"):
                return tok.head, None
            tok = tok.head
            continue
        break
    if tok.dep_ == "ROOT":
        return _fallback_subject(tok), None
    return None, None


def _fallback_subject(root: Token) -> Token | None:
    """A misparsed subject ("..., Klitschko, who ..., expressed"): the nearest name or he/she before the
    root at clause level."""
    for t in reversed(list(root.doc[root.left_edge.i : root.i])):
        if t.dep_ in ("pobj", "poss", "compound", "dobj", "attr", "npadvmod"):
            continue
        if pos(t) == "PROPN" or (pos(t) == "PRON" and t.lower_ in ("he", "she", "they")):
            return t
    return None


def _reporting_tail(verb: Token) -> bool:
    """Whether the cue is a parenthetical "X said" hanging on the reported clause."""
    if verb.i < verb.head.i or verb.right_edge.i - verb.i > 6:
        return False
    if any(c.dep_ in ("xcomp", "ccomp", "dobj") for c in verb.children):
        return False
    if verb.left_edge.i == 0 or not verb.doc[verb.left_edge.i - 1].is_punct:
        return False
    if verb.dep_ in ("parataxis", "ccomp"):
        return True
    if verb.dep_ != "conj":
        return False
    before = verb.left_edge.i - 1
    at_end = all(t.is_punct for t in verb.doc[verb.right_edge.i + 1 :])
    return before >= 0 and verb.doc[before].text == "," and at_end


def _plausible_comp(verb: Token, comp: Token) -> bool:
    """A clause before its cue is reported only across a comma or a quotation mark, never across ';'."""
    if comp.i > verb.i:
        return True
    between = verb.doc[comp.right_edge.i + 1 : verb.i]
    return not any(t.text in (";", ":") for t in between)


def _content_tokens(verb: Token) -> list[tuple[Token, Token]]:
    """Token ranges of the content of a verb cue."""
    comps = [c for c in verb.children if c.dep_ == "ccomp" and _plausible_comp(verb, c)]
    if comps:
        return [(c.left_edge, c.right_edge) for c in comps]
    head = verb.head
    if head != verb and lemma(verb) in STRONG and _reporting_tail(verb):
        # "CLAUSE, X said." / "X said, CLAUSE": the clause is the head minus the cue's own subtree
        left: Token | None
        right: Token | None
        if verb.i > head.i:
            left, right = head.left_edge, verb.left_edge.nbor(-1) if verb.left_edge.i > 0 else None
        else:
            left = verb.right_edge.nbor(1) if verb.right_edge.i + 1 < len(verb.doc) else None
            right = head.right_edge
        if left is not None and right is not None and left.i <= right.i:
            return [(left, right)]
    if lemma(verb) in OBJECT_CUES or lemma(verb) in ("say", "tell"):
        rights = [c for c in verb.rights if c.dep_ not in _SKIP_RIGHT]
        if lemma(verb) in ("say", "tell"):
            rights = [c for c in rights if c.dep_ in ("xcomp", "oprd")]
        if rights:
            return [(rights[0].left_edge, max((c.right_edge for c in rights), key=lambda t: t.i))]
    return []


def _according(ps: ParsedSentence, tok: Token) -> RawQuote | None:
    """'CLAUSE, according to X' and 'According to X, CLAUSE'."""
    to = next((c for c in tok.children if c.lower_ == "to"), None)
    if to is None:
        return None
    src = next((c for c in to.children if c.dep_ == "pobj"), None)
    if src is None:
        return None
    head = tok.head
    while head.dep_ not in ("ROOT",) and head.head != head and pos(head) != "VERB":
        head = head.head
    lo, hi = head.left_edge.i, head.right_edge.i
    skip = set(range(tok.left_edge.i, tok.right_edge.i + 1))
    toks = [t for t in ps.doc[lo : hi + 1] if t.i not in skip]
    if not toks:
        return None
    parts = _runs(ps, toks)
    left, right = _phrase(src)
    return RawQuote(
        parts=parts,
        cue="according to",
        cue_span=(_tok_span(ps, tok)[0], _tok_span(ps, to)[1]),
        speaker_span=_range(ps, left, right),
        speaker_text=ps.doc[left.i : right.i + 1].text,
        speaker_head=src.lower_,
        speaker_head_span=_tok_span(ps, src),
        strong=True,
    )


def _runs(ps: ParsedSentence, toks: list[Token]) -> list[tuple[int, int]]:
    runs: list[list[Token]] = []
    for t in toks:
        if runs and t.i == runs[-1][-1].i + 1:
            runs[-1].append(t)
        else:
            runs.append([t])
    return [_range(ps, r[0], r[-1]) for r in runs]


def _inside(at: int, segs: list[tuple[int, int]]) -> bool:
    """Whether offset ``at`` lies strictly inside one of the sorted, disjoint segments."""
    i = bisect.bisect_right(segs, (at, 1 << 60)) - 1
    return i >= 0 and segs[i][0] < at < segs[i][1]


def subject_names(parsed: list[ParsedSentence]) -> list[tuple[int, int]]:
    """Spans of proper-noun subjects in the parsed sentences (for pronoun resolution)."""
    return [
        _tok_span(ps, tok)
        for ps in parsed
        for tok in ps.doc
        if tok.dep_ in ("nsubj", "nsubjpass") and pos(tok) == "PROPN"
    ]


def parse_attributions(parsed: list[ParsedSentence], seg_spans: list[tuple[int, int]]) -> list[RawQuote]:
    """Attributions found from reporting verbs in the parsed sentences."""
    out: list[RawQuote] = []
    for ps in parsed:
        for tok in ps.doc:
            word = tok.lower_
            according = word == "according"
            if not according and LEMMAS.get(word, word) not in SPEECH:
                continue  # (the cheap test first: most tokens are no cue)
            if _inside(ps.start_of(tok), seg_spans):
                continue  # quoted speech, not an attribution
            if according:
                if tok.i + 1 < len(ps.doc) and ps.doc[tok.i + 1].lower_ == "to":
                    q = _according(ps, tok)
                    if q:
                        out.append(q)
                continue
            if pos(tok) != "VERB":
                continue
            ranges = _content_tokens(tok)
            src, antecedent = _source(tok)
            if not ranges and lemma(tok) not in STRONG and (src is None or lemma(tok) in CLAUSE_ONLY):
                continue  # a free cue needs a source ("... ?" Vitter demanded.) to wait for a quotation
            if lemma(tok) in CLAUSE_ONLY and not any(c.dep_ == "ccomp" for c in tok.children) and not ranges:
                continue
            if src is None and lemma(tok) not in STRONG:
                continue
            if (
                src is not None
                and pos(src) == "PRON"
                and src.lower_ in ("it", "there")
                and lemma(tok) not in STRONG
            ):
                continue
            parts = [_range(ps, a, b) for a, b in ranges]
            q = RawQuote(parts=parts, cue=tok.text, cue_span=_tok_span(ps, tok), strong=lemma(tok) in STRONG)
            prt = [c for c in tok.children if c.dep_ == "prt"]
            if prt:
                q.cue = f"{tok.text} {prt[0].text}"
            if src is not None:
                left, right = _phrase(src)
                q.speaker_span = _range(ps, left, right)
                q.speaker_text = ps.doc[left.i : right.i + 1].text
                q.speaker_head = src.lower_ if pos(src) == "PRON" or pos(src) == "NOUN" else src.text
                q.speaker_head_span = _tok_span(ps, src)
                if antecedent is not None:
                    al, ar = _phrase(antecedent)
                    q.antecedent = _range(ps, al, ar)
                    q.antecedent_head = _tok_span(ps, antecedent)
                    q.antecedent_noun = pos(antecedent) == "NOUN"
                appos = next((c for c in src.children if c.dep_ == "appos" and pos(c) == "PROPN"), None)
                if appos is not None:
                    q.appos = _tok_span(ps, appos)
                root = src
                while root.head.i != root.i:
                    root = root.head
                subj = next((c for c in root.children if c.dep_ == "nsubj" and pos(c) == "PROPN"), None)
                if subj is not None:
                    q.root_subject = _tok_span(ps, subj)
            out.append(q)
    return out


def _sentence_index(starts: list[int], pos: int) -> int:
    """Index of the sentence holding ``pos``, from the sorted sentence starts."""
    return max(0, bisect.bisect_right(starts, pos) - 1)


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def _word_count(text: str) -> int:
    return sum(1 for w in text.split() if any(ch.isalnum() for ch in w))


def _nearest_cue(
    quotes: list[RawQuote],
    by_cue_sentence: dict[int, list[int]],
    start: int,
    end: int,
    sentences: set[int],
    free_only: bool,
) -> RawQuote | None:
    cands = []
    for k in sorted(k for s in sentences for k in by_cue_sentence.get(s, ())):
        q = quotes[k]
        if q.cue_span is None or q.segments or (not q.strong and q.parts):
            continue
        if free_only and q.parts:
            continue
        dist = q.cue_span[0] - end if q.cue_span[0] >= end else start - q.cue_span[1]
        cands.append((abs(dist) + (1000 if q.parts else 0) + (0 if q.strong else 500), q))
    return min(cands, key=lambda x: x[0])[1] if cands else None


_BETWEEN_PARTS = re.compile(r"[\s,;:—–-]*")


def _split_partner(text: str, quotes: list[RawQuote], candidates: list[int], start: int) -> RawQuote | None:
    """The attribution whose cue and source end right before ``start`` (only commas, dashes, spaces
    between) and which already holds a quoted part: the quote goes on after its attribution."""
    for k in candidates:
        q = quotes[k]
        if not q.segments or q.cue_span is None:
            continue
        tail = max(e for _, e in (q.cue_span, q.speaker_span or q.cue_span))
        if (
            tail <= start
            and _BETWEEN_PARTS.fullmatch(text, tail, start)
            and max(b for _, b in q.parts) <= tail
        ):
            return q
    return None


def attach_segments(
    text: str, quotes: list[RawQuote], segments: list[Segment], bounds: list[tuple[int, int]]
) -> list[RawQuote]:
    """Merge quoted segments into attributions (see the module docstring).

    The attributions are indexed by the sentences their content and cue lie in, so that each quote looks
    only at those of its own and the neighbouring sentences (linear in the article, however many quotes
    it holds). Segments are disjoint and taken in order, so the parts a segment adds never overlap a later
    one, and the quotes made here from segments alone have no cue: the indices built first stay right."""
    groups: dict[int, list[Segment]] = {}
    for s in segments:
        groups.setdefault(s.group, []).append(s)
    ordered = sorted(groups.values(), key=lambda g: g[0].start)
    if not bounds:
        return quotes
    starts = [a for a, _ in bounds]
    by_content: dict[int, list[int]] = {}  # sentence -> attributions with content there
    by_cue: dict[int, list[int]] = {}  # sentence -> attributions with their cue there
    by_tail: dict[int, list[int]] = {}  # sentence -> attributions whose cue or source ends there
    for k, q in enumerate(quotes):
        for a, b in q.parts:
            for i in range(_sentence_index(starts, a), _sentence_index(starts, max(a, b - 1)) + 1):
                by_content.setdefault(i, []).append(k)
        if q.cue_span is not None:
            by_cue.setdefault(_sentence_index(starts, q.cue_span[0]), []).append(k)
            tail = max(e for _, e in (q.cue_span, q.speaker_span or q.cue_span))
            by_tail.setdefault(_sentence_index(starts, max(0, tail - 1)), []).append(k)
    last_direct: RawQuote | None = None
    last_sent = -10
    for group in ordered:
        first, last = group[0], group[-1]
        target: RawQuote | None = None
        s_start = _sentence_index(starts, first.start)
        s_end = _sentence_index(starts, last.end - 1)
        # a. an attribution whose content overlaps the quote
        best = 0
        for k in sorted({k for i in range(s_start, s_end + 1) for k in by_content.get(i, ())}):
            q = quotes[k]
            ov = sum(_overlap(p, (s.start, s.end)) for p in q.parts for s in group)
            if ov > best:
                best, target = ov, q
        # b. the second half of a quote split around its attribution ("A," he said, "B.")
        if target is None:
            near = sorted({k for i in range(max(0, s_start - 2), s_start + 1) for k in by_tail.get(i, ())})
            target = _split_partner(text, quotes, near, first.start)
        # c. a cue in the sentence where the quote starts or ends
        if target is None:
            target = _nearest_cue(quotes, by_cue, first.start, last.end, {s_start, s_end}, free_only=False)
        # d. a free cue in the sentence before, when it ends with a colon ("He added:")
        if target is None and s_start > 0 and text[bounds[s_start - 1][1] - 1] == ":":
            target = _nearest_cue(quotes, by_cue, first.start, last.end, {s_start - 1}, free_only=True)
        # e. continuation of the previous attributed quote ("A," she said. "B.")
        if target is None and last_direct is not None and bounds and bounds[s_start][0] == first.start:
            if s_start - last_sent <= 1:
                target = last_direct
        # f. a free cue (no content of its own) in the sentence right after ("..." Klitschko said.)
        if target is None and s_end + 1 < len(bounds) and bounds[s_end + 1][0] >= last.end:
            target = _nearest_cue(quotes, by_cue, first.start, last.end, {s_end + 1}, free_only=True)
        if target is None:
            inner = " ".join(s.inner(text) for s in group)
            if _word_count(inner) < 6:
                continue
            target = RawQuote(parts=[], from_parse=False)
            quotes.append(target)
        for s in group:
            target.parts.append((s.start, s.end))
            target.segments.append(s)
        last_direct = target
        last_sent = _sentence_index(starts, last.end - 1)
        if target.cue_span is not None:
            last_sent = max(last_sent, _sentence_index(starts, target.cue_span[0]))
    return quotes


def _subtract(parts: list[tuple[int, int]], holes: list[tuple[int, int]]) -> list[tuple[int, int]]:
    out = []
    for a, b in parts:
        pieces = [(a, b)]
        for ha, hb in holes:
            nxt = []
            for x, y in pieces:
                if hb <= x or ha >= y:
                    nxt.append((x, y))
                    continue
                if x < ha:
                    nxt.append((x, ha))
                if hb < y:
                    nxt.append((hb, y))
            pieces = nxt
        out.extend(pieces)
    return out


def _merge(parts: list[tuple[int, int]], text: str) -> list[tuple[int, int]]:
    """Union of intervals; neighbours separated only by spaces or punctuation join; edges trimmed."""
    merged: list[list[int]] = []
    for a, b in sorted(parts):
        if merged and a <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    out: list[tuple[int, int]] = []
    for a, b in merged:
        while a < b and text[a] in _EDGE_PUNCT:
            a += 1
        while b > a and text[b - 1] in _EDGE_PUNCT:
            b -= 1
        if b - a > 0 and any(ch.isalnum() for ch in text[a:b]):
            out.append((a, b))
    return out


def finalise(text: str, quotes: list[RawQuote]) -> list[RawQuote]:
    """Remove cue and source from contents, merge parts, drop empty quotes and duplicates."""
    out = []
    seen = set()
    for q in quotes:
        holes = [h for h in (q.cue_span, q.speaker_span) if h is not None]
        parts = _merge(_subtract(q.parts, holes), text)
        if not parts:
            continue
        key = tuple(parts)
        if key in seen:
            continue
        seen.add(key)
        q.parts = parts
        out.append(q)
    return sorted(out, key=lambda q: q.start)


def is_direct(text: str, parts: list[tuple[int, int]]) -> bool:
    return any(has_double_quote(text[a:b]) for a, b in parts)


def extract_raw_quotes(
    text: str, parsed: list[ParsedSentence], bounds: list[tuple[int, int]]
) -> list[RawQuote]:
    """All quotes of one article, with raw (unlinked) speakers."""
    segments = find_segments(text)
    seg_spans = [(s.start, s.end) for s in segments]
    quotes = parse_attributions(parsed, seg_spans)
    labelled = colon_attributions(text)
    if labelled:
        segments = _regroup(segments, labelled)
        quotes.extend(labelled)
    quotes = attach_segments(text, quotes, segments, bounds)
    return finalise(text, quotes)


# "PENCE: Well, look ..." (transcripts), "Poll: Wealthy Voters ..." (headlines): a name of one to four
# capitalised words opening a line, a colon, and what the name says
_LABEL_LINE = re.compile(
    r"^[ \t]*[\"“'‘]?(?P<name>[A-Z][\w.'’-]*(?: [A-Z][\w.'’-]*){0,3}):[ \t]+(?P<content>\S[^\n]*)$", re.M
)
_NOT_SPEAKERS = {"update", "updated", "note", "editor's note", "watch", "read", "related", "photo", "photos",
                 "video", "correction", "source", "sources", "breaking", "see also", "click here", "warning",
                 "disclaimer", "pictured", "above", "below", "top", "file"}  # fmt: skip


def colon_attributions(text: str) -> list[RawQuote]:
    """Lines of the form ``NAME: content`` as attributions with the colon as cue."""
    out = []
    for m in _LABEL_LINE.finditer(text):
        name = m.group("name")
        if name.lower() in _NOT_SPEAKERS or name.isdigit():
            continue
        a, b = m.span("name")
        c, d = m.span("content")
        out.append(
            RawQuote(
                parts=[(c, d)],
                cue=":",
                cue_span=(b, b + 1),
                speaker_span=(a, b),
                speaker_text=name,
                speaker_head=name.split()[-1],
                speaker_head_span=(b - len(name.split()[-1]), b),
                strong=True,
            )
        )
    return out


def _regroup(segments: list[Segment], labelled: list[RawQuote]) -> list[Segment]:
    """A quote that runs over paragraphs is split where a new ``NAME:`` line starts (each turn of a
    transcript is its own quote)."""
    starts = {q.speaker_span[0] for q in labelled if q.speaker_span}
    out: list[Segment] = []
    group = 0
    for k, s in enumerate(segments):
        if k == 0 or s.group != segments[k - 1].group or s.start + 1 in starts or s.start in starts:
            group += 1
        out.append(Segment(s.start, s.end, group))
    return out
