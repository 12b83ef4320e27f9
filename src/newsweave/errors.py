"""The error hierarchy. Library code raises these; the CLI turns them into clean messages."""

from __future__ import annotations


class NewsweaveError(Exception):
    """Base class of every error newsweave raises on purpose."""


class InputError(NewsweaveError):
    """An input (file, record, stream) that cannot be read as an article.

    ``path`` and ``position`` say where: position is ``line N``, ``record N``, ``byte N`` or ``entry N``.
    """

    def __init__(self, reason: str, path: str = "", position: str = "") -> None:
        self.reason = reason
        self.path = path
        self.position = position
        where = f"{path}" + (f" ({position})" if position else "")
        super().__init__(f"{where}: {reason}" if where else reason)


class UsageError(NewsweaveError):
    """A bad option or argument given by the user (CLI exit status 2)."""


class StoreError(NewsweaveError):
    """The store cannot be opened or written."""


class NotFoundError(NewsweaveError):
    """An id (article, story) that is not in the store."""
