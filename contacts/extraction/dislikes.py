"""Dislike facts: an interest of the taxonomy named with an aversion ("can't stand golf",
"Mag keine Schokolade"). The phrases are data (`words/dislikes.toml`); the gift rules leave
out what a contact dislikes.
"""

from __future__ import annotations

import re

from contacts.extraction.facts import ExtractedFact, FieldValue
from contacts.extraction.people import OTHER, whose, with_person
from contacts.extraction.segmentation import Span, by_sentence, clauses
from contacts.extraction.taxonomy import Term
from contacts.extraction.vocabulary import alternation, folded, languages, load

_VOCABULARY = load("dislikes")
# The aversion ends at most two words before the interest ("hasst aber joggen").
_BEFORE = folded(
    re.compile(
        rf"(?<!\w){alternation(languages(_VOCABULARY['before']))}\s+(?:\S+\s+){{0,2}}$",
        re.IGNORECASE,
    )
)
_AFTER = folded(
    re.compile(
        rf"^\S*\s+(?:\S+\s+)?{alternation(languages(_VOCABULARY['after']))}(?!\w)", re.IGNORECASE
    )
)


# Any aversion phrase at all: most notes have none, and then no clause needs splitting.
_AVERSIONS = [*languages(_VOCABULARY["before"]), *languages(_VOCABULARY["after"])]
_ANY = folded(re.compile(rf"(?<!\w){alternation(_AVERSIONS)}", re.IGNORECASE))


def dislike_facts(
    text: str, sentences: list[Span], matches: list[tuple[int, int, Term]]
) -> list[ExtractedFact]:
    facts: list[ExtractedFact] = []
    if not matches or _ANY.search(text) is None:
        return facts
    for sentence, inside in zip(
        sentences, by_sentence(sentences, matches, lambda m: m[0]), strict=True
    ):
        if not inside:
            continue
        parts = clauses(sentence)
        for start, end, term in inside:
            clause = next((c for c in parts if c.start <= start < c.end), sentence)
            before = text[max(clause.start, start - 60) : start]
            after = text[end - 1 : min(clause.end, end + 60)]
            if not (_BEFORE.search(before) or _AFTER.match(after)):
                continue
            person = whose(text, sentence, start, end)
            if person == OTHER:
                continue
            fields: dict[str, FieldValue] = {"tag": term.tag}
            with_person(fields, person)
            facts.append(ExtractedFact("dislike", fields, False, sentence.text, start))
    return facts
