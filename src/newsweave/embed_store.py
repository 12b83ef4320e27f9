"""What the comparison derives from texts (sentence and clause vectors, part-of-speech tags), read from a
store first and computed only for the texts it lacks; the models load on the first text that needs them.

:class:`TextCache` sits between the comparison and its models. Each value is keyed by the model that makes
it (:func:`newsweave.embed.model_id`, the tagger's package and version) and the SHA-256 of the exact text
(:func:`text_key`), so a changed text or another model never reuses a stale value. What it had to compute
is kept in ``new_vectors`` / ``new_tags`` until :meth:`TextCache.save` writes it to a store
(:mod:`newsweave.store.derived`).

A stored vector is the float32 row the model gave when the text was first compared, so a comparison that
reads stored vectors gets exactly the numbers (and verdicts) the first one got. The texts missing from
the store are embedded in one model call, in the order the comparison asks for them, as without a store.
"""

from __future__ import annotations

import hashlib
import json
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import numpy as np

from newsweave import embed

if TYPE_CHECKING:
    from newsweave.store import Store

log = logging.getLogger(__name__)

Loader = Callable[[str, Sequence[str]], Mapping[str, Any]]  # (model, keys) -> {key: stored value}


class EmbeddingsUnavailable(RuntimeError):
    """The embedding model was needed for a text with no stored vector and could not be loaded."""


def text_key(text: str) -> str:
    """The key of ``text``'s derived values: the hex SHA-256 of its UTF-8 bytes."""
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass
class CacheCounts:
    vectors_read: int = 0
    vectors_computed: int = 0
    tags_read: int = 0
    tags_computed: int = 0


@dataclass
class TextCache:
    """Stored vectors and tags for one comparison (or several), and what had to be computed.

    ``load_vectors`` / ``load_tags``: the store's readers (``Store.text_vectors`` / ``Store.text_tags``),
    or None for no store (everything is computed, as before stored vectors existed)."""

    load_vectors: Loader | None = None
    load_tags: Loader | None = None
    new_vectors: dict[str, dict[str, bytes]] = field(default_factory=dict)  # model -> key -> float32 bytes
    new_tags: dict[str, dict[str, str]] = field(default_factory=dict)  # model -> key -> JSON
    counts: CacheCounts = field(default_factory=CacheCounts)

    @classmethod
    def of_store(cls, store: Store) -> TextCache:
        return cls(store.text_vectors, store.text_tags)

    def pending(self) -> bool:
        """Whether anything was computed that the store does not hold yet."""
        return any(self.new_vectors.values()) or any(self.new_tags.values())

    def save(self, store: Store) -> int:
        """Write what was computed to ``store``; returns the rows added."""
        n = 0
        for model, vecs in self.new_vectors.items():
            n += store.save_text_vectors(model, vecs)
        for model, tags in self.new_tags.items():
            n += store.save_text_tags(model, tags)
        self.new_vectors, self.new_tags = {}, {}
        return n

    def _read(self, loader: Loader | None, model: str, keys: Sequence[str]) -> Mapping[str, Any]:
        if loader is None or not keys:
            return {}
        try:
            return loader(model, keys)
        except Exception as e:  # an old or unreadable store: compute instead
            log.warning("stored values unavailable (%s): computing them", e)
            return {}

    def embedder(self) -> embed.Embedder | None:
        """texts -> unit vectors, stored ones first; None when embeddings are off or not installed. The
        model is loaded on the first text without a stored vector (:class:`EmbeddingsUnavailable` when
        that fails)."""
        model = embed.model_id()
        if model is None:
            return None
        mine = self.new_vectors.setdefault(model, {})

        def vectors(texts: Sequence[str]) -> np.ndarray:
            if not texts:
                return np.zeros((0, embed.DIM), dtype=np.float32)
            keys = [text_key(t) for t in texts]
            have: dict[str, np.ndarray] = {k: _vector(mine[k]) for k in set(keys) if k in mine}
            stored = self._read(self.load_vectors, model, [k for k in dict.fromkeys(keys) if k not in have])
            for k, raw in stored.items():
                v = _vector(raw)
                if v.shape == (embed.DIM,):
                    have[k] = v
                    self.counts.vectors_read += 1
            todo = [t for t, k in zip(texts, keys, strict=True) if k not in have]
            if todo:
                fresh = embed.get_embedder()
                if fresh is None:
                    raise EmbeddingsUnavailable(f"the embedding model {model} could not be loaded")
                vecs = np.asarray(fresh(todo), dtype=np.float32)
                for t, v in zip(todo, vecs, strict=True):
                    k = text_key(t)
                    if k not in have:
                        have[k] = v
                        mine[k] = v.tobytes()
                        self.counts.vectors_computed += 1
            return np.stack([have[k] for k in keys])

        return vectors

    def tagger(
        self, model: str, compute: Callable[[list[str]], list[list[tuple[int, str]]]]
    ) -> Callable[[list[str]], list[list[tuple[int, str]]]]:
        """texts -> per text its tokens' (character offset, tag): stored tags first, ``compute`` (which
        loads the tagger) for the rest, in one call."""
        mine = self.new_tags.setdefault(model, {})

        def tags(texts: list[str]) -> list[list[tuple[int, str]]]:
            keys = [text_key(t) for t in texts]
            have: dict[str, list[tuple[int, str]]] = {k: _tags(mine[k]) for k in set(keys) if k in mine}
            stored = self._read(self.load_tags, model, [k for k in dict.fromkeys(keys) if k not in have])
            for k, raw in stored.items():
                have[k] = _tags(raw)
                self.counts.tags_read += 1
            todo = list(dict.fromkeys(t for t, k in zip(texts, keys, strict=True) if k not in have))
            if todo:
                for t, found in zip(todo, compute(todo), strict=True):
                    k = text_key(t)
                    have[k] = [(int(i), str(tag)) for i, tag in found]
                    mine[k] = json.dumps(have[k], separators=(",", ":"))
                    self.counts.tags_computed += 1
            return [have[k] for k in keys]

        return tags


def _vector(raw: Any) -> np.ndarray:
    return np.frombuffer(bytes(raw), dtype=np.float32)


def _tags(raw: str) -> list[tuple[int, str]]:
    return [(int(i), str(t)) for i, t in json.loads(raw)]
