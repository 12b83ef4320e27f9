"""spaCy's part-of-speech tagger for framing's loaded words (:mod:`newsweave.compare.framing`, rule 2),
loaded on first use, and the id its stored tags are keyed by (:class:`newsweave.embed_store.TextCache`).
A module of its own so that the id is known without importing spaCy or the comparison."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

TAGGER_EXCLUDE = ("parser", "senter", "attribute_ruler", "lemmatizer", "ner")  # tok2vec and tagger run


@functools.lru_cache(maxsize=1)
def _tagger() -> Any:
    """spaCy's tok2vec and tagger only (the analysis stage's model), loaded once per process."""
    import spacy

    return spacy.load(_tagger_package(), exclude=list(TAGGER_EXCLUDE))


def _tagger_package() -> str:
    from newsweave.analyse.options import AnalyseOptions, resolve_model

    return resolve_model(AnalyseOptions())


def tagger_id() -> str:
    """What the tags depend on besides the text, without loading spaCy: the model package and its version,
    and the components run (stored tags are keyed by it)."""
    from importlib.metadata import PackageNotFoundError, version

    name = _tagger_package()
    try:
        name = f"{name}=={version(name)}"
    except PackageNotFoundError:
        pass
    return f"{name}:tok2vec+tagger"


Tagger = Callable[[list[str]], list[list[tuple[int, str]]]]


def tag_texts(texts: list[str]) -> list[list[tuple[int, str]]]:
    """Per text, its tokens' (character offset, fine tag) from spaCy's tagger (loaded on first use)."""
    return [[(t.idx, t.tag_) for t in doc] for doc in _tagger().pipe(texts)]
