"""Loading spaCy once per process, sentence splitting with offsets, and parsing only what needs a parse.

The analysis runs in two passes so that the expensive pipes are spent where they pay:

1. every article goes through the tokenizer and a rule sentence splitter (newlines and terminal
   punctuation; closing quotes, and an attribution right after them, stay with their sentence); NER then
   runs on small docs cut around capitalised words (``AnalyseOptions.ner_window``; not weekday or month
   names, not a stop word opening a sentence or a quotation, and only the first
   ``AnalyseOptions.ner_repeats`` occurrences of a word), in batches, with the actions of the numeric
   labels removed (:func:`keep_name_labels`: the number parser reads numbers and dates);
2. only the sentences that may hold an attribution (a reporting word such as "said", "according", "told"
   outside quotation marks; see ``pipeline._needs_parse``) are copied out as small docs, long quotations
   at their edges shortened to a three-word clause (:func:`parse_sentences`), and run through tok2vec,
   tagger and parser. The attribute ruler and lemmatizer are not loaded: quotes read the fine tags and
   their own verb lemmas.

The networks multiply through numpy's BLAS on one thread (:func:`_use_numpy_gemm`). Measured with
``benchmarks/bench_analyse.py --compare-baseline`` on the 369 galaxy-wikinews articles (~4,000
characters) on the 2-core build machine (a VM whose figures move by +-10% between runs): ingest plus the
whole analysis 22.6-25.2 articles/s in one process and 41-46/s with two, against ~13/s for the configuration
before the speed work timed in the same run (NER windows of 4 on every occurrence with all 18 labels,
every sentence with a quotation mark parsed whole, BLIS). Where the time goes now (one process, py-spy):
the parser ~34% (on ~53% of the tokens), NER ~30% (on ~24%; half of it spaCy's per-action validity
checks), tokenizer and sentence rules ~8%, entities, quotes and numbers ~13%.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span, Token
from spacy.util import minibatch
from thinc.api import Linear, Model, NumpyOps
from threadpoolctl import ThreadpoolController

from newsweave.analyse.cues import SURFACE
from newsweave.analyse.entities import NAME_LABELS
from newsweave.analyse.options import NER_REPEATS, AnalyseOptions, resolve_model
from newsweave.errors import NewsweaveError

log = logging.getLogger(__name__)

SENT_COMPONENT = "newsweave_sentences"
PARSE_PIPES = ("tok2vec", "tagger", "parser")
UNUSED_PIPES = ("attribute_ruler", "lemmatizer")  # quotes read fine tags and their own verb lemmas
_DATE_WORDS = frozenset(
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February April June July September "
    "October November December".split()
)  # not "May", "March" or "August": names too
_TERMINAL = {".", "!", "?", "…", "...", "?!", "!?"}
_CLOSERS = {'"', "”", "’", "'", "»", ")", "]", "›"}


@Language.component(SENT_COMPONENT)
def split_sentences(doc: Doc) -> Doc:
    """Sentence starts after a newline and after terminal punctuation (plus any closing quotes/brackets),
    unless the next word starts in lower case (``"Really?" he asked``)."""
    starts = numpy.zeros((len(doc), 1), dtype="int64")
    newline = False
    terminal = False
    quoted_end = False
    for i, tok in enumerate(doc):
        if tok.is_space:
            newline = newline or "\n" in tok.text
            starts[i, 0] = -1
            continue
        start = i == 0 or newline
        if not start and terminal:
            if tok.text in _CLOSERS and not (tok.text in "\"'" and doc[i - 1].whitespace_):
                start = False
                quoted_end = True
            else:
                # '...?" Vitter demanded.': an attribution after a closing quote stays with its quote
                start = not tok.text[0].islower() and not (quoted_end and _cue_follows(doc, i))
                terminal = quoted_end = False
        starts[i, 0] = 1 if start else -1
        if start:
            newline = terminal = quoted_end = False
        if tok.text in _TERMINAL or (tok.is_punct and tok.text.endswith((".", "!", "?"))):
            terminal = True
        if "\n" in tok.whitespace_:
            newline = True
    if len(doc):
        starts[0, 0] = 1
        doc.from_array([SENT_START], starts.astype("uint64"))  # type: ignore[arg-type]  # one write: the per-token setter is quadratic
    return doc


def _cue_follows(doc: Doc, i: int) -> bool:
    """A reporting verb within the next four words, before any punctuation ("Vitter demanded")."""
    for tok in doc[i : i + 4]:
        if tok.is_punct or tok.is_space:
            return False
        if tok.lower_ in SURFACE:
            return True
    return False


@functools.lru_cache(maxsize=4)
def _load(model: str, ner: bool, parse: bool, name_labels_only: bool = True) -> Language:
    exclude = list(UNUSED_PIPES)
    if not ner:
        exclude.append("ner")
    if not parse:
        exclude.extend(PARSE_PIPES)
    try:
        nlp = spacy.load(model, exclude=exclude)
    except OSError as e:
        raise NewsweaveError(f"cannot load spaCy model {model!r}: {e}") from e
    nlp.add_pipe(SENT_COMPONENT, first=True)
    if ner and name_labels_only:
        keep_name_labels(nlp.get_pipe("ner"), NAME_LABELS)
    _use_numpy_gemm(nlp)
    log.info("loaded spaCy %s with pipes %s", model, nlp.pipe_names)
    return nlp


def keep_name_labels(ner: Any, keep: Iterable[str]) -> bool:
    """Drop the entity recogniser's actions for labels outside ``keep`` (numbers, dates, times: the number
    parser reads those), in place; True if it did.

    Each step of spaCy's greedy NER checks the validity of every action (74 for the 18 OntoNotes labels)
    one by one, which is most of its time after the tok2vec; the actions of the 7 numeric labels go, with
    their rows of the output layer, and the argmax runs over the rest. On the galaxy-wikinews NER windows
    this cuts the NER time by ~23% and changes 34 of 12,300 name entities (3 lost, 31 new, where a numeric
    label had won before). Left as is when the model does not have the expected shape.
    """
    keep = set(keep)
    moves = ner.moves
    model = ner.model
    if not {"PERSON", "ORG", "GPE"} <= set(ner.labels) or set(ner.labels) <= keep:
        return False  # not the OntoNotes label scheme, or nothing to drop
    try:
        upper = model.get_ref("upper")
        old = [moves.get_class_name(i) for i in range(moves.n_moves)]
        weights, bias = upper.get_param("W"), upper.get_param("b")
        if weights.shape[0] != len(old) or model.attrs.get("unseen_classes"):
            return False
        labels = {
            action: {label: freq for label, freq in counts.items() if label == "" or label in keep}
            for action, counts in moves.labels.items()
        }
    except (KeyError, ValueError, AttributeError) as e:
        log.info("NER labels kept (unexpected model: %s)", e)
        return False
    if len(labels) == 0 or all(set(c) <= {""} for c in labels.values()):
        return False
    moves.initialize_actions(labels)
    new = [moves.get_class_name(i) for i in range(moves.n_moves)]
    index = [old.index(name) for name in new]
    smaller = Linear(nO=len(new), nI=weights.shape[1])
    smaller.set_param("W", smaller.ops.asarray2f(weights[index]))
    smaller.set_param("b", smaller.ops.asarray1f(bias[index]))
    model._layers[-1] = smaller  # as spaCy's own output resizing does (spacy.ml.models.parser)
    model.set_ref("upper", smaller)
    return True


def _use_numpy_gemm(nlp: Language) -> None:
    """Matrix products of the pipes' networks through numpy's BLAS instead of thinc's bundled BLIS: on the
    build machine (AVX-512) single-threaded OpenBLAS multiplies the tok2vec's (n, 288) x (288, 288) blocks
    ~1.8x faster, the whole analysis ~5% (same results). Callers hold :func:`one_blas_thread` around model
    calls: with several threads per process OpenBLAS spins against other processes on a busy machine (the
    analysis took twice as long)."""
    ops = NumpyOps(use_blis=False)
    for _, proc in nlp.pipeline:
        model = getattr(proc, "model", None)
        if isinstance(model, Model):
            for node in model.walk():
                node.ops = ops


@functools.lru_cache(maxsize=1)
def _threadpools() -> ThreadpoolController:
    return ThreadpoolController()


def one_blas_thread() -> Any:
    """A context in which numpy's BLAS runs on one thread (see :func:`_use_numpy_gemm`); ~15 us."""
    return _threadpools().limit(limits=1, user_api="blas")


def load_nlp(options: AnalyseOptions | None = None) -> Language:
    """The spaCy pipeline for ``options``, loaded once per process, with only the pipes they need."""
    options = options or AnalyseOptions()
    return _load(resolve_model(options), options.needs_ner, options.needs_parse)


def load_plain_ner(options: AnalyseOptions | None = None) -> Language:
    """The model's NER as shipped (every label, no parser) plus the sentence splitter: the baseline that
    ``newsweave eval ner`` measures the analysis against."""
    return _load(resolve_model(options or AnalyseOptions()), True, False, False)


# (start, end) in the small doc's characters, (start, end) in the article's: a long quotation replaced by
# ELISION before the parse
Elided = tuple[int, int, int, int]
ELISION = ("This", "is", "true")
MIN_ELIDED_TOKENS = 8


@dataclass
class ParsedSentence:
    """A sentence run through the parser: a small doc plus where its characters lie in the article text.

    Long quotations at the edge of a sentence may have been replaced by a short clause before the parse
    (see :func:`parse_sentences`); :meth:`start_of` and :meth:`end_of` map a token back to the article, a
    token of the replacement to the whole quoted passage it stands for."""

    doc: Doc
    offset: int  # character offset of doc[0] in the article text
    elided: tuple[Elided, ...] = ()

    def start_of(self, tok: Token) -> int:
        return self._article_pos(tok.idx, False)

    def end_of(self, tok: Token) -> int:
        return self._article_pos(tok.idx + len(tok.text), True)

    def _article_pos(self, p: int, end: bool) -> int:
        base, last = self.offset, 0
        for da, db, aa, ab in self.elided:
            if p < da or (end and p == da):
                break
            if p < db or (end and p == db):
                return ab if end else aa
            base, last = ab, db
        return base + p - last


def first_pass(
    nlp: Language, texts: Iterable[str], batch_size: int, ner_window: int = 0, ner_repeats: int = NER_REPEATS
) -> Iterator[Doc]:
    """Tokens, sentences and (if loaded) entities for each text.

    ``ner_window`` > 0 runs NER only on windows of that many tokens either side of capitalised words
    (names are capitalised; the small model's context reaches four tokens), within sentences; see
    :func:`ner_on_windows`. 0 runs NER on every token. With windows, a capitalised word opens one only for its
    first ``ner_repeats`` occurrences in the text (0: every occurrence).
    """
    # components are called directly (no select_pipes): the shared pipeline is never switched, so
    # threads of a web server may analyse at the same time
    ner = nlp.get_pipe("ner") if "ner" in nlp.pipe_names else None
    docs = (split_sentences(doc) for doc in nlp.tokenizer.pipe(texts, batch_size=batch_size))  # type: ignore[union-attr]
    for batch in minibatch(docs, size=batch_size):
        if ner is None:
            yield from batch
            continue
        with one_blas_thread():
            if ner_window:
                done = ner_on_windows(nlp, batch, ner_window, batch_size, ner_repeats)
            else:
                done = list(ner.pipe(batch, batch_size=batch_size))  # type: ignore[attr-defined]
        yield from done


def _windows(doc: Doc, width: int, repeats: int = 0) -> list[tuple[int, int]]:
    """Token ranges around capitalised words, clipped to their sentence, overlapping ones merged; with
    ``repeats`` > 0 only around the first ``repeats`` occurrences of each word."""
    out: list[list[int]] = []
    seen: dict[str, int] = {}
    for sent in doc.sents:
        lo, hi = sent.start, sent.end
        first = True  # the sentence's first word, after any opening quotation mark or bracket
        for tok in sent:
            if tok.is_space or tok.is_punct:
                continue
            opening, first = first, False
            if not tok.text[:1].isupper() or (opening and tok.is_stop) or tok.text == "I":
                continue  # "The", "But", "It" opening a sentence (or a quotation) name nothing
            if tok.text in _DATE_WORDS:
                continue  # DATE entities are not names; a name next to one opens its own window
            if repeats:
                n = seen[tok.text] = seen.get(tok.text, 0) + 1
                if n > repeats:
                    continue  # a name seen before: entities.py finds its further occurrences by its text
            a, b = max(lo, tok.i - width), min(hi, tok.i + width + 1)
            if out and a <= out[-1][1]:
                out[-1][1] = max(out[-1][1], b)
            else:
                out.append([a, b])
    return [(a, b) for a, b in out]


def ner_on_windows(
    nlp: Language, docs: list[Doc], width: int, batch_size: int, repeats: int = NER_REPEATS
) -> list[Doc]:
    """Set ``doc.ents`` from NER run on small docs cut around capitalised words only."""
    pieces: list[tuple[int, int, Doc]] = []
    for k, doc in enumerate(docs):
        for a, b in _windows(doc, width, repeats):
            pieces.append((k, a, _copy(nlp, doc[a:b])))
    ner = nlp.get_pipe("ner")
    found: list[list[Span]] = [[] for _ in docs]
    tagged = ner.pipe((p[2] for p in pieces), batch_size=batch_size * 8)  # type: ignore[attr-defined]
    for (k, a, _), small in zip(pieces, tagged, strict=True):
        for e in small.ents:
            found[k].append(Span(docs[k], a + e.start, a + e.end, label=e.label_))
    for doc, ents in zip(docs, found, strict=True):
        doc.set_ents(ents, default="outside")
    return docs


def parse_sentences(
    nlp: Language, sents: list[Span], batch_size: int, quoted: list[list[tuple[int, int]]] | None = None
) -> list[ParsedSentence]:
    """Run tok2vec, tagger and parser over the given sentences (as small docs).

    ``quoted`` (per sentence, optional): article character ranges of quotations. The inner words of one that
    opens or closes its sentence (``"...," she said`` / ``She said: "..."``) are replaced by the clause
    :data:`ELISION` when they are at least :data:`MIN_ELIDED_TOKENS` tokens: the parse serves the
    attribution around the quotation, and the parser's cost is linear in the tokens it reads (on
    galaxy-wikinews this drops ~13% of the parsed tokens).
    """
    if not sents:
        return []
    copies = [
        _copy_eliding(nlp, s, quoted[k] if quoted else []) for k, s in enumerate(sents)
    ]  # a fresh Doc from words and spaces is ~15x cheaper than Span.as_doc (which copies every attribute)
    docs = [d for d, _ in copies]
    with one_blas_thread():
        for name, proc in nlp.pipeline:
            if name in PARSE_PIPES:
                docs = list(proc.pipe(docs, batch_size=batch_size))  # type: ignore[attr-defined]
    return [
        ParsedSentence(d, s.start_char, elided) for d, s, (_, elided) in zip(docs, sents, copies, strict=True)
    ]


def _elidable(span: Span, quoted: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Token ranges (in ``span``) of the inner words of long quotations at its start or end; a closing
    comma, full stop, question or exclamation mark inside the quotation stays."""
    out: list[tuple[int, int]] = []
    if not quoted:
        return out
    first, last = span[0].idx, span[-1].idx + len(span[-1].text)
    toks = list(span)
    for a, b in quoted:
        if a < first or b > last:
            continue
        edge = a == first or all(not t.is_alpha and not t.like_num for t in toks if t.idx >= b)
        if not edge:
            continue
        inner = [i for i, t in enumerate(toks) if a < t.idx and t.idx + len(t.text) < b]
        if inner and toks[inner[-1]].text in (",", ".", "?", "!", "...", "…"):
            inner.pop()
        if len(inner) >= MIN_ELIDED_TOKENS and inner[-1] - inner[0] + 1 == len(inner):
            out.append((inner[0], inner[-1] + 1))
    return sorted(out)


def _copy_eliding(nlp: Language, span: Span, quoted: list[tuple[int, int]]) -> tuple[Doc, tuple[Elided, ...]]:
    """A new doc with the words and spaces of ``span`` (one pass over its tokens), long edge quotations
    replaced by :data:`ELISION` (see :func:`parse_sentences`)."""
    cut = _elidable(span, quoted)
    if not cut:
        return _copy(nlp, span), ()
    words: list[str] = []
    spaces: list[bool] = []
    elided: list[Elided] = []
    pos = 0
    i = 0
    toks = list(span)
    for lo, hi in cut:
        for t in toks[i:lo]:
            words.append(t.text)
            spaces.append(bool(t.whitespace_))
            pos += len(t.text) + len(t.whitespace_)
        start = pos
        for k, w in enumerate(ELISION):
            space = k < len(ELISION) - 1 or bool(toks[hi - 1].whitespace_)
            words.append(w)
            spaces.append(space)
            pos += len(w) + (1 if space else 0)
        end = start + len(" ".join(ELISION))
        pos = end + len(toks[hi - 1].whitespace_)
        elided.append((start, end, toks[lo].idx, toks[hi - 1].idx + len(toks[hi - 1].text)))
        i = hi
    for t in toks[i:]:
        words.append(t.text)
        spaces.append(bool(t.whitespace_))
    return Doc(nlp.vocab, words=words, spaces=spaces), tuple(elided)


def _copy(nlp: Language, span: Span) -> Doc:
    """A new doc with the words and spaces of ``span`` (one pass over its tokens)."""
    words = []
    spaces = []
    for t in span:
        words.append(t.text)
        spaces.append(bool(t.whitespace_))
    return Doc(nlp.vocab, words=words, spaces=spaces)


def sentence_bounds(sent: Span) -> tuple[int, int] | None:
    """Character range of a sentence without surrounding whitespace; None for an all-space sentence."""
    doc = sent.doc
    a, b = sent.start, sent.end - 1
    while a <= b and doc[a].is_space:
        a += 1
    while b >= a and doc[b].is_space:
        b -= 1
    if a > b:
        return None
    last = doc[b]
    return doc[a].idx, last.idx + len(last.text)
