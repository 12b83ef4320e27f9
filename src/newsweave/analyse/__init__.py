"""The analysis stage: sentences, entities with alias merging, quotes with speakers, quantities.

Public API: :class:`AnalyseOptions`, :func:`analyse_articles`, :func:`merge_entities_across`,
:func:`parse_quantity`, :func:`load_nlp`.

The names are imported on first use (PEP 562), so the spaCy-free parts (``newsweave.analyse.cues``,
``newsweave.analyse.numbers``, which the comparison reads) do not import spaCy and torch (about 1.5 s).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsweave.lazy import lazy_exports

if TYPE_CHECKING:
    from newsweave.analyse.merge import lookup_entity, merge_entities_across
    from newsweave.analyse.nlp import load_nlp
    from newsweave.analyse.options import AnalyseOptions
    from newsweave.analyse.pipeline import analyse_articles
    from newsweave.analyse.quantities import ParsedNumber, extract_quantities, parse_quantity

_MODULE = {
    "AnalyseOptions": "newsweave.analyse.options",
    "ParsedNumber": "newsweave.analyse.quantities",
    "analyse_articles": "newsweave.analyse.pipeline",
    "extract_quantities": "newsweave.analyse.quantities",
    "load_nlp": "newsweave.analyse.nlp",
    "lookup_entity": "newsweave.analyse.merge",
    "merge_entities_across": "newsweave.analyse.merge",
    "parse_quantity": "newsweave.analyse.quantities",
}

__all__ = [
    "AnalyseOptions",
    "ParsedNumber",
    "analyse_articles",
    "extract_quantities",
    "load_nlp",
    "lookup_entity",
    "merge_entities_across",
    "parse_quantity",
]

__getattr__ = lazy_exports(__name__, _MODULE)
