"""The repository carries no seed text: no run of five words of ../shared/seeds/*.txt appears in src/,
tests/ or docs/ (the seeds are read from ../shared at run time, as here)."""

from __future__ import annotations

import re

from conftest import REPO, SEEDS

N = 5
_WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
# Files the lead is rewriting in his own branch (issue 19 leaves them to him): their seed phrases go with
# that change, and this entry with it.
LEAD_PENDING: dict[str, str] = {}


def _words(text: str) -> list[str]:
    return [w.lower().replace("\u2019", "'") for w in _WORD.findall(text)]


def _grams(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + N]) for i in range(len(words) - N + 1)}


def seed_sequences() -> set[tuple[str, ...]]:
    """The seeds' five-word runs, less those with three or more capitalised words: a name with its title
    ("Secretary of State ..."), which any report of the event writes, not the seed's own prose."""
    seeds = sorted(SEEDS.glob("*.txt"))
    assert len(seeds) >= 2, f"the seeds must sit in {SEEDS}"
    out: set[tuple[str, ...]] = set()
    for p in seeds:
        raw = _WORD.findall(p.read_text(encoding="utf-8"))
        for i in range(len(raw) - N + 1):
            run = raw[i : i + N]
            if sum(w[:1].isupper() for w in run) < 3:
                out.add(tuple(_words(" ".join(run))))
    return out


def test_no_five_word_sequence_of_a_seed_in_the_repository() -> None:
    seeds = seed_sequences()
    found = []
    for top in ("src", "tests", "docs"):
        for path in sorted((REPO / top).rglob("*")):
            rel = path.relative_to(REPO).as_posix()
            if not path.is_file() or path.suffix in {".pyc", ".duckdb"} or rel in LEAD_PENDING:
                continue
            try:
                text = path.read_text(encoding="utf-8")
            except UnicodeDecodeError:
                continue
            words = _words(text)
            for i in range(len(words) - N + 1):
                if tuple(words[i : i + N]) in seeds:
                    found.append(f"{rel}: {' '.join(words[i : i + N])}")
    assert not found, "\n".join(found)
    assert all((REPO / p).is_file() for p in LEAD_PENDING)


def test_the_check_finds_a_seed_sequence() -> None:
    """The check itself can fail: a seed's own sentence is found by it."""
    seeds = seed_sequences()
    text = next(iter(sorted(SEEDS.glob("*.txt")))).read_text(encoding="utf-8")
    words = _words(text)
    assert len(_grams(words[100:110]) & seeds) >= 3
    assert not _grams(_words("an invented sentence about a harbour council and its pier vote")) & seeds
