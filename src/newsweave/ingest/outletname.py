"""The outlet name an article is stored under.

Order, first found wins:
1. ``--source`` (the user said so);
2. the outlet registry (:mod:`newsweave.outlets`): the entry for the URL's host, else for the name the
   page or record gives (an alias such as "AP" or "Thomson Reuters");
3. the page's or record's publisher name, cleaned: a tagline around the name goes ("Breaking Australian and
   World News Headlines - 9News" -> "9News": the part that names the domain), and so does a company form
   ("TAZ Verlags- und Vertriebs GmbH" -> "TAZ"); a name built from the domain ("Reuters_Co_Uk") is not a
   name;
4. the URL's domain without ``www.``; 5. the file name's stem.
"""

from __future__ import annotations

import re

from newsweave.ingest.bylines import comparable

_COPYRIGHT = re.compile(r"^(?:copyright|\u00a9|\(c\)|\s|\d{4}(?:\s*-\s*\d{4})?)+", re.I)
_TAGLINE_SEPARATORS = re.compile(r"\s+[|\u2013\u2014-]\s+|:\s+")
_COMPANY_TAIL = re.compile(
    r"(?:[\s,]+(?:gmbh|ag|se|kg|ltd\.?|limited|inc\.?|llc|plc|s\.a\.?|s\.l\.?|b\.v\.?|n\.v\.?|pty\.?|co\.?|"
    r"& co\.?|company|corporation|corp\.?|group|holdings?|verlag|verlags-?|vertriebs-?|und|mediengruppe|"
    r"media|publishing|publications|verlagsgesellschaft|gesellschaft|mbh))+\s*$",
    re.I,
)
MAX_NAME_WORDS = 6  # a longer "name" is a tagline or a description (names in the registry run 1-5 words)


def clean_outlet_name(name: str | None, domain: str | None = None) -> str | None:
    """A publisher name fit to name an outlet, or None (see the module docstring)."""
    if not name:
        return None
    n = _COPYRIGHT.sub("", " ".join(name.split())).strip(" .,-|")
    if not n or "rights reserved" in n.lower():
        return None
    if domain and "_" in n and comparable(n) == comparable(domain):
        return None  # built from the domain: the domain itself says it better
    parts = [p.strip() for p in _TAGLINE_SEPARATORS.split(n) if p.strip()]
    if len(parts) > 1:
        label = comparable(domain.split(".")[0]) if domain else ""
        named = [p for p in parts if label and (comparable(p) == label or comparable(p) in label)]
        short = [p for p in parts if len(p.split()) <= MAX_NAME_WORDS]
        n = named[0] if named else (short or parts)[0]
    stripped = _COMPANY_TAIL.sub("", n).strip(" ,.-")
    n = stripped or n
    if len(n.split()) > MAX_NAME_WORDS:
        return None
    return n or None


def outlet_for(
    forced: str | None, meta_name: str | None, url: str | None, domain: str | None, stem: str | None
) -> str | None:
    """The outlet name of an article by the order of the module docstring."""
    if forced:
        return forced
    from newsweave.outlets import registry

    known = registry().outlet_name(meta_name, url)
    return known or clean_outlet_name(meta_name, domain) or domain or stem
