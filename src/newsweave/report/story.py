"""A story's articles from the store (membership kept by ``newsweave.store.stories``)."""

from __future__ import annotations

from pathlib import Path

from newsweave.errors import NewsweaveError, NotFoundError
from newsweave.model import Article


def story_articles(story_id: str, db: Path | str | None) -> list[Article]:
    """The articles of story ``story_id`` (an id or a unique prefix), in the story's order."""
    from newsweave.store import Store

    try:
        from newsweave.store.stories import get_story
    except ImportError as e:  # the stories stage is not installed
        raise NewsweaveError("stories are not available in this build (newsweave.store.stories)") from e
    if db is not None and not Path(db).exists():
        raise NotFoundError(f"no store at {db}")
    with Store.open(db) as store:
        story = get_story(store, story_id)
        return store.get_articles(list(story.article_ids))
