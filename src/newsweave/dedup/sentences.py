"""Quoted passages blanked before rewrite detection (sentences and words come from :mod:`newsweave.text`)."""

from __future__ import annotations

import re

_QUOTED = re.compile(
    r"\"[^\"\n]{0,600}\"|\u201c[^\u201d\n]{0,600}\u201d|^[^\"\u201c\u201d\n]{0,600}[\"\u201d]|[\"\u201c][^\"\u201c\u201d\n]{0,600}$"
)


def without_quotes(text: str) -> str:
    """The text with quoted passages blanked (also a quote's open or close half cut off by a sentence
    boundary): two outlets quoting one speaker is not one copying the other."""
    return _QUOTED.sub(" ", text)
