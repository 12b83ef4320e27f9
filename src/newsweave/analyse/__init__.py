"""The analysis stage: sentences, entities with alias merging, quotes with speakers, quantities.

Public API: :class:`AnalyseOptions`, :func:`analyse_articles`, :func:`merge_entities_across`,
:func:`parse_quantity`, :func:`load_nlp`.
"""

from newsweave.analyse.merge import lookup_entity, merge_entities_across
from newsweave.analyse.nlp import load_nlp
from newsweave.analyse.options import AnalyseOptions
from newsweave.analyse.pipeline import analyse_articles
from newsweave.analyse.quantities import ParsedNumber, extract_quantities, parse_quantity

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
