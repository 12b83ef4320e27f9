"""Hostile inputs: each gives a Rejected naming the file and position, and everything valid around it
comes through (the issue's list: empty, binary, 50 MB, Latin-1, UTF-16, broken HTML, truncated gzip,
WARC with a broken record, JSONL with a bad line; plus FIFO, symlink loop, billion laughs, gzip bomb)."""

from __future__ import annotations

import gzip
import io
import json
import os
import sys
from pathlib import Path

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newsweave.ingest import IngestOptions, read_inputs
from newsweave.model import Article, Rejected

BODY = (
    "The harbour council met on Tuesday and voted to rebuild the old pier, officials said.\n"
    "Work will start in May and cost about 4 million euros, according to the mayor's office.\n"
    "Residents had asked for the repair since a storm damaged the pier two winters ago."
)


def _page(i: int) -> bytes:
    paras = "".join(
        f"<p>Paragraph {j} of story {i}: the harbour council met on Tuesday and voted on the plan to "
        "rebuild the old pier, officials said in a statement released after the meeting ended.</p>"
        for j in range(6)
    )
    return (
        f"<html><head><title>Story {i}</title></head><body><nav>Home | World</nav>"
        f"<article><h1>Story {i}</h1>{paras}</article></body></html>"
    ).encode()


def _warc(gz: bool) -> tuple[bytearray, list[int]]:
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=gz)
    offsets = []
    for i in range(3):
        offsets.append(buf.tell())
        http = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1")
        rec = writer.create_warc_record(
            f"https://www.example.com/story{i}", "response", payload=io.BytesIO(_page(i)), http_headers=http
        )
        writer.write_record(rec)
    return bytearray(buf.getvalue()), offsets


def _read(paths: list[Path], **kw: object) -> tuple[list[Article], list[Rejected]]:
    items = list(read_inputs([str(p) for p in paths], IngestOptions(**kw)))  # type: ignore[arg-type]
    arts = [x for x in items if isinstance(x, Article)]
    rej = [x for x in items if isinstance(x, Rejected)]
    assert len(arts) + len(rej) == len(items)
    return arts, rej


def _only_rejection(path: Path, **kw: object) -> Rejected:
    arts, rej = _read([path], **kw)
    assert not arts and len(rej) == 1, (arts, rej)
    assert rej[0].path == str(path)
    return rej[0]


def test_empty_file(tmp_path: Path) -> None:
    f = tmp_path / "empty.txt"
    f.write_bytes(b"")
    assert "empty" in _only_rejection(f).reason


def test_binary_file(tmp_path: Path) -> None:
    f = tmp_path / "photo.txt"
    f.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64)
    assert "binary" in _only_rejection(f).reason


def test_fifty_megabyte_file_refused_before_reading(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "huge.txt"
    with f.open("wb") as fh:  # sparse: instant, no disk used
        fh.truncate(50 * 1024 * 1024)
    opened: list[str] = []
    real_open = open

    def spy(file, *a, **kw):  # type: ignore[no-untyped-def]
        opened.append(str(file))
        return real_open(file, *a, **kw)

    monkeypatch.setattr("builtins.open", spy)
    r = _only_rejection(f)
    assert "size limit" in r.reason and "not read" in r.reason
    assert str(f) not in opened


def test_latin1_and_utf16_text(tmp_path: Path) -> None:
    text = "Caf\u00e9 owners in Z\u00fcrich said prices rose \u00bbagain\u00ab this year, the third rise in a row."
    (tmp_path / "a_latin1.txt").write_bytes(text.encode("latin-1"))
    (tmp_path / "b_utf16.txt").write_bytes(text.encode("utf-16"))
    (tmp_path / "c_utf8bom.txt").write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    (tmp_path / "d_cp1252.txt").write_bytes(
        ("\u201cWe will rebuild,\u201d the mayor said. " + text).encode("cp1252")
    )
    arts, rej = _read([tmp_path])
    assert not rej
    assert [a.text for a in arts[:3]] == [text, text, text]
    assert arts[0].id == arts[1].id == arts[2].id
    assert arts[3].text.startswith("\u201cWe will rebuild,\u201d")


def test_broken_html_rejected_valid_html_kept(tmp_path: Path) -> None:
    bad = tmp_path / "broken.html"
    bad.write_bytes(b"<html><head><title>x</ti<body><div><p><b><i></div></span><<<>>> \x00")
    nothing = tmp_path / "nothing.html"
    nothing.write_bytes(b"<html><body><div class='nav'><a href='/'>Home</a></div></body>")
    good = tmp_path / "good.html"
    good.write_bytes(_page(1).replace(b"</article>", b""))  # unclosed tags still extract
    arts, rej = _read([bad, good, nothing])
    assert [a.title for a in arts] == ["Story 1"]
    assert "Paragraph 3 of story 1" in arts[0].text and "Home | World" not in arts[0].text
    assert {r.path for r in rej} == {str(bad), str(nothing)}
    assert all(r.reason for r in rej)


def test_truncated_gzip(tmp_path: Path) -> None:
    data = gzip.compress(("Harbour news\n\n" + BODY * 20).encode())
    f = tmp_path / "cut.txt.gz"
    f.write_bytes(data[: len(data) // 2])
    ok = tmp_path / "ok.txt.gz"
    ok.write_bytes(gzip.compress(BODY.encode()))
    arts, rej = _read([f, ok])
    assert [a.text for a in arts] == [BODY]
    assert len(rej) == 1 and rej[0].path == str(f) and "truncated gzip" in rej[0].reason
    assert rej[0].position == f"byte {len(data) // 2}"


def test_gzip_bomb_capped(tmp_path: Path) -> None:
    f = tmp_path / "bomb.txt.gz"
    f.write_bytes(gzip.compress(b"a " * (4 * 1024 * 1024)))
    assert f.stat().st_size < 64 * 1024
    assert "decompression bomb" in _only_rejection(f, max_bytes=1024 * 1024).reason
    jl = tmp_path / "bomb.jsonl.gz"
    jl.write_bytes(gzip.compress((json.dumps({"text": BODY}) + "\n").encode() * 20000))
    arts, rej = _read([jl], max_bytes=1024 * 1024, max_stream_bytes=2 * 1024 * 1024)
    assert 0 < len(arts) < 20000
    assert len(rej) == 1 and "decompression bomb" in rej[0].reason and rej[0].position.startswith("line ")


def test_streamed_gzip_refused_when_it_expands_like_a_bomb(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from newsweave.ingest import reader

    # one record repeated: hundreds of times smaller compressed, though far under the size cap
    monkeypatch.setattr(reader, "RATIO_AFTER", 256 * 1024)
    jl = tmp_path / "repeated.jsonl.gz"
    jl.write_bytes(gzip.compress((json.dumps({"text": BODY}) + "\n").encode() * 4000))
    arts, rej = _read([jl], max_bytes=1024 * 1024)
    assert 0 < len(arts) < 4000
    assert len(rej) == 1 and "expands over 100 times" in rej[0].reason and rej[0].position.startswith("line ")
    # ordinary text, a few times smaller compressed, streams to the end
    varied = tmp_path / "varied.jsonl.gz"
    lines = [json.dumps({"text": f"{BODY} Report {i}: {os.urandom(24).hex()}"}) for i in range(1500)]
    varied.write_bytes(gzip.compress(("\n".join(lines) + "\n").encode()))
    arts, rej = _read([varied], max_bytes=1024 * 1024)
    assert len(arts) == 1500 and rej == []


@pytest.mark.parametrize("gz", [True, False])
def test_warc_with_broken_record(tmp_path: Path, gz: bool) -> None:
    data, offsets = _warc(gz)
    if gz:
        data[offsets[1] + 30 : offsets[1] + 60] = b"\x00" * 30  # damage the second gzip member
    else:
        data[offsets[1] : offsets[1] + 8] = b"GARBAGE!"  # damage the second record's first line
    f = tmp_path / ("crawl.warc.gz" if gz else "crawl.warc")
    f.write_bytes(bytes(data))
    arts, rej = _read([f])
    assert [a.title for a in arts] == ["Story 0", "Story 2"]
    assert [a.url for a in arts] == ["https://www.example.com/story0", "https://www.example.com/story2"]
    assert arts[0].source == "example.com" and arts[0].origin.position == "byte 0"
    assert arts[1].origin.position == f"byte {offsets[2]}"
    assert len(rej) == 1 and rej[0].path == str(f)
    assert rej[0].position == f"byte {offsets[1]}" and "broken WARC record" in rej[0].reason


def test_warc_truncated_at_the_end_keeps_earlier_records(tmp_path: Path) -> None:
    data, offsets = _warc(True)
    f = tmp_path / "cut.warc.gz"
    f.write_bytes(bytes(data[: offsets[2] + 40]))
    arts, rej = _read([f])
    assert [a.title for a in arts] == ["Story 0", "Story 1"]
    assert len(rej) == 1 and rej[0].position == f"byte {offsets[2]}"


def test_jsonl_bad_line_in_the_middle(tmp_path: Path) -> None:
    f = tmp_path / "export.jsonl"
    lines = [
        json.dumps({"title": "One", "text": BODY + " One."}),
        '{"title": "Two", "text": "unterminated',
        json.dumps({"title": "Three", "text": BODY + " Three."}),
        json.dumps(["not", "an", "object"]),
        json.dumps({"title": "No text here"}),
        json.dumps({"title": "Four", "text": BODY + " Four."}),
    ]
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    arts, rej = _read([f])
    assert [a.title for a in arts] == ["One", "Three", "Four"]
    assert [a.origin.position for a in arts] == ["line 1", "line 3", "line 6"]
    assert [(r.path, r.position) for r in rej] == [(str(f), "line 2"), (str(f), "line 4"), (str(f), "line 5")]
    assert (
        "invalid JSON" in rej[0].reason
        and "not a JSON object" in rej[1].reason
        and "no article text" in rej[2].reason
    )


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this platform")
def test_fifo_never_opened(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text(BODY, encoding="utf-8")
    os.mkfifo(tmp_path / "pipe.txt")  # opening it for reading would block forever
    arts, rej = _read([tmp_path])
    assert len(arts) == 1
    assert len(rej) == 1 and rej[0].path == str(tmp_path / "pipe.txt") and "FIFO" in rej[0].reason


def test_symlink_loops(tmp_path: Path) -> None:
    d = tmp_path / "news"
    (d / "sub").mkdir(parents=True)
    (d / "sub" / "a.txt").write_text(BODY, encoding="utf-8")
    (d / "sub" / "up").symlink_to(d, target_is_directory=True)  # a directory loop
    (d / "self.txt").symlink_to(d / "self.txt")  # a link to itself
    (d / "dangling.txt").symlink_to(d / "missing.txt")
    arts, rej = _read([d])
    assert len(arts) == 1
    reasons = {Path(r.path).name: r.reason for r in rej}
    assert "symbolic link loop" in reasons["up"] and "symbolic link loop" in reasons["self.txt"]
    assert "broken symbolic link" in reasons["dangling.txt"]


def test_unreadable_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    f = tmp_path / "secret.txt"
    f.write_text(BODY, encoding="utf-8")
    real_open = open

    def denied(file, *a, **kw):  # type: ignore[no-untyped-def]
        if str(file) == str(f):
            raise PermissionError(13, "Permission denied")
        return real_open(file, *a, **kw)

    monkeypatch.setattr("builtins.open", denied)  # chmod 0 does not stop root, who runs CI here
    assert "cannot read: Permission denied" in _only_rejection(f).reason


def test_billion_laughs_feed(tmp_path: Path) -> None:
    lol = (
        '<?xml version="1.0"?>\n<!DOCTYPE rss [\n<!ENTITY lol "lol">\n'
        + "".join(
            f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i > 1 else "&lol;" * 10}">\n'
            for i in range(1, 10)
        )
        + ']>\n<rss version="2.0"><channel><title>&lol9;</title><item><title>x</title>'
        "<description>&lol9;</description></item></channel></rss>"
    )
    f = tmp_path / "laughs.xml"
    f.write_text(lol, encoding="utf-8")
    r = _only_rejection(f)
    assert "entities" in r.reason


def test_hostile_directory_all_together(tmp_path: Path) -> None:
    """Everything at once: the valid files all come through, in sorted order, each bad one is named."""
    (tmp_path / "a_good.txt").write_text("Harbour plan approved\n\n" + BODY, encoding="utf-8")
    (tmp_path / "b_empty.txt").write_bytes(b"")
    (tmp_path / "c_binary.dat").write_bytes(os.urandom(4096) + b"\x00")
    with (tmp_path / "d_huge.txt").open("wb") as fh:
        fh.truncate(50 * 1024 * 1024)
    (tmp_path / "e_good.jsonl").write_text(
        json.dumps({"text": BODY + " More."}) + "\n{bad\n" + json.dumps({"text": BODY + " Again."}) + "\n"
    )
    (tmp_path / "f_cut.html.gz").write_bytes(gzip.compress(_page(5))[:200])
    (tmp_path / "g_page.html").write_bytes(_page(7))
    arts, rej = _read([tmp_path])
    assert [a.origin.path.rsplit("/", 1)[1] for a in arts] == [
        "a_good.txt",
        "e_good.jsonl",
        "e_good.jsonl",
        "g_page.html",
    ]
    assert [(Path(r.path).name, r.position) for r in rej] == [
        ("b_empty.txt", ""),
        ("c_binary.dat", ""),
        ("d_huge.txt", ""),
        ("e_good.jsonl", "line 2"),
        ("f_cut.html.gz", "byte 200"),
    ]


def test_stdin(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(
        sys, "stdin", io.TextIOWrapper(io.BytesIO(("Title: From a pipe\n\n" + BODY).encode()))
    )
    (a,) = list(read_inputs(["-"]))
    assert isinstance(a, Article) and a.title == "From a pipe" and a.origin.path == "<stdin>"
    assert a.source is None or a.source == "stdin"


@pytest.mark.parametrize("gz", [True, False])
def test_warc_cut_inside_a_page_is_a_rejection_not_a_shorter_article(tmp_path: Path, gz: bool) -> None:
    data, offsets = _warc(gz)
    end = len(data)
    # the last record ends in the middle of its HTML: its page must not be stored as a shorter article
    cut = offsets[2] + (end - offsets[2]) * 2 // 3
    f = tmp_path / ("cut.warc.gz" if gz else "cut.warc")
    f.write_bytes(bytes(data[:cut]))
    arts, rej = _read([f])
    assert [a.title for a in arts] == ["Story 0", "Story 1"]
    assert len(rej) == 1 and rej[0].path == str(f), rej
    assert rej[0].position == f"byte {offsets[2]}" and "truncated" in rej[0].reason


def test_json_nested_too_deeply_is_one_rejection_and_the_file_goes_on(tmp_path: Path) -> None:
    deep = "[" * 100_000 + "]" * 100_000  # Python's json recurses once per level: RecursionError
    good = [json.dumps({"title": t, "text": f"{BODY} {t}."}) for t in ("One", "Two", "Three")]
    lines = tmp_path / "export.jsonl"
    lines.write_text(
        "\n".join([good[0], '{"text": ' + deep + "}", good[1], good[2]]) + "\n", encoding="utf-8"
    )
    first_deep = tmp_path / "first.jsonl"
    first_deep.write_text("\n".join(['{"x": ' + deep + "}", good[0]]) + "\n", encoding="utf-8")
    whole = tmp_path / "whole.json"
    whole.write_text(deep, encoding="utf-8")
    arts, rej = _read([lines, first_deep, whole])
    assert [(a.title, a.origin.path) for a in arts] == [
        ("One", str(lines)),
        ("Two", str(lines)),
        ("Three", str(lines)),
        ("One", str(first_deep)),
    ]
    assert [(r.path, r.position) for r in rej] == [
        (str(lines), "line 2"),
        (str(first_deep), "line 1"),
        (str(whole), ""),
    ]
    assert all("nested too deeply" in r.reason for r in rej), rej


def test_html_page_with_too_many_elements_is_refused_before_extraction(tmp_path: Path) -> None:
    from newsweave.ingest.html import MAX_PAGE_ELEMENTS

    paras = "<p>The pier was rebuilt.</p>" * (MAX_PAGE_ELEMENTS + 10)  # extraction time grows as n squared
    page = f"<html><head><title>Many</title></head><body><article>{paras}</article></body></html>"
    html = tmp_path / "many.html"
    html.write_text(page, encoding="utf-8")
    export = tmp_path / "crawl.jsonl"
    good = json.dumps({"title": "Pier", "text": BODY})
    export.write_text(good + "\n" + json.dumps({"url": "https://a.example/many", "html": page}) + "\n")
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=False)
    http = StatusAndHeaders("200 OK", [("Content-Type", "text/html")], protocol="HTTP/1.1")
    for i, body in enumerate([page.encode(), _page(1)]):
        rec = writer.create_warc_record(
            f"https://a.example/{i}", "response", payload=io.BytesIO(body), http_headers=http
        )
        writer.write_record(rec)
    warc = tmp_path / "crawl.warc"
    warc.write_bytes(buf.getvalue())
    arts, rej = _read([html, export, warc])
    assert [a.title for a in arts] == ["Pier", "Story 1"]
    assert [(r.path, r.position) for r in rej] == [
        (str(html), ""),
        (str(export), "line 2"),
        (str(warc), "byte 0"),
    ]
    assert all(f"over the limit of {MAX_PAGE_ELEMENTS}" in r.reason for r in rej), rej
