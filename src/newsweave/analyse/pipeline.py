"""``analyse_articles``: sentences, entities, quotes and quantities of each article, with spans."""

from __future__ import annotations

import logging
import multiprocessing
import re
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor

from spacy.language import Language
from spacy.tokens import Doc

from newsweave.analyse.cues import STRONG_SURFACE, SURFACE
from newsweave.analyse.entities import PersonIndex, analyse_entities
from newsweave.analyse.nlp import first_pass, load_nlp, parse_sentences, sentence_bounds
from newsweave.analyse.options import AnalyseOptions
from newsweave.analyse.quantities import extract_quantities
from newsweave.analyse.quotes import extract_raw_quotes, subject_names
from newsweave.analyse.speakers import link_speakers
from newsweave.model import Analysis, Article, Entity, EntityMention, Sentence, Span

log = logging.getLogger(__name__)
_QUOTE_CHARS = set('"“”„«»‘’')
_WORD = re.compile(r"[A-Za-z]+")
_DETERMINERS = {"the", "a", "an", "his", "her", "its", "their", "our", "my", "your", "this", "that", "these",
                "those", "no", "every", "each", "any", "some", "new", "first", "last"}  # fmt: skip


def _needs_parse(sent_text: str, mode: str) -> bool:
    """Whether a sentence goes to the parser: "all"; "cues" (a quotation mark or any reporting word);
    "fast" (a quotation mark, "according", or a core speech verb such as said/told/insisted).

    On the PolNeAR dev split "fast" parses ~53% of galaxy sentences instead of ~70% but drops indirect
    recall from 0.49 to 0.38 (direct quotes are unchanged), so "cues" is the default."""
    if mode == "all" or any(ch in _QUOTE_CHARS for ch in sent_text):
        return True
    words = [w.lower() for w in _WORD.findall(sent_text)]
    if mode == "cues":
        # a reporting word right after a determiner is a noun ("the report", "his support"): no cue
        return any(w in SURFACE and (k == 0 or words[k - 1] not in _DETERMINERS) for k, w in enumerate(words))
    return any(w in STRONG_SURFACE for w in words)


def _paragraph_of(article: Article, start: int) -> int:
    for i, (a, b) in enumerate(article.paragraphs):
        if a <= start < b:
            return i
    return 0


def _analyse_chunk(nlp: Language, articles: Sequence[Article], options: AnalyseOptions) -> list[Analysis]:
    texts = (a.text for a in articles)
    docs: list[Doc] = list(first_pass(nlp, texts, options.batch_size, options.ner_window))
    to_parse = []
    owners = []
    bounds_per: list[list[tuple[int, int]]] = []
    for k, (doc, article) in enumerate(zip(docs, articles, strict=True)):
        text = article.text  # doc.text would rebuild the string on every access
        bounds = []
        for sent in doc.sents:
            b = sentence_bounds(sent)
            if b is None:
                continue
            bounds.append(b)
            if options.needs_parse and _needs_parse(text[b[0] : b[1]], options.parse):
                to_parse.append(sent)
                owners.append(k)
        bounds_per.append(bounds)
    parsed_all = parse_sentences(nlp, to_parse, options.batch_size) if to_parse else []
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
            sentences = tuple(Sentence(Span(article.id, a, b), _paragraph_of(article, a)) for a, b in bounds)
            out.append(Analysis(article_id=article.id, sentences=sentences))
    return out


def _analyse_one(article: Article, doc: Doc, bounds, parsed, options: AnalyseOptions) -> Analysis:
    aid = article.id
    sentences = tuple(Sentence(Span(aid, a, b), _paragraph_of(article, a)) for a, b in bounds)
    mentions: list[EntityMention] = []
    entities: list[Entity] = []
    persons: PersonIndex | None = None
    if options.entities or options.quotes:
        mentions, entities, persons = analyse_entities(article, doc)
    quotes: tuple = ()
    if options.quotes:
        raw = extract_raw_quotes(article.text, parsed, bounds)
        subjects = subject_names(parsed)
        quotes = tuple(link_speakers(article, raw, mentions, persons, bounds, subjects))
    quantities: tuple = ()
    if options.quantities:
        quantities = tuple(extract_quantities(article.text, aid, article.published_at))
    if not options.entities:
        mentions, entities = [], []
    return Analysis(
        article_id=aid,
        sentences=sentences,
        mentions=tuple(mentions),
        entities=tuple(entities),
        quotes=quotes,
        quantities=quantities,
    )


def _worker(args: tuple[Sequence[Article], AnalyseOptions]) -> list[Analysis]:
    articles, options = args
    return _analyse_chunk(load_nlp(options), articles, options)


def analyse_articles(articles: Sequence[Article], options: AnalyseOptions | None = None) -> list[Analysis]:
    """Analyse articles, results in input order.

    With ``options.n_process > 1`` chunks of ``2 * batch_size`` articles go to forked worker processes
    (call it from the main thread of a process, as the CLI and the benchmark do). An article whose analysis
    fails is logged and keeps its sentences only; the batch goes on.
    """
    options = options or AnalyseOptions()
    articles = list(articles)
    if not articles:
        return []
    chunk = max(1, options.batch_size * 2)
    chunks = [articles[i : i + chunk] for i in range(0, len(articles), chunk)]
    if options.n_process > 1 and len(chunks) > 1:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=options.n_process, mp_context=ctx) as pool:
            results = pool.map(_worker, [(c, options) for c in chunks])
            return [a for part in results for a in part]
    nlp = load_nlp(options)
    out: list[Analysis] = []
    for c in chunks:
        out.extend(_analyse_chunk(nlp, c, options))
    return out
