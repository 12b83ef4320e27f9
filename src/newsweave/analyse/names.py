"""Name normalisation: titles and roles, possessives and compounds, transliteration-folded merge keys."""

from __future__ import annotations

import functools
import re
import unicodedata

# fmt: off
# Title and role words stripped from the front of a person's name ("Kyiv Mayor", "U.S. President",
# "Russian Foreign Minister"). Lower case, without a final period.
TITLE_WORDS = {
    "adviser", "advisor", "ambassador", "attorney", "ayatollah", "candidate", "capt", "captain",
    "ceo", "chairman", "chairwoman", "challenger", "chancellor", "chief", "coach", "col",
    "colonel", "commander", "congressman", "congresswoman", "crown", "dame", "defence", "defense",
    "delegate", "democrat", "democratic", "deputy", "director", "dr", "economy", "emir", "energy", "envoy",
    "executive", "finance", "first", "foreign", "former", "gen", "general", "goalkeeper", "gop", "gov",
    "governor", "health", "home", "incumbent", "interior", "judge", "justice", "king", "lady", "leader",
    "lord", "lt", "manager", "mayor", "mep", "midfielder", "minister", "miss", "mp", "mr", "mrs", "ms",
    "nominee", "officer", "pope", "premier", "president", "prime", "prince", "princess", "prof",
    "professor", "queen", "rep", "representative", "republican", "rev", "reverend", "secretary", "sen",
    "senator", "senior", "sgt", "sheikh", "sheriff", "sir", "speaker", "spokesman", "spokesperson",
    "spokeswoman", "st", "state", "striker", "trade", "vice", "commissioner", "inspector", "superintendent",
    "detective", "coroner", "councillor", "councilman", "councilwoman", "bishop", "archbishop", "cardinal",
    "pastor", "rabbi", "imam", "treasurer", "chairperson"
}
# fmt: on
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")
_HYPHEN_COMPOUND = re.compile(
    r"-(?:led|backed|based|born|owned|run|controlled|linked|era|style|like|allied)$", re.IGNORECASE
)
# transliteration variants folded to one spelling (whole words)
SPELLING_VARIANTS = {
    "kiev": "kyiv",
    "kharkov": "kharkiv",
    "odessa": "odesa",
    "lvov": "lviv",
    "nikolaev": "mykolaiv",
    "mykolayiv": "mykolaiv",
    "zaporozhye": "zaporizhzhia",
    "zaporizhia": "zaporizhzhia",
    "dnipropetrovsk": "dnipro",
    "peking": "beijing",
    "bombay": "mumbai",
    "calcutta": "kolkata",
    "madras": "chennai",
    "burma": "myanmar",
    "gadhafi": "qaddafi",
    "gaddafi": "qaddafi",
    "kadhafi": "qaddafi",
    "qadhafi": "qaddafi",
}


def strip_possessive(text: str) -> str:
    text = _HYPHEN_COMPOUND.sub("", text.strip())
    return _POSSESSIVE.sub("", text).strip()


def split_title(tokens: list[str]) -> tuple[list[str], list[str]]:
    """(title tokens, name tokens): the title is everything up to the last title word that is followed by
    at least one capitalised name token."""
    cut = -1
    for i, tok in enumerate(tokens[:-1]):
        if tok.lower().rstrip(".") in TITLE_WORDS:
            cut = i
    if cut < 0:
        return [], tokens
    rest = tokens[cut + 1 :]
    if not rest or not all(t[:1].isupper() for t in rest):
        return [], tokens
    if all(t.lower().rstrip(".") in _SUFFIXES for t in rest):
        return [], tokens  # "Martin Luther King Jr.": no title, a suffix
    return tokens[: cut + 1], rest


@functools.lru_cache(maxsize=1 << 16)
def fold(text: str) -> str:
    """Accents off, lower case, apostrophes and punctuation to spaces."""
    t = unicodedata.normalize("NFKD", text)
    t = "".join(ch for ch in t if not unicodedata.combining(ch))
    t = strip_possessive(t.replace("’", "'"))
    t = re.sub(r"[^\w]+", " ", t.lower())
    return " ".join(t.split())


@functools.lru_cache(maxsize=1 << 16)
def translit(word: str) -> str:
    """Fold common transliteration variants of one word: Zelensky/Zelenskyy/Zelenskiy, Kiev/Kyiv."""
    w = SPELLING_VARIANTS.get(word, word)
    w = re.sub(r"(?:iy|yy|ii|ij|yi)$", "y", w)
    w = re.sub(r"([a-z])\1+", r"\1", w)  # doubled letters
    return w


@functools.lru_cache(maxsize=1 << 16)
def name_key(text: str) -> str:
    return " ".join(translit(w) for w in fold(text).split())


# places whose spellings the table above folds (both spellings), used to overrule a PERSON label
KNOWN_PLACES = (frozenset(SPELLING_VARIANTS) | frozenset(SPELLING_VARIANTS.values())) - {
    "gadhafi",
    "gaddafi",
    "kadhafi",
    "qadhafi",
    "qaddafi",
}

_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}


@functools.lru_cache(maxsize=1 << 16)
def person_parts(name: str) -> tuple[str, str]:
    """(first name key, surname key) of a person's name, folded and transliterated. A generational suffix
    stays with the first name, so that "Donald Trump Jr." and "Donald Trump" are two people:
    ("donald jr", "trump") and ("donald", "trump"). A single word is a surname: ("", "klitschko")."""
    words = fold(name).split()
    suffix = ""
    if len(words) >= 3 and words[-1] in _SUFFIXES:
        suffix = " " + words.pop()
    if not words:
        return "", ""
    if len(words) == 1:
        return "", translit(words[0])
    return translit(words[0]) + suffix, translit(words[-1])


def surname_surface(name: str) -> str:
    """The surname as written: the last word that is not a generational suffix ("King" of "Martin Luther
    King Jr.")."""
    words = name.split()
    while len(words) > 1 and words[-1].lower().rstrip(".") in _SUFFIXES:
        words.pop()
    return words[-1] if words else ""
