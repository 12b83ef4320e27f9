"""The web app in real headless Chromium (Debian's, driven by Playwright) over loopback: open the demo
story, click a quote, and its evidence is highlighted in every source that carries it."""

from __future__ import annotations

import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from conftest import REPO
from newsweave.web import WebOptions, create_app

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]  # fmt: skip


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def server(demo_store: Path):
    import uvicorn

    app = create_app(demo_store, WebOptions(embeddings=False))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}", app
    srv.should_exit = True
    thread.join(timeout=10)


@pytest.mark.browser
def test_click_a_quote_highlights_its_evidence_in_each_source(server) -> None:
    from playwright.sync_api import sync_playwright

    base, app = server
    assert Path(CHROMIUM).exists() or shutil.which("chromium"), "install Debian's chromium (make test does)"
    cur = app.state.store.cursor()
    try:
        from newsweave.store.stories import list_stories

        demo = max(list_stories(cur), key=lambda s: len(s.article_ids))
    finally:
        cur.con.close()
    artifacts = REPO / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1500, "height": 1000})
            requests: list[str] = []
            errors: list[str] = []
            page.on("request", lambda r: requests.append(r.url))
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(base + "/")
            page.click(f'a[href="/stories/{demo.id}"]')
            page.wait_for_selector(".source-text")
            assert page.locator(".source").count() == len(demo.article_ids)
            assert page.locator("mark.hl").count() == 0
            comp = page.request.get(f"{base}/api/stories/{demo.id}/comparison").json()
            quote = max(comp["quotes"], key=lambda q: len({e["article_id"] for e in q["evidence"]}))
            sources = {e["article_id"] for e in quote["evidence"]}
            assert len(sources) >= 2
            page.click(f'button[data-item="{quote["id"]}"]')
            page.wait_for_selector("mark.hl")
            lit = page.eval_on_selector_all(
                ".source", "els => els.filter(e => e.querySelector('mark.hl')).map(e => e.dataset.article)"
            )
            assert set(lit) == sources
            for aid in sources:  # the highlighted words are the quote's evidence in that source
                shown = page.locator(f'.source[data-article="{aid}"] mark.hl').all_inner_texts()
                wanted = [e["text"] for e in quote["evidence"] if e["article_id"] == aid]
                assert "".join(shown).split() == " ".join(wanted).split()
            in_view = page.eval_on_selector_all(
                ".source-text",
                """boxes => boxes.filter(b => b.querySelector('mark.hl')).map(b => {
                    const m = b.querySelector('mark.hl');
                    return m.offsetTop >= b.scrollTop && m.offsetTop < b.scrollTop + b.clientHeight;
                })""",
            )
            assert in_view and all(in_view)  # each source's text scrolled to its evidence
            status = page.inner_text("#hl-status")
            assert f"in {len(sources)} source(s)" in status
            page.screenshot(path=str(artifacts / "web_story_quote.png"), full_page=False)
            assert (artifacts / "web_story_quote.png").stat().st_size > 20_000
            assert all(u.startswith(base + "/") for u in requests), requests  # nothing from elsewhere
            assert not errors, errors  # no CSP violation, no script error
        finally:
            browser.close()


@pytest.mark.browser
def test_search_a_speaker_and_open_the_hit(server) -> None:
    from playwright.sync_api import sync_playwright

    base, _app = server
    artifacts = REPO / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        try:
            page = browser.new_page(viewport={"width": 1300, "height": 900})
            errors: list[str] = []
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.goto(base + "/search")
            page.fill('main input[name="speaker"]', "Wren")
            page.click('main button[type="submit"]')
            page.wait_for_selector(".hit-quote")
            hits = page.locator(".hit-quote")
            assert hits.count() >= 2
            assert all("Tobias Wren" in t for t in hits.all_inner_texts())
            quoted = page.locator(".hit-quote .hit-text").first.inner_text()
            page.locator(".hit-quote .hit-link").first.click()
            page.wait_for_selector("mark.m-hit")
            shown = "".join(page.locator("mark.m-hit").all_inner_texts())
            assert shown.split() == quoted.split()
            assert page.locator("mark.m-hit").first.is_visible()
            page.screenshot(path=str(artifacts / "web_search_hit.png"), full_page=False)
            assert not errors, errors
        finally:
            browser.close()


@pytest.mark.browser
def test_add_an_article_in_the_browser_and_watch_it_land(demo_store: Path, tmp_path: Path) -> None:
    import shutil as sh

    import uvicorn
    from playwright.sync_api import sync_playwright

    db = tmp_path / "writable.duckdb"
    sh.copy(demo_store, db)
    app = create_app(db, WebOptions(embeddings=False, writable=True))
    port = _free_port()
    srv = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        assert time.monotonic() < deadline and thread.is_alive(), "the server did not start"
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    upload = tmp_path / "lighthouse.txt"  # invented text
    upload.write_text("Title: Lighthouse keeper retires after forty years\nSource: Saltmarsh Echo\n"
                      "Date: 2026-06-01\n\nThe keeper of the Gullrock lighthouse, Ives Tremayne, retired on "
                      "Sunday. \"The lamp never went out on my watch,\" Tremayne said.\n", encoding="utf-8")  # fmt: skip
    artifacts = REPO / "tests" / "artifacts"
    artifacts.mkdir(exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
            try:
                page = browser.new_page(viewport={"width": 1200, "height": 900})
                errors: list[str] = []
                page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
                page.goto(base + "/")
                page.click('a[href="/add"]')
                page.set_input_files('input[name="files"]', str(upload))
                page.fill('textarea[name="text"]', "<script>document.title='x'</script>")
                page.click('form.add button[type="submit"]')
                page.wait_for_selector('#job-state[data-state="done"]', timeout=60_000)
                assert page.locator("#added a", has_text="Lighthouse keeper retires").count() == 1
                assert page.locator("#added tbody tr").count() == 2
                assert "<pasted text>" in page.inner_text("#added")  # the markup is text, shown as text
                assert page.title() != "x"
                page.screenshot(path=str(artifacts / "web_add_done.png"), full_page=False)
                page.locator("#added a", has_text="Lighthouse keeper retires").click()
                page.wait_for_selector("#article-text")
                assert "Ives Tremayne" in page.inner_text("#article-text")
                assert not errors, errors
            finally:
                browser.close()
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
        app.state.writer.close()
        app.state.store.close()
