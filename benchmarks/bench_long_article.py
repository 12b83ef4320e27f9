"""The time of one very long article's analysis, with the bound on the characters analysed and without.

    .venv/bin/python benchmarks/bench_long_article.py [--chars 8000000] [--bounds 2000000 0]

The article is generated (invented paragraphs, each with a name, two numbers and a quotation), ``--chars``
long; for each bound (``AnalyseOptions.max_analysed_chars``; 0: no bound) the script analyses it in one
process and prints the seconds and how many characters were analysed. It calibrates
``newsweave.analyse.options.MAX_ANALYSED_CHARS``.
"""

from __future__ import annotations

import argparse
import logging
import time

from newsweave.analyse import AnalyseOptions, analyse_articles, load_nlp
from newsweave.model import Article, article_id_for

PARAGRAPH = (
    "Councillor Maren Osk of Tullby said on Monday that the ferry route number {k} would carry {p} passengers "
    'a day from June, "a big change for the island", she told the Tullby Post.'
)


def long_text(chars: int) -> str:
    parts: list[str] = []
    size = 0
    while size < chars:
        parts.append(PARAGRAPH.format(k=len(parts), p=100 + len(parts)))
        size += len(parts[-1]) + 2
    return "\n\n".join(parts)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--chars", type=int, default=8_000_000)
    ap.add_argument("--bounds", type=int, nargs="+", default=[2_000_000])
    args = ap.parse_args()
    logging.basicConfig(level=logging.ERROR)
    text = long_text(args.chars)
    article = Article(id=article_id_for(text), text=text)
    load_nlp(AnalyseOptions())
    for bound in args.bounds:
        t = time.perf_counter()
        (an,) = analyse_articles([article], AnalyseOptions(max_analysed_chars=bound))
        took = time.perf_counter() - t
        done = an.analysed_chars if an.analysed_chars is not None else len(text)
        print(
            f"{len(text):,} characters, bound {bound:,}: {took:.1f} s, {done:,} analysed ({done / took:,.0f}/s)"
        )


if __name__ == "__main__":
    main()
