"""The stories page's filter form as a browser submits it: every field named, the empty ones empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsweave.web import WebOptions, create_app
from webclient import get


@pytest.fixture(scope="module")
def demo_web(demo_store: Path):
    app = create_app(demo_store, WebOptions(embeddings=False))
    yield app
    app.state.store.close()


def _shown(html: str) -> int:
    return html.count('class="story-link"')


def test_the_filter_form_with_empty_fields_lists_the_stories(demo_web) -> None:
    everything = get(demo_web, "/")
    assert everything.status_code == 200 and _shown(everything.text) > 0
    # a browser sends every field of the form: an empty date input as "since=" (was a JSON 422)
    form = {"q": "", "outlet": "", "entity": "", "since": "", "until": "", "min_sources": "", "sort": "size"}
    r = get(demo_web, "/", params=form)
    assert r.status_code == 200 and _shown(r.text) == _shown(everything.text)
    assert 'name="since" value=""' in r.text and 'name="min_sources" min="0" value="0"' in r.text
    r = get(demo_web, "/", params={**form, "since": "2000-01-01", "until": "2099-12-31", "min_sources": "1"})
    assert r.status_code == 200 and _shown(r.text) == _shown(everything.text)
    assert 'name="since" value="2000-01-01"' in r.text
    assert _shown(get(demo_web, "/", params={**form, "since": "2099-01-01"}).text) == 0


@pytest.mark.parametrize(
    ("field", "value"),
    [("since", "next week"), ("until", "2026-13-40"), ("min_sources", "two"), ("min_sources", "-1")],
)
def test_a_bad_value_in_the_form_is_a_page_saying_which_field(demo_web, field: str, value: str) -> None:
    r = get(demo_web, "/", params={field: value})
    assert r.status_code == 400 and r.headers["content-type"].startswith("text/html")
    assert f"{field}:" in r.text and "<h1>400</h1>" in r.text
