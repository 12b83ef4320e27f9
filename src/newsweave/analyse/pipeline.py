"""``analyse_articles``: sentences, entities, quotes and quantities of each article, with spans."""

from __future__ import annotations

import bisect
import gc
import logging
import multiprocessing
import os
import re
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from newsweave.analyse.cues import STRONG_SURFACE, SURFACE
from newsweave.analyse.entities import PersonIndex, analyse_entities
from newsweave.analyse.figures import read_quantities
from newsweave.analyse.marked import marked_spans
from newsweave.analyse.nlp import first_pass, load_nlp, parse_sentences, sentence_bounds
from newsweave.analyse.options import AnalyseOptions
from newsweave.analyse.pieces import Piece, first_part, join_pieces, split_article
from newsweave.analyse.quotemarks import find_segments
from newsweave.analyse.quotes import _inside, extract_raw_quotes, subject_names
from newsweave.analyse.speakers import link_speakers
from newsweave.model import Analysis, Article, Entity, EntityMention, Sentence, Span
from newsweave.workers import worker_pool

log = logging.getLogger(__name__)
AUTO_MIN_ARTICLES = 64
CHUNKS_PER_WORKER = 8  # small chunks: a worker slowed by other load holds up the end less
GC_THRESHOLD = 50_000  # allocations between young-generation collections during an analysis
# A longer "sentence" is no sentence (a text without punctuation, a table, hostile input): it is not parsed,
# since the attribution rules walk token ranges per reporting word (quadratic in the sentence's length).
# News sentences run to ~25 tokens: 3 of the 11,533 galaxy-wikinews sentences exceed 150, none 250.
MAX_PARSE_TOKENS = 250
_WORD = re.compile(r"[A-Za-z]+")
_CLOSING = set("\"”»’›'")
_DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these",
                "those", "no", "every", "each", "any", "some", "new", "first", "last"}  # fmt: skip


def _needs_parse(text: str, start: int, end: int, mode: str, quoted: list[tuple[int, int]]) -> bool:
    """Whether the sentence ``text[start:end]`` goes to the parser: "all"; "cues" (a reporting word outside
    quotation marks); "fast" (a core speech verb such as said/told/insisted, or "according").

    The parse only serves attributions, which hang on a reporting word outside the quoted passages
    (``quotes.parse_attributions`` skips cue words inside them), so a sentence without one is not parsed
    even when it holds quotation marks: its quotes are attached from the quotation marks and the
    neighbouring cues. A reporting word counts in lower case only, or as the first word ("According to"),
    and not right after a determiner ("the report", "his support"; '... like that," said' is no determiner's). On galaxy-wikinews this parses ~63% of
    the tokens (~73% when every sentence with a quotation mark was parsed; PolNeAR direct F1 0.889 vs 0.890,
    indirect F1 and speaker accuracy unchanged). "fast" parses fewer but drops indirect recall from 0.49
    to 0.38."""
    if mode == "all":
        return True
    cues = SURFACE if mode == "cues" else STRONG_SURFACE
    prev = ""
    prev_end = start
    first = True
    for m in _WORD.finditer(text, start, end):
        w = m.group()
        k_first, first = first, False
        # a determiner counts only right before the word: '... like that," said Smith' is a cue
        before = prev if not text[prev_end : m.start()].strip() else ""
        prev, prev_end = w, m.end()
        if not w.islower():
            if not k_first:
                continue  # a capitalised reporting word inside a sentence is a name ("United States")
            w = w.lower()
        if w in cues and before.lower() not in _DETERMINERS and not _inside(m.start(), quoted):
            return True
    return False


def _closed_within(
    text: str, quoted: list[tuple[int, int]], bounds: tuple[int, int]
) -> list[tuple[int, int]]:
    """The quotations inside ``bounds`` that end with a closing mark (not a paragraph left open)."""
    i = bisect.bisect_left(quoted, (bounds[0], -1))
    out = []
    while i < len(quoted) and quoted[i][1] <= bounds[1]:
        a, b = quoted[i]
        if text[b - 1] in _CLOSING:
            out.append((a, b))
        i += 1
    return out


def _pieces(article: Article, limit: int) -> list[Piece]:
    """The article as pieces of at most ``limit`` characters (one, itself, when it is not longer)."""
    pieces = split_article(article, limit)
    if len(pieces) > 1:
        log.warning(
            "article %s has %d characters, more than the %d analysed at once: analysed whole, in %d pieces "
            "(an entity is named within its piece)",
            article.id,
            len(article.text),
            limit,
            len(pieces),
        )
    return pieces


def _bounded(article: Article, limit: int) -> Article:
    """The part of ``article`` analysed: its first ``limit`` characters at most (0: all of it), with a
    warning naming it when the rest is left unanalysed."""
    if not limit or len(article.text) <= limit:
        return article
    head = first_part(article, limit)
    log.warning(
        "article %s has %d characters, more than the %d analysed per article (NEWSWEAVE_MAX_ANALYSED_CHARS): "
        "its first %d analysed, the rest stored but not analysed",
        article.id,
        len(article.text),
        limit,
        len(head.text),
    )
    return head


def _paragraph_index(article: Article) -> Callable[[int], int]:
    """offset -> index of the article paragraph holding it (0 if none), by bisection."""
    paragraphs = article.paragraphs
    starts = [a for a, _ in paragraphs]

    def paragraph_of(start: int) -> int:
        i = bisect.bisect_right(starts, start) - 1
        return i if i >= 0 and start < paragraphs[i][1] else 0

    return paragraph_of


def _analyse_chunk(nlp: Language, articles: Sequence[Article], options: AnalyseOptions) -> list[Analysis]:
    texts = (a.text for a in articles)
    docs: list[Doc] = list(
        first_pass(nlp, texts, options.batch_size, options.ner_window, options.ner_repeats)
    )
    to_parse = []
    to_parse_quoted: list[list[tuple[int, int]]] = []
    owners = []
    bounds_per: list[list[tuple[int, int]]] = []
    segments_per: list[list[tuple[int, int]]] = []
    for k, (doc, article) in enumerate(zip(docs, articles, strict=True)):
        text = article.text  # doc.text would rebuild the string on every access
        quoted = [(g.start, g.end) for g in find_segments(text)] if options.needs_parse else []
        segments_per.append(quoted)
        bounds = []
        for sent in doc.sents:
            b = sentence_bounds(sent)
            if b is None:
                continue
            bounds.append(b)
            if (
                options.needs_parse
                and len(sent) <= MAX_PARSE_TOKENS
                and _needs_parse(text, b[0], b[1], options.parse, quoted)
            ):
                to_parse.append(sent)
                to_parse_quoted.append(_closed_within(text, quoted, b))
                owners.append(k)
        bounds_per.append(bounds)
    parsed_all = parse_sentences(nlp, to_parse, options.batch_size, to_parse_quoted) if to_parse else []
    parsed_per: list[list] = [[] for _ in articles]
    for k, ps in zip(owners, parsed_all, strict=True):
        parsed_per[k].append(ps)
    out = []
    for article, doc, bounds, parsed in zip(articles, docs, bounds_per, parsed_per, strict=True):
        try:
            out.append(_analyse_one(article, doc, bounds, parsed, options))
        except Exception as e:  # one odd article never stops a batch: it keeps its sentences only
            log.warning(
                "analysis of article %s failed (%s: %s); kept its sentences only",
                article.id,
                type(e).__name__,
                e,
            )
            paragraph_of = _paragraph_index(article)
            sentences = tuple(Sentence(Span(article.id, a, b), paragraph_of(a)) for a, b in bounds)
            out.append(Analysis(article_id=article.id, sentences=sentences))
    return out


def _analyse_one(article: Article, doc: Doc, bounds, parsed, options: AnalyseOptions) -> Analysis:
    aid = article.id
    paragraph_of = _paragraph_index(article)
    sentences = tuple(Sentence(Span(aid, a, b), paragraph_of(a)) for a, b in bounds)
    mentions: list[EntityMention] = []
    entities: list[Entity] = []
    persons: PersonIndex | None = None
    if options.entities or options.quotes:
        mentions, entities, persons = analyse_entities(article, doc)
    quotes: tuple = ()
    marked: tuple[Span, ...] | None = None
    if options.quotes:
        raw = extract_raw_quotes(article.text, parsed, bounds)
        subjects = subject_names(parsed)
        quotes = tuple(link_speakers(article, raw, mentions, persons, bounds, subjects))
        marked = marked_spans(article.text, aid, quotes)
    quantities: tuple = ()
    if options.quantities:
        quantities = tuple(read_quantities(article.text, aid, article.published_at))
    if not options.entities:
        mentions, entities = [], []
    return Analysis(
        article_id=aid,
        sentences=sentences,
        mentions=tuple(mentions),
        entities=tuple(entities),
        quotes=quotes,
        quantities=quantities,
        marked=marked,
    )


@contextmanager
def _calm_gc() -> Iterator[None]:
    """The cyclic garbage collector kept off the objects that exist before the analysis (the loaded model,
    the caller's data) and run less often during it: the analysis makes and drops many small objects, and
    each full collection walked every live object (~5-8% of the analysis time on galaxy-wikinews).
    Restored afterwards."""
    threshold = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(max(threshold[0], GC_THRESHOLD), *threshold[1:])
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def _worker(args: tuple[Sequence[Article], AnalyseOptions]) -> list[Analysis]:
    articles, options = args
    with _calm_gc():
        return _analyse_chunk(load_nlp(options), articles, options)


def processes_for(n_articles: int, options: AnalyseOptions) -> int:
    """Worker processes for a call on ``n_articles``: ``options.n_process``, or with 0 ("auto") one per usable
    CPU (at most 4) once there are at least ``AUTO_MIN_ARTICLES`` articles (a fork with the model already
    loaded costs ~0.1 s, but each worker warms its own vocabulary and the results come back pickled)."""
    if options.n_process > 0:
        return options.n_process
    if n_articles < AUTO_MIN_ARTICLES:
        return 1
    try:
        cpus = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cpus = os.cpu_count() or 1
    return max(1, min(4, cpus))


def analyse_articles(articles: Sequence[Article], options: AnalyseOptions | None = None) -> list[Analysis]:
    """Analyse articles, results in input order.

    In one process, chunks of ``2 * batch_size`` articles run through the two passes. With more (see
    :func:`processes_for`) the model is loaded here first and forked worker processes take chunks of equal
    size, about ``CHUNKS_PER_WORKER`` per worker so that none waits long for the last (call it from the main
    thread of a process, as the CLI and the benchmark do). An article whose analysis fails is logged and
    keeps its sentences only; the batch goes on. An article longer than ``options.max_chars`` is analysed
    in pieces (:mod:`newsweave.analyse.pieces`), its spans given in the whole text; one longer than
    ``options.analysed_limit`` only up to about that many characters (its ``analysed_chars``).
    """
    options = options or AnalyseOptions()
    limit = options.analysed_limit
    originals = list(articles)
    whole = [_bounded(a, limit) for a in originals]
    pieces = [_pieces(a, options.max_chars) for a in whole]
    parts = _analyse_all([p.article for ps in pieces for p in ps], options)
    out: list[Analysis] = []
    at = 0
    for article, original, ps in zip(whole, originals, pieces, strict=True):
        analysis = join_pieces(article, ps, parts[at : at + len(ps)])
        if article is not original:
            analysis = replace(analysis, analysed_chars=len(article.text))
        out.append(analysis)
        at += len(ps)
    return out


def _analyse_all(articles: list[Article], options: AnalyseOptions) -> list[Analysis]:
    """The analyses of ``articles`` (none longer than ``options.max_chars``), in order."""
    if not articles:
        return []
    nlp = load_nlp(options)  # before any fork: workers share the loaded model
    n_process = processes_for(len(articles), options)
    chunk = max(1, options.batch_size * 2)
    if n_process > 1:
        chunk = max(1, min(chunk, -(-len(articles) // (CHUNKS_PER_WORKER * n_process))))
    chunks = [articles[i : i + chunk] for i in range(0, len(articles), chunk)]
    if n_process > 1 and len(chunks) > 1:
        ctx = multiprocessing.get_context("fork")
        with _calm_gc(), worker_pool(n_process, ctx) as pool:
            results = pool.map(_worker, [(c, options) for c in chunks])
            return [a for part in results for a in part]
    out: list[Analysis] = []
    with _calm_gc():
        for c in chunks:
            out.extend(_analyse_chunk(nlp, c, options))
    return out
