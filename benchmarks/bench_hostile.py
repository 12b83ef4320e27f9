"""How the analysis time grows with hostile shapes of text: linear means the per-character time stays.

    .venv/bin/python benchmarks/bench_hostile.py [--n 1000] [--json]

For each shape (thousands of quotes with their attributions, of bare quotation marks, of names, of
numbers, of paragraphs, of indirect speech, and one endless sentence) the script builds a text with ``n``
and with ``4 n`` repetitions, analyses each in one process, and prints the seconds per 100,000 characters of
both and their ratio: about 1 when the time grows linearly, about 4 when it grows with the square. Before the
indexing work quotes gave x6.8 for 500 -> 2,000 and an endless 1.1 MB sentence took over five minutes.
"""

from __future__ import annotations

import argparse
import json
import time
from collections.abc import Callable

from newsweave.analyse import AnalyseOptions, analyse_articles
from newsweave.model import Article

SHAPES: dict[str, Callable[[int], str]] = {
    "quotes": lambda n: " ".join(
        f'"We will rebuild the bridge number {i} soon," Klitschko said.' for i in range(n)
    ),
    "marks": lambda n: " ".join('"a" "b" \'c\' “d” «e»' for _ in range(n)),
    "names": lambda n: " ".join(f"Alpha{i} Beta{i} met Gamma{i} in Delta{i}." for i in range(n)),
    "numbers": lambda n: " ".join(
        f"At least {i} people, about a fifth, were hurt on 12 March 2024." for i in range(n)
    ),
    "paragraphs": lambda n: "\n\n".join(f"Paragraph {i} says little about the bridge." for i in range(n)),
    "indirect": lambda n: " ".join(
        f"He said that the mayor told reporters that {i} were killed, according to police." for i in range(n)
    ),
    "endless_sentence": lambda n: " ".join(
        ("the mayor said that officials in Kyiv reported more attacks on the city " * n).split()
    ),
}


def _paragraphs(text: str) -> tuple[tuple[int, int], ...]:
    out, pos = [], 0
    for part in text.split("\n\n"):
        out.append((pos, pos + len(part)))
        pos += len(part) + 2
    return tuple(out)


def _seconds(text: str) -> float:
    article = Article(id="hostile", text=text, paragraphs=_paragraphs(text))
    t0 = time.perf_counter()
    analyse_articles([article], AnalyseOptions(n_process=1))
    return time.perf_counter() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--n", type=int, default=1000)
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    _seconds("Warm up: the mayor said it was fine.")
    results = {}
    for name, make in SHAPES.items():
        small, large = make(args.n), make(4 * args.n)
        a, b = _seconds(small), _seconds(large)
        per_small, per_large = a / len(small) * 1e5, b / len(large) * 1e5
        results[name] = {
            "chars": [len(small), len(large)],
            "s_per_100k_chars": [round(per_small, 3), round(per_large, 3)],
            "growth": round(per_large / per_small, 2),
        }
        if not args.json:
            print(
                f"{name}: {len(small):,} chars {per_small:.2f} s/100k, {len(large):,} chars {per_large:.2f} s/100k, "
                f"x{per_large / per_small:.2f} per character"
            )
    print(json.dumps(results))


if __name__ == "__main__":
    main()
