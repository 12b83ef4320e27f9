"""Bylines to author names: people as people, organisations kept as the credit, duplicates folded.

Rules, in order, each from a case seen on real pages (fundus-pages, fit part):
- URLs, e-mail addresses and a leading "By" (Von, Por, Par, Di, Av, Door) go; "The Washington Times
  https://..." is the name before the URL.
- One value is split into names on ``;``, ``|``, ``/``, `` & `` and the joining words (and, und, et, y, og,
  och, en), and on commas, except the library form "Brazil, Rachel" (one comma, a one-word family name
  before it, one or two given names after): nameparser reads that as Rachel Brazil.
- Duplicates fold: the same name compared without case, accents and punctuation ("Sophie Foster" and the
  slug "Sophie-Foster"), and a one-word handle that is the initial and surname of a name given in full
  ("lberry" from an e-mail, beside "Lucy Berry").
- The site's own name ("Lesotho Times", the publisher, the registry outlet, the domain) and company names
  ("Condé Nast", "... GmbH") are dropped when people are named; when nothing else is credited they stay,
  as the credit ("kicker", "Euronews"). News agencies ("dpa", "AFP") are always kept: they are the credit.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_URL = re.compile(r"https?://\S+|www\.\S+")
_PARENS = re.compile(r"\([^)]*\)")
_EMAIL = re.compile(r"\b([\w.+-]+)@[\w-]+(?:\.[\w-]+)+\b")
_LEADING_BY = re.compile(r"^(?:by|von|por|par|di|av|door|de)\s*:?\s+", re.I)
_SPLIT = re.compile(r"\s*(?:[;|/\n]|\s&\s|\s(?:and|und|et|y|og|och|en)\s)\s*", re.I)
_COMPANY = re.compile(
    r"\b(?:gmbh|ag|ltd|limited|inc|llc|plc|s\.?a\.?|s\.?l\.?|verlag\w*|media group|publishing|"
    r"condé nast|conde nast|holdings?)\b\.?",
    re.I,
)
_NOT_NAMES = frozenset({"admin", "administrator", "unknown", "anonymous", "none", "no author", "redaktion",
                        "editor", "editorial", "staff"})  # fmt: skip


def comparable(s: str) -> str:
    """Letters and digits only, lower case, accents stripped: "Sophie-Foster" -> "sophiefoster"."""
    t = unicodedata.normalize("NFKD", s)
    return "".join(c for c in t if c.isalnum() and not unicodedata.combining(c)).casefold()


def split_names(value: str) -> list[str]:
    """The names in one byline value (see the module docstring)."""
    v = _PARENS.sub(" ", _URL.sub(" ", value))
    v = _EMAIL.sub(lambda m: " " + m.group(1) + " ", v)
    v = " ".join(v.split()).strip(" ,;|-–—:")
    out: list[str] = []
    for part in _SPLIT.split(v):
        part = _LEADING_BY.sub("", part.strip(" ,;|-–—:"))
        if not part:
            continue
        if part.count(",") == 1 and _inverted(part):
            out.append(_natural_order(part))
            continue
        out.extend(p for p in (x.strip(" .") if x.strip().endswith(".") and len(x) < 4 else x.strip()
                               for x in part.split(",")) if p)  # fmt: skip
    return out


def _inverted(part: str) -> bool:
    family, given = (x.strip() for x in part.split(","))
    return (
        len(family.split()) == 1
        and 1 <= len(given.split()) <= 2
        and family[:1].isupper()
        and given[:1].isupper()
        and not _COMPANY.search(given)
    )


def _natural_order(part: str) -> str:
    from nameparser import HumanName

    n = HumanName(part)
    name = " ".join(x for x in (n.title, n.first, n.middle, n.last, n.suffix) if x)
    return name or part


def is_company(name: str) -> bool:
    return bool(_COMPANY.search(name))


def is_org(name: str, sites: Iterable[str]) -> bool:
    """The site itself ("Lesotho Times", "Nature Editorial" on nature.com) or a company, not a person."""
    k = comparable(name)
    keys = {comparable(s) for s in sites} - {""}
    return is_company(name) or any(
        k == s or (len(s) >= 5 and s in k) or (len(k) >= 5 and k in s) for s in keys
    )


def is_agency(name: str) -> bool:
    """True for a news agency's name or alias in the outlet registry (``kind = "agency"``)."""
    from newsweave.outlets import registry

    o = registry().by_name(name)
    return o is not None and o.kind == "agency"


def clean_authors(values: Iterable[str], sites: Iterable[str] = ()) -> list[str]:
    """Author names from raw byline values, by the rules of the module docstring."""
    names: list[str] = []
    for v in values:
        names.extend(split_names(v))
    names = [n for n in names if n.casefold() not in _NOT_NAMES and any(c.isalpha() for c in n)]
    names = _fold_duplicates(names)
    sites = list(sites)
    agencies = {n for n in names if is_agency(n)}
    people = [n for n in names if n not in agencies and not is_org(n, sites)]
    return [n for n in names if n in agencies or n in people] if people else names


def _fold_duplicates(names: list[str]) -> list[str]:
    kept: list[str] = []
    keys: list[str] = []
    for n in names:
        k = comparable(n)
        if not k or k in keys:
            continue
        if any(_handle_of(k, other) for other in kept):
            continue
        # a handle seen first, its full name later: the full name replaces it
        for i, _other in enumerate(kept):
            if _handle_of(keys[i], n):
                kept[i], keys[i] = n, k
                break
        else:
            kept.append(n)
            keys.append(k)
    return kept


def _handle_of(handle: str, full: str) -> bool:
    """True when ``handle`` (comparable form) is how a login or e-mail writes ``full``: "lberry",
    "lucyberry", "berryl" for Lucy Berry."""
    parts = [comparable(p) for p in full.split()]
    parts = [p for p in parts if p]
    if len(parts) < 2 or len(handle) < 4:
        return False
    first, last = parts[0], parts[-1]
    handle = re.sub(r"com$", "", handle)
    return handle in (first[0] + last, first + last, last + first[0], first + "." + last, "".join(parts))
