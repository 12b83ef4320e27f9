"""Invented feeds and pages for the fetch tests (no text from ../shared)."""

from __future__ import annotations

from html import escape

PARAGRAPHS = {
    "harbour": [
        "The harbour authority of Port Velmar closed the northern quay on Tuesday after a crane collapsed "
        "onto a cargo ship during the early shift, officials said.",
        "The death toll rose to 12 by the afternoon, according to the regional emergency service, which "
        "said about 40 workers had been taken to the city hospital.",
        '"We are checking every crane on the quay before anyone goes back to work," said Mira Tollander, '
        "the harbour master, at a press briefing.",
        "Dock unions called for an independent inquiry into the maintenance records of the crane, which was "
        "installed eleven years ago and inspected last spring.",
    ],
    "bridge": [
        "Engineers in the river town of Oskerby began lifting the last span of the new rail bridge on "
        "Wednesday, three months later than planned because of spring floods.",
        "The bridge will carry 140 trains a day once it opens, the regional transport office said, "
        "replacing a single-track crossing built in 1911.",
        '"The river gave us a hard year, but the steel is finally where it belongs," said site manager '
        "Tomas Hellqvist as the span settled onto its piers.",
        "Residents have complained about noise from the works, and the town council has promised quiet "
        "hours on Sundays until the bridge is finished.",
    ],
    "orchard": [
        "Apple growers in the Lenvik valley expect the smallest harvest in two decades after a late frost "
        "destroyed blossoms across most of the region in April.",
        "The growers' cooperative estimates the crop at 9,000 tonnes, down from 21,000 tonnes last year, and "
        "has asked the agriculture ministry for emergency support.",
        '"Some families have lost everything they planted," said cooperative chair Ilse Marhaug, who has '
        "farmed in the valley for thirty years.",
        "Cider makers in the valley say they will buy fruit from neighbouring regions to keep their presses "
        "running through the winter season.",
    ],
}


def page(
    title: str, paragraphs: list[str], published: str = "2026-03-03T08:00:00Z", modified: str | None = None
) -> bytes:
    meta = f'<meta property="article:published_time" content="{published}">'
    if modified:
        meta += f'<meta property="article:modified_time" content="{modified}">'
    body = "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
    return (
        f"<!DOCTYPE html><html><head><title>{escape(title)}</title>{meta}</head><body>"
        f"<nav><a href='/'>Home</a></nav><article><h1>{escape(title)}</h1>{body}</article>"
        "<footer>Invented Daily, all text made up for tests</footer></body></html>"
    ).encode()


def rss(items: list[dict[str, str]], title: str = "Invented Daily - World") -> bytes:
    parts = []
    for it in items:
        content = f"<content:encoded><![CDATA[{it['content']}]]></content:encoded>" if "content" in it else ""
        updated = f"<atom:updated>{it['updated']}</atom:updated>" if "updated" in it else ""
        parts.append(
            f"<item><title>{escape(it['title'])}</title><link>{escape(it['link'])}</link>"
            f"<guid isPermaLink='false'>{escape(it['guid'])}</guid><pubDate>{it.get('date', 'Tue, 03 Mar 2026 08:00:00 +0000')}</pubDate>"
            f"<description>{escape(it.get('summary', ''))}</description>{content}{updated}</item>"
        )
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" '
        'xmlns:atom="http://www.w3.org/2005/Atom"><channel>'
        f"<title>{escape(title)}</title><link>http://127.0.0.1/</link><description>test feed</description>"
        + "".join(parts)
        + "</channel></rss>"
    ).encode("utf-8")


def html_paragraphs(paragraphs: list[str]) -> str:
    return "".join(f"<p>{escape(p)}</p>" for p in paragraphs)
