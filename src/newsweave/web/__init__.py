"""``newsweave serve``: the web app and JSON API over a store (FastAPI, pages rendered with Jinja2).

from newsweave.web import WebOptions, create_app
app = create_app("demo.duckdb", WebOptions(embeddings=False))
"""

from newsweave.web.app import WebOptions, create_app

__all__ = ["WebOptions", "create_app"]
