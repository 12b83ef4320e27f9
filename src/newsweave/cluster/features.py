"""Article features for story clustering: weighted terms of title, lead and body; entity keys; time.

Term statistics (document frequencies) are kept by :class:`DocFreq` and grow with every article, so the
IDF weights of a running clusterer follow the corpus without a refit.
"""

from __future__ import annotations

import heapq
import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TypeVar

from newsweave.cluster.events import event_classes
from newsweave.model import Analysis, Article
from newsweave.text import STOP_WORDS, content_words, stem

LEAD_CHARS = 700  # the lead: summary/subtitle plus the first 700 characters (about the first paragraph)
BODY_CHARS = 6000  # long pages (live blogs, transcripts) are cut: their tails add noise, not topic
K = TypeVar("K")
_CAP = re.compile(
    r"(?:[A-Z]\.|[A-Z][\w'\-]*)(?:[ \t]+(?:(?:of|de|del|al|bin|van|von|du|la|le|the)[ \t]+)?(?:[A-Z]\.|[A-Z][\w'\-]*))*"
)


def terms(text: str) -> list[str]:
    return [stem(w) for w in content_words(text)]


def entity_keys(text: str) -> list[str]:
    """Cheap entity keys: runs of capitalised words ("Vitali Klitschko", "Port Calder"), case-folded.

    Leading stop words ("The", "But") are dropped; a multi-word name also yields its last word, so a
    later "Klitschko" matches "Vitali Klitschko". Sentence-initial ordinary words survive as noise, which
    the IDF weighting mostly silences.
    """
    out = []
    for m in _CAP.finditer(text):
        words = m.group().strip(" .'-").split()
        while words and words[0].lower() in STOP_WORDS:
            words = words[1:]
        if not words:
            continue
        key = " ".join(words).lower()
        if len(key) < 3:
            continue
        out.append(key)
        if len(words) > 1:
            out.append(words[-1].lower())
    return out


@dataclass
class DocFreq:
    """Document frequencies of one channel, updated article by article."""

    n: int = 0
    df: Counter[str] = field(default_factory=Counter)

    def add(self, keys: Iterable[str]) -> None:
        self.n += 1
        self.df.update(set(keys))

    def idf(self, key: str) -> float:
        return math.log((self.n + 1) / (self.df.get(key, 0) + 1)) + 1.0


@lru_cache(maxsize=1 << 16)
def _log1p(n: int) -> float:
    return math.log(n + 1)


def tfidf_unit(counts: Counter[str], stats: DocFreq, max_terms: int = 0) -> dict[str, float]:
    """Sublinear TF x IDF, L2-normalised; optionally only the ``max_terms`` heaviest terms."""
    base = math.log(stats.n + 1) + 1.0
    df = stats.df
    w = {t: (1.0 + _log1p(c - 1)) * (base - _log1p(df.get(t, 0))) for t, c in counts.items()}
    if max_terms and len(w) > max_terms:
        w = {t: w[t] for t in heapq.nlargest(max_terms, w, key=w.__getitem__)}
    norm = math.sqrt(sum(v * v for v in w.values())) or 1.0
    return {t: v / norm for t, v in w.items()}


@dataclass(frozen=True)
class RawFeatures:
    """Token counts of one article, before weighting (weighting needs the corpus statistics)."""

    article_id: str
    body: Counter[str]
    head: Counter[str]  # title + subtitle + summary + lead
    entities: Counter[str]
    time: float | None  # POSIX seconds of published_at
    events: frozenset[str] = frozenset()  # event classes of the headline's triggers (cluster/events.py)


def raw_features(article: Article, entities: Sequence[str] | None = None) -> RawFeatures:
    text = article.text
    head_text = " ".join(x for x in (article.title, article.subtitle, article.summary) if x)
    lead = text[:LEAD_CHARS]
    body = text[:BODY_CHARS]
    ent = Counter(entities) if entities is not None else Counter(entity_keys(head_text + "\n" + body))
    return RawFeatures(
        article_id=article.id,
        body=Counter(terms(body)),
        head=Counter(terms(head_text + " " + head_text + " " + lead)),  # the headline counts twice
        entities=ent,
        time=article.published_utc.timestamp() if article.published_utc else None,
        events=event_classes(article.title),
    )


def signature(body: Mapping[K, float], size: int) -> frozenset[K]:
    """The ``size`` heaviest body terms of an article: its rarest, most repeated words, which two
    reports of one event share and two events of one affair mostly do not (a fight and the ceasefire
    talks after it share "Gaza" and "Hamas", not "ceasefire", "Cairo" and "proposal")."""
    return frozenset(heapq.nlargest(size, body, key=body.__getitem__))


def analysis_entity_keys(analysis: Analysis) -> list[str]:
    """The entity channel from the analysis stage: the canonical key of every name mention (so "Vitali
    Klitschko", "Klitschko" and "Mr Klitschko" count as one entity, three times)."""
    keys = {e.canonical: e.key for e in analysis.entities}
    return mention_keys((m.canonical, m.label, keys.get(m.canonical)) for m in analysis.mentions)


def mention_keys(mentions: Iterable[tuple[str | None, str | None, str | None]]) -> list[str]:
    """Entity keys of ``(canonical name, label, entity key)`` mentions: the key, else the folded name.

    Numeric and date labels are left out (the number parser reads numbers; a date is no name)."""
    return [
        key or canonical.casefold()
        for canonical, label, key in mentions
        if canonical and label not in NON_NAME_LABELS
    ]


NON_NAME_LABELS = frozenset({"DATE", "TIME", "PERCENT", "MONEY", "QUANTITY", "ORDINAL", "CARDINAL"})


def dot(a: dict[str, float], b: dict[str, float]) -> float:
    """Sparse dot product (the key intersection runs in C; only shared terms are multiplied)."""
    return sum(a[k] * b[k] for k in a.keys() & b.keys())
