"""Word shingles hashed in bulk, MinHash signatures and LSH banding.

Shingling in Python (split, join, hash each shingle) costs far more than MinHash itself, so the whole
batch is hashed with numpy: the texts are joined with a separator byte into one UTF-8 buffer, ASCII
letters are lower-cased in the byte domain, and word bytes are found with a lookup table. Token
hashes are polynomial hashes from prefix sums (``S[e] - S[s]`` scaled by ``P**-s``, all arithmetic
mod 2**64), shingle hashes combine ``k`` consecutive token hashes, and a splitmix64 finaliser mixes them. The hashes are deterministic across
processes (unlike Python's salted ``hash``). rensa turns the flat hash buffer into a digest matrix;
LSH banding and candidate pairs are numpy sorts.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import rensa

_ASCII_WORD = np.zeros(256, dtype=bool)
_ASCII_WORD[[ord(c) for c in "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"]] = True
_ASCII_WORD[0x80:] = True
_LOWER = np.arange(256, dtype=np.uint8)  # ASCII case folding in the byte domain (str.lower is slower)
_LOWER[65:91] += 32
_SEP = "\x01"
_P = np.uint64(0x100000001B3)  # odd, so invertible mod 2**64
_P_INV = np.uint64(pow(int(_P), -1, 2**64))
_CHUNK_CHARS = 1_000_000  # texts are hashed in chunks of about this many characters (bounded memory)
_MULT = np.array(
    [0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0xD6E8FEB86659FD93, 0xFF51AFD7ED558CCD]
    + [0xC4CEB9FE1A85EC53 ^ (i * 0x9E3779B97F4A7C15 % 2**64) for i in range(1, 28)],
    dtype=np.uint64,
)


def _mix(x: np.ndarray) -> np.ndarray:
    """splitmix64 finaliser, vectorised (wrapping uint64 arithmetic)."""
    with np.errstate(over="ignore"):
        x = x ^ (x >> np.uint64(30))
        x = x * np.uint64(0xBF58476D1CE4E5B9)
        x = x ^ (x >> np.uint64(27))
        x = x * np.uint64(0x94D049BB133111EB)
        return x ^ (x >> np.uint64(31))


_POWERS: dict[int, np.ndarray] = {}


def _powers(base: np.uint64, n: int) -> np.ndarray:
    """``base**i`` for ``i < n`` mod 2**64, cached (grown by doubling) per base."""
    cached = _POWERS.get(int(base))
    if cached is None or cached.size < n:
        size = max(n, 2 * (cached.size if cached is not None else 0), 1 << 16)
        p = np.full(size, base, dtype=np.uint64)
        p[0] = 1
        with np.errstate(over="ignore"):
            cached = np.cumprod(p, dtype=np.uint64)
        _POWERS[int(base)] = cached
    return cached[:n]


def _word_bytes(b: np.ndarray) -> np.ndarray:
    """Mask of the bytes of UTF-8 text that belong to words.

    ASCII letters and digits are word bytes, other ASCII bytes are not. Non-ASCII bytes count as word
    bytes (accented letters, other scripts), except the common punctuation blocks: U+2000-U+206F
    (curly quotes, dashes, ellipsis: lead bytes E2 80/81) and U+00A0-U+00BF (no-break space, guillemets).
    """
    word = _ASCII_WORD[b]
    hi = np.flatnonzero(b[:-2] == 0xE2)
    if hi.size:
        punct = hi[(b[hi + 1] == 0x80) | (b[hi + 1] == 0x81)]
        word[punct] = word[punct + 1] = word[punct + 2] = False
    c2 = np.flatnonzero(b[:-1] == 0xC2)
    if c2.size:
        punct = c2[b[c2 + 1] >= 0xA0]
        word[punct] = word[punct + 1] = False
    return word


def token_hashes(texts: Sequence[str]) -> tuple[np.ndarray, np.ndarray]:
    """Hash every word token of every text; returns (hashes, doc index per token), both 1-d arrays."""
    b = _LOWER[np.frombuffer(_SEP.join(texts).encode("utf-8"), dtype=np.uint8)]
    n = b.size
    if n == 0:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    sep = b == 1
    word = _word_bytes(b)
    edge = np.diff(word.astype(np.int8), prepend=np.int8(0), append=np.int8(0))
    starts = np.flatnonzero(edge == 1)
    ends = np.flatnonzero(edge == -1)
    doc = np.searchsorted(np.flatnonzero(sep), starts)
    with np.errstate(over="ignore"):
        prefix = np.zeros(n + 1, dtype=np.uint64)
        np.cumsum(b.astype(np.uint64) * _powers(_P, n), dtype=np.uint64, out=prefix[1:])
        h = (prefix[ends] - prefix[starts]) * _powers(_P_INV, n)[starts]
    return _mix(h), doc.astype(np.int64)


def shingle_hashes(texts: Sequence[str], k: int = 5) -> tuple[np.ndarray, np.ndarray]:
    """Hashes of the word ``k``-shingles of each text as one flat uint64 buffer plus row offsets.

    Row ``i`` is ``flat[offsets[i]:offsets[i + 1]]``. A text with fewer than ``k`` words gets its word
    hashes instead (so short texts still compare); an empty text gets an empty row.
    """
    flats: list[np.ndarray] = []
    counts = np.zeros(len(texts), dtype=np.int64)
    start = 0
    while start < len(texts):
        stop, size = start, 0
        while stop < len(texts) and (size < _CHUNK_CHARS or stop == start):
            size += len(texts[stop])
            stop += 1
        flat, cnt = _shingles_chunk(texts[start:stop], k)
        flats.append(flat)
        counts[start:stop] = cnt
        start = stop
    offsets = np.zeros(len(texts) + 1, dtype=np.uint64)
    np.cumsum(counts, out=offsets[1:])
    flat_all = np.concatenate(flats) if flats else np.zeros(0, np.uint64)
    return flat_all, offsets


def _shingles_chunk(texts: Sequence[str], k: int) -> tuple[np.ndarray, np.ndarray]:
    h, doc = token_hashes(texts)
    n_docs = len(texts)
    if k <= 1 or h.size < k:
        sh, sdoc = h, doc
    else:
        m = h.size - k + 1
        with np.errstate(over="ignore"):
            acc = h[:m] * _MULT[0]
            for j in range(1, k):
                acc = acc + h[j : j + m] * _MULT[j % _MULT.size]
        keep = doc[:m] == doc[k - 1 :]
        sh, sdoc = _mix(acc[keep]), doc[:m][keep]
    counts = np.bincount(sdoc, minlength=n_docs) if sdoc.size else np.zeros(n_docs, np.int64)
    if k > 1:
        short = np.flatnonzero(counts == 0)
        if short.size:  # texts shorter than k words: use their words
            tok_counts = np.bincount(doc, minlength=n_docs) if doc.size else np.zeros(n_docs, np.int64)
            short = short[tok_counts[short] > 0]
            if short.size:
                extra = np.isin(doc, short)
                sh = np.concatenate([sh, h[extra]])
                sdoc = np.concatenate([sdoc, doc[extra]])
                order = np.argsort(sdoc, kind="stable")
                sh, sdoc = sh[order], sdoc[order]
                counts = np.bincount(sdoc, minlength=n_docs)
    return sh, counts


def minhash_signatures(
    flat: np.ndarray, offsets: np.ndarray, num_perm: int = 128, seed: int = 1
) -> np.ndarray:
    """MinHash signatures (n, num_perm) uint64 of the shingle rows, computed by rensa in one call."""
    n = offsets.size - 1
    if n <= 0:
        return np.zeros((0, num_perm), np.uint64)
    matrix = rensa.RMinHash.digest_matrix_from_flat_token_hashes(flat, offsets, num_perm, seed)
    sig = np.asarray(matrix.to_rows(), dtype=np.uint64).reshape(n, num_perm)
    empty = offsets[1:] == offsets[:-1]
    if empty.any():  # an empty row must match nothing: give it unique sentinel values
        sig[empty] = np.uint64(2**64 - 1) - np.arange(int(empty.sum()), dtype=np.uint64)[:, None]
    return sig


def band_keys(sig: np.ndarray, bands: int) -> np.ndarray:
    """The LSH bucket key of each signature in each band, shape (n, bands) uint64.

    Band ``b`` covers signature rows ``b * r .. (b + 1) * r`` (``r = num_perm // bands``); two signatures
    are candidates when they share a key in the same band. The one definition of the band keys: the local
    path sorts them (:func:`lsh_candidate_pairs`), the Spark job joins on them (``newsweave.spark``).
    """
    n, num_perm = sig.shape
    r = num_perm // bands
    mult = _mix(np.arange(1, r + 1, dtype=np.uint64))
    out = np.empty((n, bands), dtype=np.uint64)
    for band in range(bands):
        block = sig[:, band * r : (band + 1) * r]
        with np.errstate(over="ignore"):
            out[:, band] = _mix((block * mult).sum(axis=1, dtype=np.uint64) + np.uint64(band))
    return out


def lsh_candidate_pairs(sig: np.ndarray, bands: int, max_bucket: int = 200) -> np.ndarray:
    """Pairs ``(i, j)``, ``i < j``, whose signatures agree on all rows of at least one band.

    A bucket larger than ``max_bucket`` (a flood of identical texts) contributes a chain plus a star
    instead of all its pairs, which keeps the pairs connected without quadratic growth.
    """
    n = sig.shape[0]
    if n < 2:
        return np.zeros((0, 2), np.int64)
    keys = band_keys(sig, bands)
    out: list[np.ndarray] = []
    for band in range(bands):
        key = keys[:, band]
        order = np.argsort(key, kind="stable")
        ks = key[order]
        same = ks[1:] == ks[:-1]
        if not same.any():
            continue
        out.append(_bucket_pairs(order, same, max_bucket))
    if not out:
        return np.zeros((0, 2), np.int64)
    pairs = np.sort(np.concatenate(out), axis=1).astype(np.int64)
    code = np.unique(pairs[:, 0] * n + pairs[:, 1])
    return np.stack([code // n, code % n], axis=1)


def _bucket_pairs(order: np.ndarray, same: np.ndarray, max_bucket: int) -> np.ndarray:
    # run boundaries of equal keys in the sorted order
    brk = np.flatnonzero(~same) + 1
    run_starts = np.concatenate([[0], brk])
    run_ends = np.concatenate([brk, [order.size]])
    sizes = run_ends - run_starts
    pairs: list[np.ndarray] = []
    small = (sizes >= 2) & (sizes <= max_bucket)
    for size in np.unique(sizes[small]):
        starts = run_starts[small & (sizes == size)]
        iu, ju = np.triu_indices(int(size), 1)
        pairs.append(
            np.stack([order[starts[:, None] + iu], order[starts[:, None] + ju]], axis=-1).reshape(-1, 2)
        )
    for s, e in zip(run_starts[sizes > max_bucket], run_ends[sizes > max_bucket], strict=True):
        members = order[s:e]
        pairs.append(np.stack([members[:-1], members[1:]], axis=1))
        pairs.append(np.stack([np.full(members.size - 1, members[0]), members[1:]], axis=1))
    return np.concatenate(pairs) if pairs else np.zeros((0, 2), np.int64)


def estimated_jaccard(sig: np.ndarray, pairs: np.ndarray) -> np.ndarray:
    """MinHash estimate of the Jaccard similarity of each pair (share of equal signature values)."""
    if pairs.size == 0:
        return np.zeros(0)
    out = np.empty(len(pairs))
    step = 50_000
    for s in range(0, len(pairs), step):
        p = pairs[s : s + step]
        out[s : s + step] = (sig[p[:, 0]] == sig[p[:, 1]]).mean(axis=1)
    return out
