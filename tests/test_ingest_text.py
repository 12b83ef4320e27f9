"""Plain-text ingestion: the two seeds, header lines, layouts, and invariants of the Article built."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from newsweave.ingest import (
    IngestOptions,
    format_header,
    paragraph_spans,
    parse_header,
    read_inputs,
    read_text_article,
)
from newsweave.model import Article, Rejected, article_id_for

SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"
SEED_000 = next(SEEDS.glob("000_*.txt"))
SEED_002 = next(SEEDS.glob("002_*.txt"))


def _articles(paths: list[str], **kw: object) -> list[Article]:
    out = list(read_inputs(paths, IngestOptions(**kw)))  # type: ignore[arg-type]
    assert all(isinstance(a, Article) for a in out), out
    return out  # type: ignore[return-value]


def test_seed_000_headline_once_subtitle_and_summary_apart() -> None:
    raw = SEED_000.read_text(encoding="utf-8")
    lines = [ln.strip() for ln in raw.splitlines()]
    summary, headline, subtitle = lines[0], lines[1], lines[4]
    assert lines[3] == headline  # the layout the reader must recognise
    (a,) = _articles([str(SEED_000)])
    assert a.title == headline
    assert a.subtitle == subtitle
    assert a.summary == summary
    assert headline not in a.text and subtitle not in a.text and summary not in a.text
    assert a.text == raw[raw.index(lines[5]) :].rstrip()
    assert a.id == article_id_for(a.text)
    assert a.language == "en"
    assert a.source == SEED_000.stem
    assert a.origin.path == str(SEED_000) and a.origin.format == "text"
    assert len(a.paragraphs) == len([ln for ln in lines[5:] if ln])


def test_seed_002_body_only_nothing_invented() -> None:
    raw = SEED_002.read_text(encoding="utf-8")
    (a,) = _articles([str(SEED_002)])
    assert a.title is None and a.subtitle is None and a.summary is None and a.byline is None
    assert a.published_at is None and a.url is None
    assert a.text == raw.rstrip()
    assert "\u2019" in a.text and "\u201c" in a.text  # curly quotes kept as written
    assert [a.text[s:e] for s, e in a.paragraphs] == [ln.strip() for ln in raw.splitlines() if ln.strip()]


def test_same_article_from_text_and_jsonl_has_same_id(tmp_path: Path) -> None:
    raw = SEED_002.read_text(encoding="utf-8")
    jl = tmp_path / "export.jsonl"
    jl.write_text(json.dumps({"text": raw, "url": "https://www.example.org/a"}) + "\n", encoding="utf-8")
    copy = tmp_path / "copy.md"
    copy.write_text("\n" + raw + "\n\n", encoding="utf-8")
    (a,) = _articles([str(SEED_002)])
    (b,) = _articles([str(jl)])
    (c,) = _articles([str(copy)])
    assert a.id == b.id == c.id
    assert b.source == "example.org"  # URL domain, www. stripped


def test_header_lines_keep_text_exactly(tmp_path: Path) -> None:
    body = "First paragraph of the body.\n\nSecond paragraph, with \u201cquotes\u201d.\n"
    header = "Title: A headline\nSource: Example Times\nURL: https://www.example.com/x\nDate: 2025-04-24T10:00:00+02:00\n"
    f = tmp_path / "a.txt"
    f.write_text(header + "\n" + body, encoding="utf-8")
    (a,) = _articles([str(f)])
    assert a.title == "A headline" and a.source == "Example Times" and a.url == "https://www.example.com/x"
    assert a.text == body.rstrip()
    assert a.published_raw == "2025-04-24T10:00:00+02:00"
    # the zone as written is kept; the instant is the same
    assert a.published_at is not None and a.published_at.isoformat() == "2025-04-24T10:00:00+02:00"
    assert a.published_utc is not None and a.published_utc.isoformat() == "2025-04-24T08:00:00+00:00"
    (forced,) = _articles([str(f)], source="Forced")
    assert forced.source == "Forced"


def test_header_then_title_repeated_in_body_is_kept() -> None:
    text = (
        "Title: Storm hits coast\n\nStorm hits coast\nThe storm arrived on Monday night and flooded roads.\n"
    )
    a = read_text_article(text, path="x.txt")
    assert a.title == "Storm hits coast"
    assert a.text.startswith("Storm hits coast\n")  # the text after the header is never edited


def test_plain_headline_line_and_markdown_heading() -> None:
    body = "The council met on Tuesday and approved the plan.\nIt will take effect in May, officials said."
    a = read_text_article("Council approves harbour plan\n\n" + body)
    assert a.title == "Council approves harbour plan" and a.text == body
    b = read_text_article("# Council approves harbour plan\n\n" + body)
    assert b.title == "Council approves harbour plan" and b.text == body
    c = read_text_article("The council met on Tuesday.\n\n" + body)  # a sentence, not a headline
    assert c.title is None


def test_text_is_nfc(tmp_path: Path) -> None:
    decomposed = (
        "Cafe\u0301 owners in Zu\u0308rich said prices rose again this year, the third rise in a row."
    )
    a = read_text_article(decomposed)
    assert a.text == unicodedata.normalize("NFC", decomposed) and "\u00e9" in a.text


def test_read_text_article_rejects_empty() -> None:
    from newsweave.errors import InputError

    with pytest.raises(InputError):
        read_text_article("Title: only a header\n\n   \n")


_value = (
    st.text(st.characters(blacklist_categories=("Cc", "Cs", "Zl", "Zp")), min_size=1, max_size=40)
    .map(str.strip)
    .filter(bool)
)


@given(
    fields=st.dictionaries(
        st.sampled_from(["title", "source", "url", "published", "byline", "subtitle", "summary"]),
        _value,
        min_size=1,
    ),
    body=st.text(min_size=1, max_size=200).filter(lambda s: s.strip()),
)
@settings(max_examples=60, deadline=None)
def test_header_round_trip(fields: dict[str, str], body: str) -> None:
    text = format_header(fields) + body
    parsed = parse_header(text)
    assert parsed is not None
    got, offset = parsed
    assert got == fields
    assert text[offset:] == body


@given(
    fields=st.dictionaries(st.sampled_from(["title", "source", "url", "published"]), _value, max_size=4),
    body=st.text(st.characters(blacklist_characters="\r"), min_size=1, max_size=300).filter(
        lambda s: s.replace("\x00", "").strip()
    ),
)
@example(fields={"title": "0"}, body="0\x00")  # a NUL character in the body (found by hypothesis in CI)
@settings(max_examples=60, deadline=None)
def test_text_after_header_is_kept_exactly(fields: dict[str, str], body: str) -> None:
    """What score_cross.py relies on: the article text is the file text after the header, offsets unmoved."""
    text = (format_header(fields) if fields else "") + body
    a = read_text_article(text, path="x.txt")
    if fields:
        # a lone surrogate cannot be stored: it becomes U+FFFD, one character for one; a NUL character is
        # dropped, as decoding drops NUL bytes (PostgreSQL's text cannot hold one)
        kept = "".join("\ufffd" if "\ud800" <= ch <= "\udfff" else ch for ch in body).replace("\x00", "")
        assert a.text == unicodedata.normalize("NFC", kept).rstrip()
    assert a.id == article_id_for(a.text)
    assert all(0 <= s < e <= len(a.text) for s, e in a.paragraphs)


def test_markdown_front_matter() -> None:
    a = read_text_article(
        '---\ntitle: "Pier vote"\ndate: 2025-04-25\nlayout: post\n---\n\nThe council voted on Tuesday.\n'
    )
    assert (
        a.title == "Pier vote"
        and a.text == "The council voted on Tuesday."
        and a.published_raw == "2025-04-25"
    )


@given(st.text(alphabet=st.sampled_from(list("ab .\n\n\t\u00e9")), max_size=400))
@settings(max_examples=150, deadline=None)
def test_paragraph_spans_inside_text_ordered_and_trimmed(text: str) -> None:
    spans = paragraph_spans(text)
    last = 0
    for s, e in spans:
        assert last <= s < e <= len(text)
        chunk = text[s:e]
        assert chunk == chunk.strip() and chunk
        last = e
    covered = "".join(text[s:e] for s, e in spans)
    assert "".join(covered.split()) == "".join(text.split())


def test_rejected_is_a_value_not_an_exception(tmp_path: Path) -> None:
    f = tmp_path / "only_header.txt"
    f.write_text("Title: x\n\n", encoding="utf-8")
    (r,) = list(read_inputs([str(f)]))
    assert isinstance(r, Rejected) and r.path == str(f)


def test_a_lone_surrogate_in_a_json_record_costs_nothing(tmp_path) -> None:
    from newsweave.ingest import read_inputs

    f = tmp_path / "recs.jsonl"
    body = "The council met on Tuesday and voted to close the old pier after a long debate."
    bad = '{"title": "Pier \\ud800 vote", "text": "' + body + ' \\ud800"}\n'
    good = '{"title": "Pier", "text": "' + body + ' Again."}\n'
    f.write_text(bad + good, encoding="utf-8")
    got = list(read_inputs([str(f)]))
    arts = [x for x in got if hasattr(x, "text")]
    assert len(arts) == 2
    assert arts[0].title == "Pier \ufffd vote" and arts[0].text.endswith("\ufffd")
    assert arts[0].id == article_id_for(arts[0].text)


def test_an_unexpected_error_in_one_record_rejects_that_record_only(tmp_path, monkeypatch) -> None:
    import newsweave.ingest.records as records
    from newsweave.ingest import read_inputs
    from newsweave.model import Rejected

    real = records.build_article

    def fragile(fields, *args, **kwargs):
        if fields.title == "Boom":
            raise ValueError("a reader bug")
        return real(fields, *args, **kwargs)

    monkeypatch.setattr(records, "build_article", fragile)
    body = "The council met on Tuesday and voted to close the old pier after a long debate."
    f = tmp_path / "recs.jsonl"
    f.write_text(
        '{"title": "Boom", "text": "' + body + '"}\n{"title": "Pier", "text": "' + body + ' Again."}\n',
        encoding="utf-8",
    )
    got = list(read_inputs([str(f)]))
    rejected = [x for x in got if isinstance(x, Rejected)]
    assert [x.title for x in got if not isinstance(x, Rejected)] == ["Pier"]
    assert len(rejected) == 1 and rejected[0].position == "line 1" and "a reader bug" in rejected[0].reason
