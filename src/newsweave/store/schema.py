"""The store's schema and its versioned migrations, the same for DuckDB and PostgreSQL.

Every table is created up front when a store is opened for writing (:func:`migrate`), so a read-only
open never needs to create anything. ``schema_version`` holds one row per migration applied; a store is
at the highest version listed there. A migration is applied once, in one transaction, under the store's
``schema`` lock (two writers opening a new PostgreSQL database at once apply it once).

To change the schema, append a migration to :data:`MIGRATIONS`; never edit one that was released (stores
already at that version would not see the edit). The DDL is written once, in the subset both databases
read; :func:`dialect` rewrites the few type names PostgreSQL spells differently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# Version 1: the schema as it stood when versioning began (the tables the stages used to create lazily).
# Its statements are all IF NOT EXISTS, so it also brings a store written before versioning up to date.
_V1 = """
CREATE TABLE IF NOT EXISTS articles (
    id VARCHAR PRIMARY KEY, source VARCHAR, url VARCHAR, title VARCHAR, subtitle VARCHAR, summary VARCHAR,
    byline VARCHAR, published_at TIMESTAMPTZ, published_raw VARCHAR, language VARCHAR, text VARCHAR NOT NULL,
    paragraphs VARCHAR, origin_path VARCHAR, origin_position VARCHAR, origin_format VARCHAR,
    added_at TIMESTAMPTZ, updated_raw VARCHAR
);
ALTER TABLE articles ADD COLUMN IF NOT EXISTS updated_raw VARCHAR;
CREATE TABLE IF NOT EXISTS rejected (
    path VARCHAR, position VARCHAR, reason VARCHAR, format VARCHAR, rejected_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS article_origins (
    article_id VARCHAR, path VARCHAR, position VARCHAR, format VARCHAR
);
CREATE TABLE IF NOT EXISTS analysis_runs (
    article_id VARCHAR PRIMARY KEY, analysed_at TIMESTAMPTZ, model VARCHAR
);
CREATE TABLE IF NOT EXISTS analysis_sentences (
    article_id VARCHAR, idx INTEGER, "start" INTEGER, "end" INTEGER, paragraph INTEGER
);
CREATE TABLE IF NOT EXISTS analysis_mentions (
    article_id VARCHAR, idx INTEGER, "start" INTEGER, "end" INTEGER, text VARCHAR, label VARCHAR,
    canonical VARCHAR
);
CREATE TABLE IF NOT EXISTS analysis_entities (
    article_id VARCHAR, canonical VARCHAR, label VARCHAR, aliases VARCHAR[], key VARCHAR
);
CREATE TABLE IF NOT EXISTS analysis_quotes (
    article_id VARCHAR, idx INTEGER, part_starts INTEGER[], part_ends INTEGER[], direct BOOLEAN,
    speaker VARCHAR, speaker_start INTEGER, speaker_end INTEGER, cue VARCHAR, cue_start INTEGER,
    cue_end INTEGER
);
CREATE TABLE IF NOT EXISTS analysis_quantities (
    article_id VARCHAR, idx INTEGER, "start" INTEGER, "end" INTEGER, text VARCHAR, value DOUBLE,
    low DOUBLE, high DOUBLE, unit VARCHAR, counted VARCHAR, counted_start INTEGER, counted_end INTEGER,
    hedge VARCHAR, kind VARCHAR, resolved VARCHAR
);
CREATE TABLE IF NOT EXISTS stories (
    id VARCHAR PRIMARY KEY, seq BIGINT, title VARCHAR, n_articles INTEGER, sources VARCHAR,
    first_seen TIMESTAMPTZ, last_seen TIMESTAMPTZ, updated_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS story_articles (
    article_id VARCHAR PRIMARY KEY, story_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS story_merges (
    survivor VARCHAR, absorbed VARCHAR, article_id VARCHAR, similarity DOUBLE, merged_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS duplicates (
    story_id VARCHAR, a VARCHAR, b VARCHAR, kind VARCHAR, similarity DOUBLE
);
CREATE TABLE IF NOT EXISTS rewrites (
    story_id VARCHAR, original VARCHAR, derived VARCHAR, direction VARCHAR, share DOUBLE,
    share_original DOUBLE, syndicated BOOLEAN, similarity DOUBLE, original_spans VARCHAR,
    derived_spans VARCHAR
);
CREATE TABLE IF NOT EXISTS cluster_df (
    channel VARCHAR, term VARCHAR, df BIGINT
);
CREATE TABLE IF NOT EXISTS cluster_meta (
    channel VARCHAR PRIMARY KEY, n BIGINT
);
CREATE TABLE IF NOT EXISTS story_storylines (
    story_id VARCHAR PRIMARY KEY, storyline_id VARCHAR NOT NULL
);
CREATE TABLE IF NOT EXISTS storyline_merges (
    survivor VARCHAR, absorbed VARCHAR, story_id VARCHAR, merged_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS storyline_links (
    a VARCHAR, b VARCHAR, similarity DOUBLE, entities VARCHAR, terms VARCHAR, linked_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS story_splits (
    parent VARCHAR, child VARCHAR, n_articles INTEGER, split_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS fetch_state (
    url VARCHAR PRIMARY KEY, etag VARCHAR, last_modified VARCHAR, polled_at TIMESTAMPTZ, outcome VARCHAR,
    failures INTEGER
);
CREATE TABLE IF NOT EXISTS fetch_keys (
    key VARCHAR PRIMARY KEY, article_id VARCHAR NOT NULL, fingerprint VARCHAR, seen_at TIMESTAMPTZ
);
CREATE TABLE IF NOT EXISTS article_versions (
    article_id VARCHAR NOT NULL, version INTEGER NOT NULL, content_id VARCHAR, fetched_at TIMESTAMPTZ,
    url VARCHAR, title VARCHAR, subtitle VARCHAR, text VARCHAR, published_at TIMESTAMPTZ,
    published_raw VARCHAR, updated_at TIMESTAMPTZ, updated_raw VARCHAR,
    PRIMARY KEY (article_id, version)
)
"""

# Version 2: PostgreSQL's indexes for the lookups by article and by story (the analysis tables are read
# per article, members per story); without them each lookup scans its table. DuckDB skips them: its
# zone maps serve these scans, and its ART indexes slow the delete-then-insert of a re-analysis.
_V2 = """
CREATE INDEX IF NOT EXISTS analysis_sentences_article ON analysis_sentences (article_id);
CREATE INDEX IF NOT EXISTS analysis_mentions_article ON analysis_mentions (article_id);
CREATE INDEX IF NOT EXISTS analysis_entities_article ON analysis_entities (article_id);
CREATE INDEX IF NOT EXISTS analysis_quotes_article ON analysis_quotes (article_id);
CREATE INDEX IF NOT EXISTS analysis_quantities_article ON analysis_quantities (article_id);
CREATE INDEX IF NOT EXISTS story_articles_story ON story_articles (story_id);
CREATE INDEX IF NOT EXISTS article_origins_article ON article_origins (article_id)
"""

# Version 3: what the comparison derives from texts (src/newsweave/store/derived.py): sentence and clause
# vectors, and the part-of-speech tags of the sentences framing reads, keyed by model and text hash; and
# the comparison of a stored story, under a key of everything it depends on (newsweave.views.stored).
_V3 = """
CREATE TABLE IF NOT EXISTS text_vectors (
    model VARCHAR NOT NULL, text_key VARCHAR NOT NULL, vector BYTEA NOT NULL, saved_at TIMESTAMPTZ,
    PRIMARY KEY (model, text_key)
);
CREATE TABLE IF NOT EXISTS text_tags (
    model VARCHAR NOT NULL, text_key VARCHAR NOT NULL, tags VARCHAR NOT NULL, saved_at TIMESTAMPTZ,
    PRIMARY KEY (model, text_key)
);
CREATE TABLE IF NOT EXISTS story_comparisons (
    key VARCHAR PRIMARY KEY, story_id VARCHAR NOT NULL, comparison VARCHAR NOT NULL, saved_at TIMESTAMPTZ
)
"""

# Version 4: the analysis' marked spans (quoted stretches that are not attributed quotes: scare quotes,
# titles, terms), one row per article analysed with them; an article analysed before has no row, and its
# analysis reads back with ``marked`` None (the comparison then finds them itself).
_V4 = """
CREATE TABLE IF NOT EXISTS analysis_marked (
    article_id VARCHAR, starts INTEGER[], ends INTEGER[]
)
"""

# Version 5: PostgreSQL's index for reading the marked spans by article (as version 2 for the other tables).
_V5 = """
CREATE INDEX IF NOT EXISTS analysis_marked_article ON analysis_marked (article_id)
"""

# Version 6: each quantity's figure, the comparison's reading of it (newsweave.model.Figure), so the comparison
# reads the analysis' numbers instead of finding them again. A row stored before has NULL ``fig_dim`` and
# reads back without a figure (the comparison then runs the finder on that article's text).
_V6 = """
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_low DOUBLE;
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_high DOUBLE;
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_exact DOUBLE;
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_dim VARCHAR;
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_hedge VARCHAR;
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_range BOOLEAN;
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_converted BOOLEAN;
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_relative VARCHAR;
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_small BOOLEAN;
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_month INTEGER;
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_open_high BOOLEAN;
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_unit VARCHAR;
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_step DOUBLE;
ALTER TABLE analysis_quantities ADD COLUMN IF NOT EXISTS fig_strict VARCHAR
"""


# Version 7: where an analysis stopped (``Analysis.analysed_chars``): an article longer than the most characters
# analysed (``AnalyseOptions.max_analysed_chars``) has only its first part analysed; NULL: all of its text (every
# analysis stored before).
_V7 = """
ALTER TABLE analysis_runs ADD COLUMN IF NOT EXISTS analysed_chars INTEGER
"""


@dataclass(frozen=True)
class Migration:
    version: int
    description: str
    ddl: str
    backends: tuple[str, ...] = ("duckdb", "postgresql")  # where the DDL runs (recorded on both)


MIGRATIONS: tuple[Migration, ...] = (
    Migration(1, "articles, rejected inputs, analyses, stories, storylines, links, fetch state", _V1),
    Migration(2, "indexes on article and story ids", _V2, backends=("postgresql",)),
    Migration(
        3, "the comparison's sentence vectors and tags (by model and text hash), stored comparisons", _V3
    ),
    Migration(4, "the analysis' marked spans (quoted stretches that are not quotes)", _V4),
    Migration(5, "index on the marked spans' article id", _V5, backends=("postgresql",)),
    Migration(6, "each quantity's figure (the comparison's reading of it)", _V6),
    Migration(7, "where an analysis stopped (an article longer than the most characters analysed)", _V7),
)
LATEST = MIGRATIONS[-1].version

VERSION_DDL = (
    "CREATE TABLE IF NOT EXISTS schema_version (version INTEGER PRIMARY KEY, applied_at TIMESTAMPTZ, "
    "description VARCHAR)"
)


def dialect(ddl: str, backend: str) -> str:
    """``ddl`` as ``backend`` ("duckdb" or "postgresql") reads it."""
    if backend == "postgresql":
        return re.sub(r"\bDOUBLE\b", "DOUBLE PRECISION", ddl)
    return ddl


def statements(ddl: str) -> list[str]:
    """The statements of a DDL text (no statement here holds a ``;`` inside a literal)."""
    return [s.strip() for s in ddl.split(";") if s.strip()]
