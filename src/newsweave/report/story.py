"""A story's articles from the store (membership kept by ``newsweave.store.stories``)."""

from __future__ import annotations

from pathlib import Path

from newsweave.errors import NotFoundError
from newsweave.model import Article


def story_articles(story_id: str, db: Path | str | None) -> list[Article]:
    """The articles of story ``story_id`` (an id or a unique prefix), in the story's order."""
    from newsweave.store import Store, is_store_url

    if db is not None and not is_store_url(db) and not Path(db).exists():
        raise NotFoundError(f"no store at {db}")
    with Store.open(db, read_only=db is not None) as store:
        story = store.get_story(story_id)
        return store.get_articles(list(story.article_ids))
