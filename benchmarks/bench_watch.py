"""What a watch round costs against a local server on 127.0.0.1, per feed entry, without the analysis.

    .venv/bin/python benchmarks/bench_watch.py [--entries 200] [--teasers 20] [--json]

Serves one RSS feed of ``entries`` full-text entries and ``teasers`` teaser entries (each read from its
linked page), all invented text, and times four polls into a fresh store (``--no-analyse --no-cluster``
equivalent, host interval 0): the first (everything new), a second one answered 304, a third where the
feed changed its ETag but no entry changed (every entry recognised as known, no page fetched), and a
fourth where every full-text entry changed (each a new version). Prints seconds and entries per second.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))

from fetch_fixtures import PARAGRAPHS, html_paragraphs, page, rss  # noqa: E402
from local_http import LocalServer, Reply  # noqa: E402
from newsweave.fetch import Fetcher, FetchOptions, poll  # noqa: E402
from newsweave.store import Store  # noqa: E402


def _feed(server: LocalServer, entries: int, teasers: int, edition: int) -> None:
    keys = list(PARAGRAPHS)
    items = []
    for i in range(entries):
        text = [f"Dispatch {i}, edition {edition}. " + p for p in PARAGRAPHS[keys[i % 3]]]
        items.append({"title": f"Dispatch {i}", "link": f"/d/dispatch-number-{i}", "guid": f"d{i}", "content": html_paragraphs(text)})  # fmt: skip
    for i in range(teasers):
        path = f"/t/teaser-story-number-{i}"
        server.routes[path] = Reply(page(f"Story {i}", [f"Story {i}. " + p for p in PARAGRAPHS[keys[i % 3]]]))
        items.append({"title": f"Story {i}", "link": path, "guid": f"t{i}", "summary": "Teaser."})
    server.routes["/feed.xml"] = Reply(rss(items), "application/rss+xml", etag=f'"{edition}-{time.time()}"')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--entries", type=int, default=200)
    ap.add_argument("--teasers", type=int, default=20)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    server = LocalServer()
    figures: dict[str, float] = {}
    total = args.entries + args.teasers
    opts = FetchOptions(allowed_networks=("127.0.0.1/32",), host_interval=0.0)
    try:
        with (
            tempfile.TemporaryDirectory() as tmp,
            Store.open(Path(tmp) / "b.duckdb") as store,
            Fetcher(opts) as f,
        ):
            url = server.url("/feed.xml")
            _feed(server, args.entries, args.teasers, 1)
            runs = [("first_poll_all_new", None), ("second_poll_304", None),
                    ("third_poll_etag_changed_nothing_new", 1), ("fourth_poll_all_full_entries_changed", 2)]  # fmt: skip
            for name, edition in runs:
                if edition is not None:
                    _feed(server, args.entries, args.teasers, edition)
                t0 = time.perf_counter()
                result = poll(store, f, url)
                figures[name + "_s"] = round(time.perf_counter() - t0, 3)
                print(f"{name}: {figures[name + '_s']:.3f} s ({result.line()})")
            figures["entries"] = total
            figures["new_entries_per_s"] = round(total / figures["first_poll_all_new_s"], 1)
            figures["known_entries_per_s"] = round(
                total / figures["third_poll_etag_changed_nothing_new_s"], 1
            )
            figures["versions_per_s"] = round(
                args.entries / figures["fourth_poll_all_full_entries_changed_s"], 1
            )
            print(f"new entries/s {figures['new_entries_per_s']}, known entries/s {figures['known_entries_per_s']}, "
                  f"new versions/s {figures['versions_per_s']}")  # fmt: skip
    finally:
        server.close()
    if args.json:
        print(json.dumps(figures))


if __name__ == "__main__":
    main()
