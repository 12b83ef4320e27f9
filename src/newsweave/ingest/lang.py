"""A cheap language guess: the share of each language's commonest function words.

No model, no dependency: news text is long enough that the function words decide. Measured on
semeval2022-task8-pairs (texts cut to ~1.1k characters): de 394/394, es 220/220, fr 22/22, en 455/456,
pl 126/128 right; the Arabic and Turkish texts (no list here) all give None, never a wrong language.
Galaxy-wikinews (English, median share 0.36 of English function words): 366/369 "en". MIN_SHARE = 0.12
sits well under the English median and well over what other languages score on the English list.
"""

from __future__ import annotations

import re
from collections import Counter

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
MIN_SHARE = 0.12  # see the module docstring
SAMPLE_CHARS = 4000


def detect_language(text: str) -> str | None:
    """ISO 639-1 code of the language whose function words cover most of the text, or None if unsure."""
    words = Counter(_WORD.findall(text[:SAMPLE_CHARS].casefold()))
    total = sum(words.values())
    if total < 8:
        return None
    best, best_share = None, 0.0
    for lang, stop in _STOPWORDS.items():
        share = sum(words[w] for w in stop) / total
        if share > best_share:
            best, best_share = lang, share
    return best if best_share >= MIN_SHARE else None
