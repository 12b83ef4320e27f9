"""What happened: coarse event classes read from a headline's trigger words, for the join gate.

Two events of one affair share their names and words (Gwar's singer dying and the foundation launched in
his name; a church's founder dying and hackers defacing the church's site), so the words cannot keep them
apart; what happened can. Each headline is read for trigger words (the verbs and event nouns a headline is
made of: *dies*, *hacked*, *resigns*, *sentenced*, *launch*, *election*) and each trigger maps to one
or more hand-defined event classes (death, attack, disaster, cyber, arrest, verdict, resignation,
election, diplomacy, sanction, founding, discovery, law, economy). An article whose classes have nothing
in common with the classes of a story's headlines *clashes* with it: ``ClusterOptions.event_clash_factor``
scales the join similarity down (``cluster/clusterer.py``, ``cluster/batch.py``). A headline without a
trigger, or a story whose headlines have none, is no evidence either way.

The headline only: the lead was tried too (title plus its first sentence) and lost dev F1 in every
setting, since leads recap the background (a killing, a war) of many events. Words are matched as
written forms, lower-cased, with no parse: the analysis stage's parser runs without a lemmatizer, and a
list of forms keeps this a pure function of the title, so ``add`` and ``recluster`` (and a store
reloaded later) read the same classes without storing anything. Calibration: docs/quality.md, "Third
pass: what happened".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable


def _forms(*lemmas: str) -> set[str]:
    """A lemma and its regular inflections (die -> dies, died, dying is listed by hand)."""
    out: set[str] = set()
    for lemma in lemmas:
        out.update({lemma, lemma + "s"})
        if lemma.endswith("e"):
            out.update({lemma + "d", lemma[:-1] + "ing"})
        else:
            out.update({lemma + "ed", lemma + "ing"})
        if lemma.endswith(("sh", "ch", "ss", "x")):
            out.add(lemma + "es")
    return out


# Event class -> its trigger forms (single words, or two words as written: "steps down"). Chosen by hand
# for the kinds of news event a wire service files; ambiguous words were left out where a headline uses
# them in two senses ("found" dead / a foundation; "rules" of a bank / a court; "leaves" a band / leaves
# dozens dead; "fight" with a party).
CLASSES: dict[str, frozenset[str]] = {
    name: frozenset(words)
    for name, words in {
        "death": _forms("die", "kill", "massacre", "murder")
        | {"dead", "death", "deaths", "dying", "obituary", "mourn", "mourns", "mourned", "passes away"}
        | {"passed away", "pass away", "killed", "killer", "deadly", "fatal", "toll"},
        "attack": _forms("attack", "bomb", "shoot", "assault", "raid", "clash", "airstrike", "invade", "stab")
        | {"shot", "fighting", "gunman", "gunmen", "explosion", "blast", "missile", "missiles", "rocket"}
        | {"rockets", "offensive", "shelling", "ambush", "hostage", "hostages", "bomber", "war", "invasion"}
        | {"airstrikes", "strike", "strikes"},
        "disaster": _forms("crash", "collapse", "derail", "flood", "erupt", "sink")
        | {"fire", "fires", "blaze", "earthquake", "quake", "hurricane", "storm", "tornado", "typhoon"}
        | {"cyclone", "tsunami", "landslide", "eruption", "wildfire", "sank", "sunk", "drought", "outbreak"}
        | {"epidemic", "accident"},
        "cyber": _forms("hack", "leak")
        | {"hacker", "hackers", "cyberattack", "ddos", "hacktivist", "hacktivists", "defaced", "deface"},
        "arrest": _forms("arrest", "detain", "charge", "indict", "extradite")
        | {"custody", "suspect", "suspects", "manhunt", "held over"},
        "verdict": _forms("sentence", "convict", "jail", "acquit", "imprison")
        | {"guilty", "verdict", "trial", "court", "ruling", "prison", "lawsuit", "judge"}
        | {"sue", "sued", "sues"},
        "resignation": _forms("resign", "oust", "sack")
        | {"resignation", "quits", "quit", "steps down", "step down", "stepped down", "stepping down"}
        | {"parts ways"},
        "election": _forms("elect", "vote", "campaign", "poll")
        | {"election", "elections", "ballot", "referendum", "primary", "primaries", "caucus", "caucuses"}
        | {"electoral", "candidate", "candidates", "debate", "debates"},
        "diplomacy": _forms("negotiate", "mediate")
        | {"ceasefire", "cease-fire", "truce", "talks", "treaty", "summit", "peace", "negotiations"}
        | {"accord", "agreement", "deal"},
        "sanction": _forms("sanction", "ban", "boycott", "embargo") | {"banned"},
        "founding": _forms("launch", "establish", "unveil", "inaugurate") | {"foundation", "founded"},
        "discovery": _forms("discover") | {"discovery", "species", "researchers", "study", "scientists"},
        "law": _forms("legislate", "reform", "overhaul", "approve") | {"bill", "law", "laws", "legislation"},
        "economy": {"economy", "economic", "gdp", "recession", "inflation", "losses", "billion", "profit"}
        | {"profits", "stocks", "budget", "deficit", "debt"},
    }.items()
}
_CLASSES_OF: dict[str, frozenset[str]] = {}
for _name, _words in CLASSES.items():
    for _w in _words:
        _CLASSES_OF[_w] = _CLASSES_OF.get(_w, frozenset()) | {_name}
_WORD = re.compile(r"[a-z][a-z\-']*")


def event_classes(headline: str | None) -> frozenset[str]:
    """The event classes of a headline's trigger words (empty: no trigger, no evidence)."""
    if not headline:
        return frozenset()
    words = _WORD.findall(headline.lower())
    found: set[str] = set()
    for i, w in enumerate(words):
        found |= _CLASSES_OF.get(w, frozenset())
        if i + 1 < len(words):
            found |= _CLASSES_OF.get(w + " " + words[i + 1], frozenset())
    return frozenset(found)


def profile(counts: Counter[str], with_classes: int, share: float) -> frozenset[str]:
    """A story's event classes: those in at least ``share`` of its articles that have any (at least one
    article). ``counts``: class -> articles with it; ``with_classes``: articles with any class."""
    if not with_classes:
        return frozenset()
    need = max(1.0, share * with_classes)
    return frozenset(c for c, k in counts.items() if k >= need)


def clash(a: Iterable[str], b: Iterable[str]) -> bool:
    """Both sides say what happened and they say nothing in common (a death against a hacking)."""
    sa, sb = frozenset(a), frozenset(b)
    return bool(sa) and bool(sb) and not (sa & sb)
