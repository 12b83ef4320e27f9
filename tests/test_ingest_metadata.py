"""Page metadata: headline, byline, dates and outlet reconciled from the layers of a page (invented pages),
and the metadata gate on ../shared/data/fundus-pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newsweave.eval.metadata import author_set, evaluate_metadata, part_of, same_day
from newsweave.ingest.bylines import clean_authors, split_names
from newsweave.ingest.html import extract_page, word_count
from newsweave.ingest.pagemeta import strip_site

DATA = Path(__file__).resolve().parents[2] / "shared" / "data"
PARAS = (
    "The harbour council met on Tuesday evening and voted to rebuild the old pier before the summer season.",
    "Work will start in May and cost about four million euros, according to the mayor's office in town.",
    "Fishermen who use the pier every morning said they had waited for the repairs for more than ten years.",
)


def _page(head: str, h1: str, byline_html: str = "", ld: dict | None = None) -> str:
    script = f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else ""
    body = "".join(f"<p>{p}</p>" for p in PARAS)
    return (
        f"<!DOCTYPE html><html><head>{head}{script}</head><body><nav><a href='/'>Home</a></nav>"
        f"<article><h1>{h1}</h1>{byline_html}{body}</article><footer>Contact us</footer></body></html>"
    )


def test_structured_headline_beats_the_social_one_and_the_site_name_goes() -> None:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Council votes to rebuild pier",
          "datePublished": "2025-03-04T09:30:00+01:00", "author": {"@type": "Person", "name": "Brazil, Rachel"}}  # fmt: skip
    head = (
        "<title>Council votes to rebuild pier | Harbour Gazette</title>"
        '<meta property="og:title" content="You will not believe what the council did">'
        '<meta property="og:site_name" content="Harbour Gazette">'
    )
    f = extract_page(
        _page(head, "Council votes to rebuild pier", ld=ld), "https://www.harbourgazette.example/a/1"
    )
    assert f is not None
    assert f.title == "Council votes to rebuild pier"
    assert f.byline == "Rachel Brazil"
    assert f.published == "2025-03-04T09:30:00+01:00"  # the zone kept as written


def test_without_structured_data_the_visible_headline_and_stripped_title_are_used() -> None:
    head = "<title>Harbour Gazette - Pier to be rebuilt after long wait</title>"
    f = extract_page(_page(head, "Pier to be rebuilt after long wait"), "https://harbourgazette.example/x")
    assert f is not None and f.title == "Pier to be rebuilt after long wait"
    assert strip_site("Pier plan approved | CBC News", ["CBC News"]) == "Pier plan approved"
    assert strip_site("Pier plan approved - Taipei Times", ["taipeitimes.com", "taipeitimes"]) == (
        "Pier plan approved"
    )
    assert (
        strip_site("Tageblatt.lu | Sport | Pier plan", ["tageblatt.lu", "tageblatt"]) == "Sport | Pier plan"
    )
    # a headline part that merely starts with the site's name stays
    assert strip_site("Times Square fire - The Times", ["The Times", "times"]) == "Times Square fire"
    assert strip_site("Times Square fire: what we know", ["times"]) == "Times Square fire: what we know"


def test_a_kicker_is_kept_or_left_as_the_visible_headline_shows_it() -> None:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Pier to be rebuilt by May"}
    head = (
        "<title>Harbour works Pier to be rebuilt by May - Harbour Gazette</title>"
        '<meta property="og:title" content="Harbour works / Pier to be rebuilt by May">'
        '<meta property="og:site_name" content="Harbour Gazette">'
    )
    url = "https://harbourgazette.example/a"
    # the <h1> sets the kicker in its own element, without a separator: the layer with the kicker wins
    f = extract_page(_page(head, "<span>Harbour works</span>Pier to be rebuilt by May", ld=ld), url)
    assert f is not None and f.title == "Harbour works / Pier to be rebuilt by May"
    # the <h1> shows the headline alone: the kicker stays out
    f = extract_page(_page(head, "Pier to be rebuilt by May", ld=ld), url)
    assert f is not None and f.title == "Pier to be rebuilt by May"
    # a prefix joined to its word is no kicker: "Harbour-pier to be rebuilt" is not "Harbour" + headline
    ld2 = {**ld, "headline": "Harbour-pier to be rebuilt by May"}
    head2 = '<meta property="og:title" content="pier to be rebuilt by May">'
    f = extract_page(_page(head2, "Harbour-pier to be rebuilt by May", ld=ld2), url)
    assert f is not None and f.title == "Harbour-pier to be rebuilt by May"


def test_quote_marks_follow_the_form_most_layers_carry() -> None:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Mayor’s ‘quiet’ pier vote"}
    straight = "Mayor's 'quiet' pier vote"
    head = f'<title>{straight} | Harbour Gazette</title><meta property="og:title" content="{straight}">'
    url = "https://harbourgazette.example/a"
    f = extract_page(_page(head, straight, ld=ld), url)  # og, <title> and <h1> straight against one
    assert f is not None and f.title == straight
    f = extract_page(_page(head, "Mayor’s ‘quiet’ pier vote", ld=ld), url)  # two against two: the rule's
    assert f is not None and f.title == "Mayor’s ‘quiet’ pier vote"
    # other words are no typography: the structured headline stays against any number of layers
    head = '<title>Quiet pier vote</title><meta property="og:title" content="Quiet pier vote">'
    f = extract_page(_page(head, "Quiet pier vote", ld=ld), url)
    assert f is not None and f.title == "Mayor’s ‘quiet’ pier vote"


def test_live_page_published_time_holding_the_update_does_not_beat_the_structured_publish_time() -> None:
    ld = {"@context": "https://schema.org", "@type": "LiveBlogPosting", "headline": "Storm live updates",
          "datePublished": "2025-01-04T13:23:00Z", "dateModified": "2025-01-05T19:49:50Z"}  # fmt: skip
    head = (
        '<meta property="article:published_time" content="2025-01-05T19:49:50Z">'
        '<meta property="article:modified_time" content="2025-01-05T19:49:50Z">'
    )
    f = extract_page(_page(head, "Storm live updates", ld=ld), "https://news.example/live")
    assert f is not None and f.published is not None and f.published.startswith("2025-01-04")
    assert f.updated == "2025-01-05T19:49:50Z"  # kept apart


def test_bylines_people_organisations_and_duplicates() -> None:
    assert split_names("Brazil, Rachel") == ["Rachel Brazil"]
    assert split_names("By Anna Berg and Tom Hale") == ["Anna Berg", "Tom Hale"]
    assert split_names("The Washington Times https://www.washingtontimes.example/") == [
        "The Washington Times"
    ]
    # slug and e-mail duplicates fold into the full name
    assert clean_authors(["Sophie Foster", "Sophie-Foster"]) == ["Sophie Foster"]
    assert clean_authors(["Lucy Berry", "lberry@gazette.example"]) == ["Lucy Berry"]
    # the site and its company go when people are named; an agency stays as the credit
    sites = ["Lesotho Times", "lestimes.com"]
    assert clean_authors(["Condé Nast", "Mpho Lebona", "Lesotho Times"], sites) == ["Mpho Lebona"]
    assert clean_authors(["Jane Doe", "dpa"], sites) == ["Jane Doe", "dpa"]
    # nothing but the site: the site is the credit
    assert clean_authors(["Lesotho Times"], sites) == ["Lesotho Times"]
    assert clean_authors(["Pier Report (Image: Getty Images/Stock)"]) == ["Pier Report"]


def test_byline_paragraph_replaces_the_site_credit() -> None:
    ld = {"@context": "https://schema.org", "@type": "NewsArticle", "headline": "Pier to be rebuilt",
          "author": {"@type": "Organization", "name": "Harbour Gazette"}}  # fmt: skip
    head = '<meta property="og:site_name" content="Harbour Gazette">'
    html = _page(head, "Pier to be rebuilt", "<p><strong>Mpho Lebona/Tom Hale</strong></p>", ld=ld)
    f = extract_page(html, "https://harbourgazette.example/a")
    assert f is not None and f.byline == "Mpho Lebona; Tom Hale"
    # with no byline paragraph the site stays as the credit
    f = extract_page(_page(head, "Pier to be rebuilt", ld=ld), "https://harbourgazette.example/a")
    assert f is not None and f.byline == "Harbour Gazette"


def test_one_word_label_gives_way_to_a_closing_credit_line() -> None:
    head = (
        '<meta property="og:site_name" content="Harbour Gazette"><meta name="author" content="Nachrichten">'
    )
    paras = "".join(f"<p>{p}</p>" for p in PARAS) + "<p>Harbour Gazette / Coastal Courier</p>"
    html = f"<html><head><title>Pier</title>{head}</head><body><article><h1>Pier</h1>{paras}</article></body></html>"
    f = extract_page(html, "https://harbourgazette.example/a")
    assert f is not None and f.byline == "Coastal Courier"


def test_unspaced_scripts_are_not_rejected() -> None:
    text = "港湾議会は火曜日の夜に会合を開き、夏の観光シーズンの前に古い桟橋を再建することを決めた。"
    assert len(text.split()) == 1 and word_count(text) >= 10
    html = (
        "<html><head><title>桟橋を再建</title></head><body><article><h1>桟橋を再建</h1>"
        + "".join(f"<p>{text}</p>" for _ in range(4))
        + "</article></body></html>"
    )
    f = extract_page(html, "https://news.example.jp/a")
    assert f is not None and "桟橋" in f.text


def test_metric_helpers_follow_the_data_readme() -> None:
    assert author_set("By Anna Berg & Tom Hale") == author_set(["anna berg", "Tom Hále"])
    assert same_day("2024-05-03T23:30:00-02:00", "2024-05-04 01:30:00+00:00")
    assert same_day("2024-05-03", "2024-05-03 15:47:42+00:00")
    assert not same_day(None, "2024-05-03")
    assert part_of("Metro") == "fit" and {part_of(c) for c in "ABCDEFGH"} == {"fit", "test"}


def test_fundus_pages_metadata_floors() -> None:
    """Floors about one page under the measured figures (docs/quality.md): title exact 0.832 (a page is
    0.009), authors equal 0.953, date 0.981, body F1 0.955 (trafilatura 0.954 in the same run), no page
    rejected that trafilatura reads."""
    r = evaluate_metadata(DATA / "fundus-pages")
    ours, base = r["newsweave"]["all"], r["trafilatura"]["all"]
    assert r["pages"] == 107
    assert ours["title_exact"] >= 0.82
    assert ours["authors_equal"] >= 0.93
    assert ours["published_day"] >= 0.98
    assert ours["body_f1"] >= base["body_f1"]
    assert r["rejected_but_baseline_extracts"] == []
    for part in ("fit", "test"):
        assert r["newsweave"][part]["title_exact"] > r["trafilatura"][part]["title_exact"]


@pytest.mark.parametrize("name", ["nothing.json"])
def test_eval_metadata_needs_a_ground_truth(tmp_path: Path, name: str) -> None:
    from newsweave.errors import UsageError

    (tmp_path / name).write_text("{}")
    with pytest.raises(UsageError):
        evaluate_metadata(tmp_path)


def test_language_is_detected_for_every_script() -> None:
    from newsweave.ingest.lang import detect_language

    samples = {
        "ja": "港湾議会は火曜日の夜に会合を開き、夏の観光シーズンの前に古い桟橋を再建することを決めた。",
        "th": "สภาท่าเรือประชุมเมื่อวันอังคารและลงมติให้สร้างท่าเรือเก่าขึ้นใหม่ก่อนฤดูร้อน",
        "ar": "اجتمع مجلس الميناء مساء الثلاثاء وقرر إعادة بناء الرصيف القديم قبل موسم الصيف",
        "tr": "Liman meclisi salı akşamı toplandı ve eski iskeleyi yaz sezonundan önce yeniden inşa etmeye karar verdi.",
        "en": "The harbour council met on Tuesday evening and voted to rebuild the old pier before the summer.",
    }
    for code, text in samples.items():
        assert detect_language(text) == code, code
    assert detect_language("Pier.") is None


def test_hostile_or_broken_structured_data_costs_nothing_but_itself() -> None:
    deep = "[" * 20000 + "]" * 20000
    head = (
        f'<script type="application/ld+json">{deep}</script>'
        '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
        "<title>Pier to be rebuilt | Harbour Gazette</title>"
        '<meta property="og:site_name" content="Harbour Gazette">'
    )
    f = extract_page(_page(head, "Pier to be rebuilt"), "https://harbourgazette.example/a")
    assert f is not None and f.title == "Pier to be rebuilt" and "harbour council" in f.text
