"""The comparison result: frozen dataclasses, every verdict with its evidence.

``Evidence.text`` always equals ``article.text[start:end]`` of the article it names.
The JSON form is written by :mod:`newsweave.report.json_report` (schema in docs/compare-schema.md).
"""

from __future__ import annotations

from dataclasses import dataclass, field

SCHEMA_VERSION = "1.3"  # 1.2: quotes[].utterance; 1.3: claims[].at_odds

CLAIM_STATUSES = ("shared", "partial", "contradicts", "single")
QUOTE_STATUSES = ("identical", "truncated", "reworded", "single")
NUMBER_STATUSES = ("agree", "conflict", "single")


@dataclass(frozen=True)
class Evidence:
    article_id: str
    source: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SourceInfo:
    article_id: str
    source: str
    title: str | None
    published_at: str | None
    url: str | None
    independent_group: int
    path: str = ""
    lead: str = ""  # first paragraph (shortened)
    rewrite_of: str | None = None  # article id this one copies or rewrites, if any
    label: str = ""  # column heading: the outlet, numbered when one outlet has several articles here

    @property
    def heading(self) -> str:
        return self.label or self.source


@dataclass(frozen=True)
class Claim:
    id: str
    status: str  # shared | partial | single
    text: str  # the first sentence's text (a label, also in evidence)
    evidence: tuple[Evidence, ...]
    score: float = 0.0  # the weakest alignment score inside the claim (1.0 for single)
    sources: tuple[str, ...] = ()
    independent_sources: int = 1
    # a ``contradicts`` claim: the ids of the number groups whose figures at odds lie in its sentences
    at_odds: tuple[str, ...] = ()


@dataclass(frozen=True)
class DiffOp:
    op: str  # equal | insert | delete | replace
    a: str  # words of the first rendering
    b: str  # words of the second rendering


@dataclass(frozen=True)
class QuoteGroup:
    id: str
    status: str  # identical | truncated | reworded | single
    speaker: str | None
    evidence: tuple[Evidence, ...]
    renderings: tuple[
        tuple[str, str], ...
    ] = ()  # (article_id, the quoted words as this article renders them)
    diff_pair: tuple[str, str] | None = None  # the two article ids the diff compares (most divergent)
    diff: tuple[DiffOp, ...] = ()
    # the utterance this piece belongs to ("u1"): groups with the same value are pieces of one quotation
    # (split around an attribution, cut into sentences, quoted selectively) and share status and speaker
    utterance: str | None = None


@dataclass(frozen=True)
class NumberMention:
    article_id: str
    text: str
    value: float | None
    low: float | None
    high: float | None
    unit: str | None
    hedge: str | None


@dataclass(frozen=True)
class NumberGroup:
    id: str
    status: str  # agree | conflict | single
    what: str  # what is counted, in a few words of context
    unit: str | None
    evidence: tuple[Evidence, ...]
    mentions: tuple[NumberMention, ...] = ()
    note: str | None = (
        None  # on a conflict: the reports' publication times differ (the figure may have moved)
    )


@dataclass(frozen=True)
class AliasRow:
    canonical: str
    label: str
    forms: tuple[tuple[str, tuple[str, ...]], ...]  # (article_id, surface forms used there)


@dataclass(frozen=True)
class Lead:
    article_id: str
    source: str
    headline: str | None
    first_paragraph: Evidence | None


@dataclass(frozen=True)
class LoadedWord:
    article_id: str
    source: str
    word: str
    category: str
    evidence: Evidence


@dataclass(frozen=True)
class Attribution:
    claim_id: str
    article_id: str
    source: str
    attributed_to: str | None  # "Klitschko", "regional analysts", None = stated as fact
    evidence: Evidence


@dataclass(frozen=True)
class TimelineEvent:
    date: str  # ISO date or year ("2022", "2025-04-24")
    label: str
    evidence: Evidence


@dataclass(frozen=True)
class Framing:
    leads: tuple[Lead, ...] = ()
    loaded: tuple[LoadedWord, ...] = ()
    attribution: tuple[Attribution, ...] = ()
    timeline: tuple[TimelineEvent, ...] = ()


@dataclass(frozen=True)
class VersionChange:
    """A change an outlet made to its article after publishing it, between two fetched versions."""

    article_id: str
    source: str
    kind: str  # headline, number, quote or text
    before: str | None
    after: str | None
    at: str | None  # ISO time of the version that made the change
    description: str  # "people killed updated from 12 to 14 at 14:05 UTC"


@dataclass(frozen=True)
class Comparison:
    sources: tuple[SourceInfo, ...]
    claims: tuple[Claim, ...] = ()
    quotes: tuple[QuoteGroup, ...] = ()
    numbers: tuple[NumberGroup, ...] = ()
    entities: tuple[AliasRow, ...] = ()
    framing: Framing = field(default_factory=Framing)
    independent_sources: int = 0
    changes: tuple[VersionChange, ...] = ()  # stored stories only: changes between fetched versions
    headline: str | None = None  # the story's headline, by the one rule (newsweave.cluster.story_headline)
    undecided: tuple[Evidence, ...] = ()  # sentences neither linked to another source nor surely single
    embeddings_used: bool = False
    schema_version: str = SCHEMA_VERSION
    warnings: tuple[str, ...] = ()
