"""The comparison of one story across sources: claims, quotes, numbers, entities, framing, with evidence.

    from newsweave.compare import CompareOptions, compare_articles, load_articles
    comparison = compare_articles(load_articles(["a.txt", "b.txt"]), analyses=None, options=CompareOptions())

``analyses`` (from :func:`newsweave.analyse.analyse_articles`) are optional: they give sentence bounds, the
entity alias table and quote speakers; without them the comparison's own fallbacks are used.
"""

from newsweave.compare.core import compare_articles
from newsweave.compare.inputs import load_articles
from newsweave.compare.options import CompareOptions
from newsweave.compare.result import SCHEMA_VERSION, Comparison

__all__ = ["SCHEMA_VERSION", "CompareOptions", "Comparison", "compare_articles", "load_articles"]
