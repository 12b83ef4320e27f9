"""Rendered story pages and comparison JSON, kept beside the comparisons they were made from.

A story page of a large story is about a megabyte of HTML (every source's full text with its marks) and
its comparison as JSON about as much; rendering them takes longer than finding the cached comparison.
The comparison cache (:class:`newsweave.views.comparison.ComparisonCache`) hands back the same object for
as long as the story, its members and their analyses are unchanged, so what was rendered from that object
is still right: this cache keys on the object (holding it, so its identity cannot be reused) and the kind
of output, and forgets the oldest beyond ``size``.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

# As many as the comparison cache holds (WebOptions.cache_size), for pages and JSON both.
DEFAULT_SIZE = 128


class RenderCache:
    """Thread-safe; ``make`` runs outside the lock (two threads may render the same page once each)."""

    def __init__(self, size: int = DEFAULT_SIZE) -> None:
        self.size = size
        self._items: OrderedDict[tuple[int, str], tuple[Any, bytes]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0

    def get(self, source: Any, kind: str, make: Callable[[], bytes]) -> bytes:
        key = (id(source), kind)
        with self._lock:
            found = self._items.get(key)
            if found is not None and found[0] is source:
                self._items.move_to_end(key)
                self.hits += 1
                return found[1]
        body = make()
        with self._lock:
            self._items[key] = (source, body)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return body
