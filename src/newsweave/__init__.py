"""newsweave: read one news story across many outlets.

The library is organised as one subpackage per pipeline stage (see docs/architecture in the shared docs):
``ingest`` -> ``analyse`` -> ``dedup`` -> ``cluster`` -> ``compare`` -> ``report``; ``store`` persists
everything in DuckDB and ``eval`` measures each stage on real data.
"""

from newsweave.errors import NewsweaveError
from newsweave.model import Article, Rejected, Span

__version__ = "0.1.0"
__all__ = ["Article", "NewsweaveError", "Rejected", "Span", "__version__"]
