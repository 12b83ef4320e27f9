"""The language of an article: lingua (``lingua-language-detector``, all its 75 languages, every script),
after a fast path for the commonest languages of news.

lingua runs in its low-accuracy mode (trigram models only): 70 MB of memory and half a second to load on
the first Latin-script text, where the high-accuracy mode took 1 GB and 8 s; on whole articles the two
agree. Measured on semeval2022-task8-pairs (1,480 texts): right for de 394/394, es 220/220, fr 22/22,
en 455/456, pl 128/128, tr 164/166, ar 94/94. The function-word counter it replaces got pl 126, and tr
and ar 0 (no lists), and gave nothing for any unspaced script (Japanese, Chinese, Thai).

Fast path: lingua costs 2-4 ms a text, counting function words 0.1 ms. Where one language's function words
cover FAST_SHARE of the first words and twice the runner-up's share, that language is taken without
lingua (English news: median share 0.36). On the semeval texts the fast path decides 885 of 1,480 with no
error and the labels stay as above (1.35 ms a text on average); on galaxy-wikinews 364 of 369 (367 "en").
"""

from __future__ import annotations

import functools
import logging
import re
from collections import Counter
from typing import Any

log = logging.getLogger(__name__)

SAMPLE_CHARS = 500  # lingua's sample: 500, 800, 1,200 and 2,000 characters gave the same labels above
FAST_SAMPLE_CHARS = 2000  # the function-word count's sample
FAST_SHARE = 0.25  # see the module docstring
MIN_LETTERS = 20  # fewer letters than this and lingua guesses: no language is given
_WORD = re.compile(r"[^\W\d_]+")
_STOPWORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the of and to a in is that for it on was with as by he said at from his be are have has an not "
        "this but they were which who will their had been its or would more after we also i".split()
    ),
    "de": frozenset(
        "der die und in den von zu das mit sich des auf für ist im dem nicht ein eine als auch es an werden "
        "aus er hat dass sie nach wird bei einer um am sind noch wie einem über so zum war".split()
    ),
    "fr": frozenset(
        "de la le et les des en un une du est que pour qui dans a par sur au pas plus ne se il ce avec "
        "sont son sa été aux mais ou elle leur ont cette".split()
    ),
    "es": frozenset(
        "de la que el en y a los se del las un por con no una su para es al lo como más pero sus le ha "
        "fue este sido entre también".split()
    ),
    "it": frozenset(
        "di e il la che in a per un del non è una le con si da sono al dei della gli alla anche nel ha "
        "più come ma delle".split()
    ),
    "pt": frozenset(
        "de a o que e do da em um para é com não uma os no se na por mais as dos como mas foi ao ele das "
        "à seu sua ou".split()
    ),
    "nl": frozenset(
        "de en van het een in is dat op te zijn met voor niet aan er om ook als bij door maar dan nog "
        "werd wordt".split()
    ),
    "pl": frozenset("w i na z do nie się że to jest o jak po od za przez dla co ale czy".split()),
    "ru": frozenset("и в не на что с по как он это а из о к за от для то же его".split()),
}


def _fast_guess(sample: str) -> str | None:
    words = Counter(_WORD.findall(sample.casefold()))
    total = sum(words.values())
    if total < 30:
        return None
    shares = sorted(
        ((sum(words[w] for w in stop) / total, lang) for lang, stop in _STOPWORDS.items()), reverse=True
    )
    (best, lang), (second, _) = shares[0], shares[1]
    return lang if best >= FAST_SHARE and best >= 2 * second else None


@functools.cache
def _detector() -> Any:
    from lingua import LanguageDetectorBuilder

    return LanguageDetectorBuilder.from_all_languages().with_low_accuracy_mode().build()


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the text's language, or None when the text is too short or lingua is unsure."""
    sample = text[:SAMPLE_CHARS]
    if len(sample) < 4 * MIN_LETTERS and sum(c.isalpha() for c in sample) < MIN_LETTERS:
        return None
    fast = _fast_guess(text[:FAST_SAMPLE_CHARS])
    if fast:
        return fast
    try:
        found = _detector().detect_language_of(sample)
    except Exception as e:  # a detector failure must not cost the article
        log.info("language detection failed: %s", e)
        return None
    return found.iso_code_639_1.name.lower() if found is not None else None
