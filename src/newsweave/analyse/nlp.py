"""Loading spaCy once per process, sentence splitting with offsets, and parsing only what needs a parse.

The analysis runs in two passes so that the expensive pipes are spent where they pay:

1. every article goes through the tokenizer and a rule sentence splitter (newlines and terminal
   punctuation; closing quotes, and an attribution right after them, stay with their sentence); NER then
   runs on small docs cut around capitalised words (``AnalyseOptions.ner_window``; not weekday or month
   names, and only the first ``AnalyseOptions.ner_repeats`` occurrences of a word), in batches;
2. only the sentences that may hold an attribution (a reporting word such as "said", "according", "told"
   outside quotation marks; see ``pipeline._needs_parse``) are copied out as small docs and run through
   tok2vec, tagger and parser. The attribute ruler and lemmatizer are not loaded: quotes read the fine tags
   and their own verb lemmas.

The networks multiply through numpy's BLAS on one thread (:func:`_use_numpy_gemm`). Measured on the 369
galaxy-wikinews articles (~4,000 characters) on the shared 2-core build machine (load average 2-3 from
other work, so the figures move by +-15% between runs): the stock full pipeline ~6 articles/s per process;
ingest plus the whole analysis ~14 articles/s in one process (17 on the first 200 articles), 1.2-1.4x the
former configuration timed in the same run (NER windows of 4, every sentence with a quotation mark parsed,
BLIS); ~15/s with two processes on the loaded machine, ~14 articles per CPU second, so ~27/s on an idle
2-core machine. What is left is mostly the small model itself: NER on ~37% of the tokens and the parser on
~57%. See ``benchmarks/bench_analyse.py --compare-baseline``. With ``ner_repeats`` 2 (NER tokens -30%) and
the entity step's name search without a per-article regex, the same benchmark on the idle machine gave
20.3 articles/s in one process and 32.8/s with two (before: 17.6 and 30.8).
"""

from __future__ import annotations

import functools
import importlib.util
import logging
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc, Span
from spacy.util import minibatch
from thinc.api import Model, NumpyOps
from threadpoolctl import ThreadpoolController

from newsweave.analyse.cues import SURFACE
from newsweave.analyse.options import DEFAULT_MODELS, NER_REPEATS, AnalyseOptions
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


def resolve_model(options: AnalyseOptions) -> str:
    if options.model:
        return options.model
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise NewsweaveError(f"no spaCy English model installed (tried {', '.join(DEFAULT_MODELS)})")


@functools.lru_cache(maxsize=4)
def _load(model: str, ner: bool, parse: bool) -> Language:
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
    _use_numpy_gemm(nlp)
    log.info("loaded spaCy %s with pipes %s", model, nlp.pipe_names)
    return nlp


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


@dataclass
class ParsedSentence:
    """A sentence run through the parser: a small doc plus where it starts in the article text."""

    doc: Doc
    offset: int  # character offset of doc[0] in the article text
    token_offset: int  # index of doc[0] in the article doc


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
        for tok in sent:
            if tok.is_space or not tok.text[:1].isupper() or (tok.i == lo and tok.is_stop) or tok.text == "I":
                continue  # "The", "But", "It" opening a sentence name nothing
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


def parse_sentences(nlp: Language, sents: list[Span], batch_size: int) -> list[ParsedSentence]:
    """Run tagger, parser and lemmatizer over the given sentences (as small docs)."""
    if not sents:
        return []
    # a fresh Doc from words and spaces is ~15x cheaper than Span.as_doc (which copies every attribute)
    docs = [_copy(nlp, s) for s in sents]
    with one_blas_thread():
        for name, proc in nlp.pipeline:
            if name in PARSE_PIPES:
                docs = list(proc.pipe(docs, batch_size=batch_size))  # type: ignore[attr-defined]
    return [ParsedSentence(d, s.start_char, s.start) for d, s in zip(docs, sents, strict=True)]


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
