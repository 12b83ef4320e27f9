"""A cheap language guess: the share of each language's commonest function words.

No model, no dependency: news text is long enough that the function words decide. Calibrated by eye on
the seeds, galaxy-wikinews (English) and the German/French/Spanish pages of semeval2022-task8-pairs: English
news scores 0.30-0.45 on its own list and under 0.06 on the others, so 0.12 is a safe floor.
"""

from __future__ import annotations

import re

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
    words = [w.casefold() for w in _WORD.findall(text[:SAMPLE_CHARS])]
    if len(words) < 8:
        return None
    best, best_share = None, 0.0
    for lang, stop in _STOPWORDS.items():
        share = sum(1 for w in words if w in stop) / len(words)
        if share > best_share:
            best, best_share = lang, share
    return best if best_share >= MIN_SHARE else None
