"""What newsweave shows of the store, as library calls: the JSON shapes of articles, analyses, stories
and rejected inputs (:mod:`.shapes`), paginated and filtered listings (:mod:`.listing`) and the
comparison of a stored story (:mod:`.comparison`). The CLI's ``--json`` output and the web app's pages
and API are built on these and nothing else.
"""

from newsweave.views.comparison import ComparisonCache, StoryCompareOptions, StoryComparison, compare_story
from newsweave.views.listing import ArticleFilter, Page, StoryFilter, list_articles, list_stories
from newsweave.views.shapes import (
    analysis_obj,
    article_detail,
    article_obj,
    rejected_obj,
    story_detail,
    story_obj,
)

__all__ = [
    "ArticleFilter",
    "ComparisonCache",
    "Page",
    "StoryCompareOptions",
    "StoryComparison",
    "StoryFilter",
    "analysis_obj",
    "article_detail",
    "article_obj",
    "compare_story",
    "list_articles",
    "list_stories",
    "rejected_obj",
    "story_detail",
    "story_obj",
]
