"""The HTML pages, in process over ASGI: the demo store, and a store of hostile articles whose text and
metadata carry script tags, event handlers, javascript: URLs and broken markup (all invented here)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from conftest import DEMO_STORIES
from newsweave.store import Store
from newsweave.store.stories import list_stories as stored_stories
from newsweave.web import WebOptions, create_app
from webclient import get

HOSTILE_BODY = (
    "Harbour officials in Quillon said <script>window.__pwned=1</script> that 14 crew were rescued on "
    'Tuesday. <img src=x onerror="window.__pwned=2"> "We acted within minutes <b>of the alarm</b>," said '
    'harbourmaster Ilse Varnum. </p></div><a href="javascript:alert(1)">more</a> <svg onload=alert(3)> & '
    "the tug <i>Marrow</i> towed the trawler to berth 6."
)
HOSTILE_OTHER = (
    "Fourteen crew were rescued from a trawler off Quillon on Tuesday, harbour officials said. "
    '"We acted within minutes of the alarm," harbourmaster Ilse Varnum said. <iframe src="javascript:alert(2)">'
    "</iframe> The tug Marrow towed the trawler to berth 6 <style>body{display:none}</style>."
)


def _page_scripts(html: str) -> list[str]:
    return re.findall(r"<script\b[^>]*>", html, flags=re.I)


@pytest.fixture(scope="module")
def demo_web(demo_store: Path):
    app = create_app(demo_store, WebOptions(embeddings=False))
    yield app
    app.state.store.close()


@pytest.fixture(scope="module")
def hostile_web(tmp_path_factory: pytest.TempPathFactory):
    from newsweave.pipeline import add_inputs

    folder = tmp_path_factory.mktemp("hostile")
    (folder / "a.txt").write_text(
        "Title: <script>document.title='pwned'</script>Trawler crew rescued\n"
        "Source: <img src=x onerror=alert(1)>quillon.example\nURL: javascript:alert('url')\n"
        "Date: 2026-03-03T09:00:00Z\n\n" + HOSTILE_BODY,
        encoding="utf-8",
    )
    (folder / "b.txt").write_text(
        'Title: Crew of trawler rescued off Quillon" onmouseover="alert(1)\nSource: harbour.example\n'
        "URL: https://harbour.example/rescue\nDate: 2026-03-03T11:00:00Z\n\n" + HOSTILE_OTHER,
        encoding="utf-8",
    )
    db = folder / "hostile.duckdb"
    with Store.open(db) as store:
        summary = add_inputs(store, [str(folder / "a.txt"), str(folder / "b.txt")])
    assert len(summary.added) == 2, summary
    app = create_app(db, WebOptions(embeddings=False))
    yield app
    app.state.store.close()


# Every element the templates write; anything else in a page came from an article.
TEMPLATE_TAGS = set(
    "html head meta title link body header main a span h1 h2 h3 p form label input select option button table "
    "thead tbody tr th td dl dt dd code article section ul ol li details summary aside div mark del ins script strong".split()
)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def _assert_inert(html: str) -> None:
    """Only the templates' own elements, no event-handler attribute, no javascript: link, one known script."""
    parser = _Tags()
    parser.feed(html)
    for tag, attrs in parser.tags:
        assert tag in TEMPLATE_TAGS, tag
        assert not [k for k in attrs if k.startswith("on")], (tag, attrs)
        for k in ("href", "src", "action"):
            assert not (attrs.get(k) or "").strip().lower().startswith(("javascript:", "data:")), attrs
        if tag == "script":
            assert attrs == {"src": "/static/story.js", "defer": None}, attrs
    assert _page_scripts(html) in ([], ['<script src="/static/story.js" defer>'])


def test_stories_page(demo_web) -> None:
    r = get(demo_web, "/")
    assert r.status_code == 200 and "text/html" in r.headers["content-type"]
    cur = demo_web.state.store.cursor()
    try:
        stories = stored_stories(cur)
    finally:
        cur.con.close()
    html = r.text
    assert html.count('class="story-link"') == len(stories) == DEMO_STORIES
    for s in stories:
        assert f'href="/stories/{s.id}"' in html
    assert 'href="/static/app.css"' in html and "https://" not in html and "http://" not in html
    tram = get(demo_web, "/?q=tram&sort=recent").text
    assert 0 < tram.count('class="story-link"') < 4 and "Ferry collides" not in tram
    assert get(demo_web, "/?min_sources=99").text.count('class="story-link"') == 0
    outlet = stories[-1].sources[0]
    one = get(demo_web, "/", params={"outlet": outlet}).text
    assert one.count('class="story-link"') == sum(outlet in s.sources for s in stories)


def test_story_page_puts_evidence_in_every_source(demo_web) -> None:
    cur = demo_web.state.store.cursor()
    try:
        ferry = next(s for s in stored_stories(cur) if "Ferry" in (s.title or ""))
    finally:
        cur.con.close()
    html = get(demo_web, f"/stories/{ferry.id}").text
    comp = get(demo_web, f"/api/stories/{ferry.id}/comparison").json()
    assert html.count('class="source"') == len(comp["sources"])
    for group in comp["quotes"] + comp["numbers"]:
        assert f'data-item="{group["id"]}"' in html
        # each source with evidence for this item has a mark carrying its id
        marks = re.findall(r'<mark class="[^"]*" data-ids="([^"]*)"', html)
        assert any(group["id"] in m.split() for m in marks)
    assert _page_scripts(html) == ['<script src="/static/story.js" defer>']
    # one box per quotation rendered by several sources, its pieces inside it
    shared = {q.get("utterance") or q["id"] for q in comp["quotes"] if q["status"] != "single"}
    assert html.count('class="item-box utterance"') == len(shared) > 0
    # the coverage timeline: every source once, oldest first
    timeline = html.split('id="timeline"')[1].split("</table>")[0]
    when = re.findall(r"<tr><td>([^<]*)</td>", timeline)
    dated = sorted((s["published_at"] or "")[:16].replace("T", " ") for s in comp["sources"])
    assert when == dated and len(when) == len(comp["sources"])
    # the source-by-claim matrix: a filled cell exactly where the claim has evidence from that source
    matrix = html.split('id="matrix"')[1].split("</table>")[0]
    rows = re.findall(r'data-item="(c\d+)".*?</tr>', matrix, re.S)
    cells = [
        re.findall(r'<td class="cell( yes)?">', row)
        for row in re.findall(r'data-item="c\d+".*?</tr>', matrix, re.S)
    ]
    claims = {x["id"]: x for x in comp["claims"]}
    assert rows == [x["id"] for x in comp["claims"] if x["status"] != "single"] and rows
    order = [s["article_id"] for s in comp["sources"]]
    for cid, row in zip(rows, cells, strict=True):
        have = {order[i] for i, mark in enumerate(row) if mark}
        assert have == {e["article_id"] for e in claims[cid]["evidence"]}, cid
    # a contradicting claim says which figures it rests on
    at_odds = [x for x in comp["claims"] if x["status"] == "contradicts"]
    assert at_odds and all(x["at_odds"] for x in at_odds)
    n = {g["id"]: g for g in comp["numbers"]}[at_odds[0]["at_odds"][0]]
    assert f"Figures at odds: {n['id']} {n['what']}: " in html
    js = get(demo_web, "/static/story.js")
    assert js.status_code == 200 and "data-ids~=" in js.text
    _assert_inert(html)


def test_article_page_marks_the_analysis(demo_web) -> None:
    arts = get(demo_web, "/api/articles?limit=50").json()["items"]
    a = next(x for x in arts if "Ferry" in (x["title"] or ""))
    detail = get(demo_web, f"/api/articles/{a['id']}").json()
    html = get(demo_web, f"/articles/{a['id']}").text
    assert (
        html.count('<mark class="m-quote') >= 1
        and html.count("m-entity") >= len(detail["analysis"]["mentions"]) // 2
    )
    assert f">{len(detail['analysis']['quotes'])} quotes<" in html
    assert 'href="/stories/' in html
    story = get(
        demo_web,
        f"/api/stories/{next(x for x in get(demo_web, '/api/stories').json()['items'] if x['title'].startswith('Ferry'))['id']}",
    ).json()
    assert story["rewrites"]
    for r in story["rewrites"]:  # a copy links to what it copies, and back
        copy = get(demo_web, f"/articles/{r['derived']}").text.split('id="related"')[1].split("</ul>")[0]
        original = get(demo_web, f"/articles/{r['original']}").text.split('id="related"')[1].split("</ul>")[0]
        assert f'href="/articles/{r["original"]}"' in copy and "copy of" in copy
        assert f'href="/articles/{r["derived"]}"' in original and "made from it" in original


@pytest.mark.parametrize("url", ["/stories/nope", "/articles/nope"])
def test_unknown_pages_are_404_html(demo_web, url: str) -> None:
    r = get(demo_web, url)
    assert r.status_code == 404 and "text/html" in r.headers["content-type"] and "nope" in r.text


def test_hostile_articles_are_escaped_everywhere(hostile_web) -> None:
    cur = hostile_web.state.store.cursor()
    try:
        stories = stored_stories(cur)
        ids = [a.id for a in cur.iter_articles()]
    finally:
        cur.con.close()
    pages = ["/", "/?q=<script>alert(9)</script>&outlet=<img src=x onerror=alert(1)>"]
    pages += [f"/stories/{s.id}" for s in stories] + [f"/articles/{i}" for i in ids]
    for url in pages:
        r = get(hostile_web, url)
        assert r.status_code == 200, (url, r.text[:300])
        _assert_inert(r.text)
        assert "Content-Security-Policy" in r.headers
    article = get(hostile_web, f"/articles/{ids[0]}").text + get(hostile_web, f"/articles/{ids[1]}").text
    article = re.sub(r"</?mark\b[^>]*>", "", article)  # the highlights cut the text into pieces
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in article  # shown as text, not run
    assert "&lt;img src=x onerror=" in article
    assert "&lt;/p&gt;&lt;/div&gt;" in article
    assert "javascript:alert(&#39;url&#39;)" in article  # the URL shown, never a link
    assert 'href="https://harbour.example/rescue"' in article
    search = get(hostile_web, "/?q=<script>alert(9)</script>").text
    assert "&lt;script&gt;alert(9)&lt;/script&gt;" in search
