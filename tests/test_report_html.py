"""The HTML report: self-contained, escaped, readable in a real (headless) browser."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import REPO, SEED_000, SEED_002
from newsweave.compare import CompareOptions, compare_articles
from newsweave.ingest import read_text_article
from newsweave.model import Article, article_id_for
from newsweave.report.html import render_html

CHROMIUM = "/usr/bin/chromium"
HOSTILE = (
    'Officials said <script>window.__pwned = 1; document.title = "pwned"</script> that 12 people '
    'were hurt. <img src=x onerror="window.__pwned = 2"> "We will rebuild <b>now</b>," the mayor said. '
    "</p></div><iframe src=javascript:alert(1)></iframe> & more."
)


def _hostile_pair() -> list[Article]:
    b = 'The mayor said "We will rebuild <b>now</b>," after 12 people were hurt. <svg onload=alert(1)>'
    return [
        Article(id=article_id_for(HOSTILE), text=HOSTILE, source="<i>evil.example</i>", title="<script>t()</script>",
                url="javascript:alert(1)"),
        Article(id=article_id_for(b), text=b, source="ok.example", title="Rebuild", url="https://ok.example/a"),
    ]  # fmt: skip


def _seed_html() -> str:
    arts = [read_text_article(p.read_text(encoding="utf-8"), path=str(p)) for p in (SEED_000, SEED_002)]
    comp = compare_articles(arts, None, CompareOptions(embeddings=False))
    return render_html(comp, {s.article_id: a.text for s, a in zip(comp.sources, arts, strict=True)})


def test_hostile_text_is_escaped():
    arts = _hostile_pair()
    comp = compare_articles(arts, None, CompareOptions(embeddings=False))
    html = render_html(comp, {a.id: a.text for a in arts})
    low = html.lower()
    for tag in ("<script", "<img", "<iframe", "<svg", "<b>", "<i>"):
        assert tag not in low, tag
    assert 'href="javascript' not in low
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=" in html


def test_self_contained():
    html = _seed_html()
    low = html.lower()
    assert "<link" not in low and "<script" not in low and "src=" not in low.replace("&lt;", "")
    assert "http://" not in low.split("<body")[0] and "https://" not in low.split("<body")[0]
    assert "Klitschko" in html and "reworded" in html and "around a fifth" in html


@pytest.mark.browser
def test_seed_report_in_headless_chromium(tmp_path):
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists() or shutil.which("chromium"), "install Debian's chromium (make test does)"
    seeds = tmp_path / "seeds.html"
    seeds.write_text(_seed_html(), encoding="utf-8")
    arts = _hostile_pair()
    comp = compare_articles(arts, None, CompareOptions(embeddings=False))
    hostile = tmp_path / "hostile.html"
    hostile.write_text(render_html(comp, {a.id: a.text for a in arts}), encoding="utf-8")
    artifacts = REPO / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"],
        )  # fmt: skip
        try:
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            requests: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.goto(seeds.as_uri())
            assert "Kyiv Mayor" in page.title()
            body = page.inner_text("body")
            for phrase in (
                "Quotes across sources",
                "reworded",
                "around a fifth",
                "approximately 20%",
                "Zelenskyy",
            ):
                assert phrase in body, phrase
            assert page.locator("del, ins").count() >= 2  # the word diff of Klitschko's quote
            assert page.locator("mark.quote").count() >= 4
            shot = artifacts / "compare_seeds.png"
            page.screenshot(path=str(shot), full_page=True)
            assert shot.stat().st_size > 20_000
            assert requests == [seeds.as_uri()], requests  # nothing fetched besides the file itself

            page.goto(hostile.as_uri())
            assert page.evaluate("window.__pwned") is None
            assert page.title() != "pwned"
            assert page.locator("script, img, iframe, svg, b, i").count() == 0
            assert "<script>" in page.inner_text("body")  # shown as text
            page.screenshot(path=str(artifacts / "compare_hostile.png"), full_page=True)
        finally:
            browser.close()
