"""The data model: frozen dataclasses passed between stages.

Every derived item (sentence, entity mention, quote, quantity, claim) carries :class:`Span` objects that
point into ``Article.text``, so any verdict can be shown with the exact sentences it rests on.
Offsets are Python string indices (code points) into the NFC-normalised article text; they never move
once an article is built.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from typing import Any, TypeVar

_WS = re.compile(r"\s+")
_T = TypeVar("_T")


def _pickled_by_fields(cls: type[_T]) -> type[_T]:
    """Pickle instances as ``cls(*field values)`` instead of a per-object state dict: the analysis sends
    ~300 of these objects per article back from its worker processes, and this halves the pickling time
    and size (0.32 -> 0.18 s, 2.1 -> 1.3 MB for 200 galaxy-wikinews analyses)."""
    names = tuple(f.name for f in fields(cls))  # type: ignore[arg-type]

    def __reduce__(self: Any) -> tuple[Any, tuple[Any, ...]]:
        return cls, tuple(getattr(self, n) for n in names)

    cls.__reduce__ = __reduce__  # type: ignore[assignment,method-assign]
    return cls


def normalise_for_id(text: str) -> str:
    """The form of a text that decides its identity: NFKC, case-folded, quotes folded, spaces collapsed."""
    t = unicodedata.normalize("NFKC", text)
    t = t.translate(_QUOTE_FOLD).casefold()
    return _WS.sub(" ", t).strip()


_QUOTE_FOLD = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u00ab": '"',
        "\u00bb": '"',
        "\u2013": "-",
        "\u2014": "-",
    }
)


def article_id_for(text: str) -> str:
    """Stable article id: first 16 hex digits of the SHA-256 of the normalised text."""
    return hashlib.sha256(normalise_for_id(text).encode("utf-8")).hexdigest()[:16]


@dataclass(frozen=True)
class Origin:
    """Where an article or a rejected record came from."""

    path: str
    position: str = ""  # "line 3", "record 2", "byte 1234", "entry 5"; empty for a whole file
    format: str = ""


@_pickled_by_fields
@dataclass(frozen=True)
class Span:
    """A character range ``[start, end)`` in one article's text."""

    article_id: str
    start: int
    end: int

    def text_in(self, text: str) -> str:
        return text[self.start : self.end]


@dataclass(frozen=True)
class Article:
    id: str
    text: str
    source: str | None = None
    url: str | None = None
    title: str | None = None
    subtitle: str | None = None
    summary: str | None = None
    byline: str | None = None
    # As the input gives it: aware, in the zone written, when the input names a zone; naive (the outlet's
    # local time, zone unknown) when it does not: a zone-less time is never stamped UTC. Order by
    # ``published_utc``.
    published_at: datetime | None = None
    published_raw: str | None = None  # the date string as written in the input
    language: str | None = None
    paragraphs: tuple[tuple[int, int], ...] = ()
    origin: Origin = field(default_factory=lambda: Origin(path=""))
    # when the page says it was last updated, as written; kept apart from the publication time
    updated_raw: str | None = None

    @property
    def published_utc(self) -> datetime | None:
        """``published_at`` in UTC for ordering and time windows; a naive time is read as UTC here only
        (at most a day's error, which a story's time window absorbs)."""
        p = self.published_at
        if p is None:
            return None
        return p.replace(tzinfo=UTC) if p.tzinfo is None else p.astimezone(UTC)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "source": self.source,
            "url": self.url,
            "title": self.title,
            "subtitle": self.subtitle,
            "summary": self.summary,
            "byline": self.byline,
            "published_at": self.published_at.isoformat() if self.published_at else None,
            "published_raw": self.published_raw,
            "updated_raw": self.updated_raw,
            "language": self.language,
            "text": self.text,
            "paragraphs": [list(p) for p in self.paragraphs],
            "origin": {
                "path": self.origin.path,
                "position": self.origin.position,
                "format": self.origin.format,
            },
        }


@dataclass(frozen=True)
class Rejected:
    """An input that could not become an article, with the reason. Recorded, never silently dropped."""

    path: str
    position: str
    reason: str
    format: str = ""


# ---------------------------------------------------------------- analysis


@_pickled_by_fields
@dataclass(frozen=True)
class Sentence:
    span: Span
    paragraph: int = 0


@_pickled_by_fields
@dataclass(frozen=True)
class EntityMention:
    span: Span
    text: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, ... (after the vote)
    canonical: str  # canonical name of the entity this mention belongs to


@_pickled_by_fields
@dataclass(frozen=True)
class Entity:
    canonical: str
    label: str
    aliases: tuple[str, ...] = ()  # surface forms seen, canonical first
    key: str = ""  # the cross-article merge key (folded, transliteration-normalised)


@_pickled_by_fields
@dataclass(frozen=True)
class Quote:
    content: tuple[Span, ...]  # one span per part (a quote split around its attribution has two)
    direct: bool
    speaker: str | None = None  # canonical entity name of the speaker (or the raw speaker text)
    speaker_span: Span | None = None
    cue: str | None = None  # the cue verb or phrase ("said", "told", "according to")
    cue_span: Span | None = None


@dataclass(frozen=True)
class FigureFields:
    """The reading of a quantity, declared once: what a stored :class:`Figure` holds and what a found
    :class:`newsweave.analyse.numfind.NumMention` holds besides its place in the text. The interval after the
    hedge in the base unit of its dimension, and what the comparison's matching needs."""

    low: float
    high: float
    exact: float | None  # the stated figure in the base unit (None for hedged or ranged figures)
    dim: str  # count, percent, money:USD, days, age, m, g, hours, year, date
    hedge: str | None = None
    is_range: bool = False
    converted: bool = False  # stated in a non-base unit (feet, decades) or with a conversion beside it
    # a relative year ("last year"): the bare word ("last", "next"), with the offset in years as its values;
    # the comparison counts it from the story's reference year (newsweave.analyse.numfind.resolve_years)
    relative: str | None = None
    small: bool = False  # a small integer (<= 12): needs context to be linked
    month: int | None = None  # "June 2011": the month of a year mention
    open_high: bool = False  # "over 80": the upper bound is a cap for matching (2x), not stated
    unit: str = ""  # the measure as written, canonical ("feet", "km"): a conversion only between two units
    step: float = (
        0.0  # the unit of the last digit stated, in the base unit ("54" 1, "53.99" 0.01, "2.5m" 1e5)
    )
    # the stated bound excludes the figure: "more than 10,000" (low), "fewer than 12" (high)
    strict: str | None = None


@_pickled_by_fields
@dataclass(frozen=True)
class Figure(FigureFields):
    """The comparison's reading of a quantity (:class:`newsweave.analyse.numfind.NumMention` without its
    span; the fields are :class:`FigureFields`'). Found once, by the analysis; the comparison reads it from
    the stored analysis."""


@_pickled_by_fields
@dataclass(frozen=True)
class Quantity:
    span: Span  # the number phrase with hedge and unit ("over 80 injured" -> "over 80")
    text: str
    value: float | None  # normalised value (percent as percent: "a fifth" -> 20.0 with unit percent)
    low: float | None = None  # range bounds after the hedge ("over 80" -> low 80, high None)
    high: float | None = None
    unit: str | None = None  # percent, money:USD, people, years, days, ...
    counted: str | None = None  # what is counted: "lives", "injured", "territory"
    counted_span: Span | None = None
    hedge: str | None = None  # at least, more than, about, up to, over, ...
    kind: str = "number"  # number, date, year, ordinal, range
    resolved: str | None = None  # for dates: the ISO date resolved against the publication date
    # the comparison's reading (a figure it groups across articles); None for what it does not compare
    # (weekdays, calendar days without a year), and for quantities stored before figures were kept
    figure: Figure | None = None


@_pickled_by_fields
@dataclass(frozen=True)
class Analysis:
    article_id: str
    sentences: tuple[Sentence, ...] = ()
    mentions: tuple[EntityMention, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    quantities: tuple[Quantity, ...] = ()
    # quoted stretches that are not attributed quotes (scare quotes, titles, terms: newsweave.analyse.marked),
    # kept apart from ``quotes`` for the comparison; None when not looked for (an analysis without quotes, or
    # one stored before they were kept)
    marked: tuple[Span, ...] | None = None
    # the analysis covers ``text[:analysed_chars]`` only: the article is longer than the most characters
    # analysed (AnalyseOptions.max_analysed_chars), its rest stored but not analysed; None: all of the text
    analysed_chars: int | None = None


# ---------------------------------------------------------------- stories


@dataclass(frozen=True)
class Story:
    id: str
    article_ids: tuple[str, ...]
    title: str | None = None
    sources: tuple[str, ...] = ()
    first_seen: datetime | None = None
    last_seen: datetime | None = None
    storyline_id: str | None = None  # the storyline (ongoing affair) this event belongs to


# ---------------------------------------------------------------- versions


@dataclass(frozen=True)
class ArticleVersion:
    """One fetched state of an article: the same URL (or feed entry) read again with changed text.

    ``article_id`` is the stored article (the first version's id); ``content_id`` the id this version's text
    would have on its own. Published and updated dates are kept apart, each as parsed and as written.
    """

    article_id: str
    version: int
    content_id: str
    fetched_at: datetime
    text: str
    url: str | None = None
    title: str | None = None
    subtitle: str | None = None
    published_at: datetime | None = None
    published_raw: str | None = None
    updated_at: datetime | None = None
    updated_raw: str | None = None
