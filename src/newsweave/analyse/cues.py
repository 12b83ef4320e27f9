"""Reporting words: the cue verbs and phrases that introduce attributed speech, thoughts and claims.

Lemmas, grouped by how their content is found. ``CLAUSE_CUES`` take a complement clause ("said that ...",
"insisted ..."); ``OBJECT_CUES`` may carry their content as an object ("accused Zelenskyy of ...",
"called them 'deplorables'"). ``SURFACE`` lists the inflected forms used to pick the sentences worth a parse.
"""

from __future__ import annotations

# fmt: off
SPEECH = {
    "accuse", "acknowledge", "add", "admit", "advise", "agree", "allege", "announce", "answer", "appear",
    "applaud", "argue", "ask", "assert", "assume", "assure", "attack", "believe", "blast",
    "boast", "brand", "call", "caution", "charge", "cite", "claim", "clarify", "comment", "complain",
    "concede", "conclude", "concur", "condemn", "confirm", "contend", "continue", "counter", "criticise",
    "criticize", "decide", "declare", "decline", "decry", "defend", "demand", "deny", "describe",
    "disclose", "dismiss", "doubt", "dub", "emphasise", "emphasize", "endorse", "estimate", "exclaim",
    "expect", "explain", "express", "favor", "favour", "fear", "feel", "find", "forecast", "guess", "hint",
    "hope", "imply", "indicate", "inform", "insinuate", "insist", "intend", "joke", "know", "label",
    "lament", "learn", "maintain", "mention", "mock", "muse", "note", "observe", "offer", "oppose", "plan",
    "pledge", "point", "post", "praise", "predict", "promise", "propose", "publish", "question", "quip",
    "realise", "realize", "recall", "recognise", "recognize", "recommend", "refer", "refuse", "reiterate",
    "reject", "remark", "repeat", "reply", "report", "respond", "retort", "reveal", "say", "scream", "seem",
    "shout", "show", "signal", "slam", "speculate", "state", "stress", "suggest", "support", "tell",
    "testify", "thank", "think", "threaten", "tout", "tweet", "understand", "urge", "vow", "want", "warn",
    "welcome", "whisper", "wonder", "worry", "write", "yell"
}
# verbs whose content is often an object or an object plus "of/for ..." rather than a clause
OBJECT_CUES = {
    "accuse", "acknowledge", "announce", "applaud", "ask", "attack", "blast", "brand", "call", "cite",
    "condemn", "confirm", "criticise", "criticize", "decline", "decry", "defend", "demand", "deny",
    "describe", "disclose", "dismiss", "dub", "endorse", "estimate", "express", "favor", "favour", "intend",
    "label", "mention", "mock", "offer", "oppose", "plan", "pledge", "point", "praise", "predict",
    "promise", "propose", "question", "recommend", "refer", "refuse", "reject", "reveal", "slam", "support",
    "thank", "tout", "urge", "want", "warn", "welcome"
}
# verbs that only count as cues with a clause or a quotation (too common otherwise)
CLAUSE_ONLY = {
    "add", "agree", "appear", "assume", "believe", "conclude", "continue", "decide", "doubt", "expect",
    "fear", "feel", "find", "guess", "hope", "imply", "know", "learn", "note", "observe", "post", "publish",
    "realise", "realize", "recognise", "recognize", "report", "seem", "show", "think", "understand",
    "worry", "write"
}
# the core speech verbs: a quotation next to them is theirs even without a parse link
STRONG = {
    "acknowledge", "add", "admit", "announce", "answer", "argue", "ask", "assert", "boast", "caution",
    "claim", "comment", "complain", "concede", "conclude", "confirm", "continue", "counter", "declare",
    "deny", "emphasise", "emphasize", "exclaim", "explain", "indicate", "insist", "joke", "lament",
    "mention", "muse", "note", "observe", "post", "predict", "promise", "quip", "recall", "reiterate",
    "remark", "repeat", "reply", "respond", "retort", "say", "shout", "state", "stress", "suggest", "tell",
    "tweet", "urge", "vow", "warn", "wonder", "write"
}
# role nouns that may stand for a person named earlier ("the mayor said")
ROLE_NOUNS = {
    "adviser", "advisor", "aide", "ambassador", "attorney", "candidate", "ceo", "chairman",
    "chairwoman", "chancellor", "chief", "coach", "commander", "congressman", "congresswoman",
    "director", "envoy", "founder", "general", "governor", "judge", "king", "lawyer", "leader", "manager",
    "mayor", "minister", "nominee", "officer", "official", "premier", "president", "prince", "prosecutor",
    "queen", "representative", "secretary", "senator", "sheriff", "speaker", "spokesman", "spokesperson",
    "spokeswoman", "commissioner", "inspector", "superintendent", "detective", "coroner", "principal",
    "councillor", "councilman", "councilwoman", "bishop", "archbishop", "cardinal", "pastor", "rabbi",
    "imam", "treasurer", "chairperson", "captain", "striker", "goalkeeper"
}
PERSON_PRONOUNS = {"he", "she", "him", "her", "his", "hers", "who", "whom"}
# things that can say, find or claim: the antecedent of "which"/"that" before a cue speaks only when it is one
# of these ("the report, which found ...", "a militant group which has demanded ..."); other things ("a visit
# which aims to express ...", "an earlier ceasefire which offered ...") are no speaker. Written from the
# relative clauses of the 369 galaxy articles (docs/quality.md)
SOURCE_NOUNS = {
    "report", "statement", "study", "survey", "poll", "letter", "document", "memo", "ruling", "resolution",
    "verdict", "judgment", "judgement", "decision", "law", "bill", "convention", "declaration", "treaty",
    "proposal", "article", "story", "book", "paper", "newspaper", "magazine", "journal", "website", "site",
    "blog", "tweet", "message", "video", "broadcast", "inquiry", "investigation", "review", "analysis",
    "audit", "assessment", "commission", "committee", "council", "court", "panel", "board", "agency",
    "ministry", "department", "office", "government", "administration", "military", "army", "navy",
    "police", "party", "group", "organisation", "organization", "company", "firm", "bank", "union",
    "association", "league", "club", "campaign", "network", "channel", "station", "embassy", "church",
    "movement", "coalition", "alliance", "charity", "foundation", "institute", "university", "museum",
    "authority", "service", "body", "parliament", "congress", "senate", "cabinet", "regime", "team",
    "newsletter", "broadcaster", "agreement", "charter", "constitution", "guideline", "guidance", "rule"
}
# fmt: on


def _forms(lemma: str) -> set[str]:
    out = {lemma, lemma + "s", lemma + "ing", lemma + ("d" if lemma.endswith("e") else "ed")}
    if lemma.endswith("e"):
        out.add(lemma[:-1] + "ing")
    if lemma.endswith("y"):
        out.update({lemma[:-1] + "ies", lemma[:-1] + "ied"})
    if lemma.endswith(("sh", "ch", "ss", "x")):
        out.add(lemma + "es")
    if len(lemma) > 2 and lemma[-1] not in "aeiouwxy" and lemma[-2] in "aeiou" and lemma[-3] not in "aeiou":
        out.update({lemma + lemma[-1] + "ed", lemma + lemma[-1] + "ing"})  # admitted, planning
    return out


_IRREGULAR = {
    "said": "say", "told": "tell", "wrote": "write", "written": "write", "thought": "think", "knew": "know",
    "known": "know", "found": "find", "shown": "show", "felt": "feel", "understood": "understand",
    "learnt": "learn", "forecast": "forecast", "according": "according",
}  # fmt: skip
# surface form -> lemma, for the reporting verbs only (the lemmatizer pipe is not needed)
LEMMAS: dict[str, str] = {f: lemma for lemma in sorted(SPEECH) for f in _forms(lemma)}
LEMMAS.update(_IRREGULAR)
SURFACE: frozenset[str] = frozenset(LEMMAS)
STRONG_SURFACE: frozenset[str] = frozenset(
    f for f, lemma in LEMMAS.items() if lemma in STRONG or lemma == "according"
)
