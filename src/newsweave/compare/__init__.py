"""The comparison of one story across sources: claims, quotes, numbers, entities, framing, with evidence.

    from newsweave.compare import CompareOptions, compare_articles, load_articles
    comparison = compare_articles(load_articles(["a.txt", "b.txt"]), analyses=None, options=CompareOptions())

``analyses`` (from :func:`newsweave.analyse.analyse_articles`) are optional: they give sentence bounds, the
entity alias table and quote speakers; without them the comparison's own fallbacks are used.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from newsweave.lazy import lazy_exports

if TYPE_CHECKING:
    from newsweave.compare.core import compare_articles
    from newsweave.compare.inputs import load_articles
    from newsweave.compare.options import CompareOptions
    from newsweave.compare.result import SCHEMA_VERSION, Comparison

# imported on first use (PEP 562): reading a stored comparison (newsweave.compare.result) does not import
# the comparison itself (scikit-learn, SciPy: about a second of a report's start)
_MODULE = {
    "SCHEMA_VERSION": "newsweave.compare.result",
    "CompareOptions": "newsweave.compare.options",
    "Comparison": "newsweave.compare.result",
    "compare_articles": "newsweave.compare.core",
    "load_articles": "newsweave.compare.inputs",
}

__all__ = ["SCHEMA_VERSION", "CompareOptions", "Comparison", "compare_articles", "load_articles"]

__getattr__ = lazy_exports(__name__, _MODULE)
