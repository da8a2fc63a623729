"""Constraint facts: dietary, religious and policy limits that rule gifts out or in.

Health tags (gluten_free, lactose_free, nut_allergy) and religious ones (halal, kosher) are
flagged sensitive; vegan, vegetarian, no_alcohol and no_gifts are not (see facts.py).
"""

from __future__ import annotations

import re

from contacts.extraction.facts import SENSITIVE_CONSTRAINTS, ExtractedFact, FieldValue
from contacts.extraction.people import OTHER, whose, with_person
from contacts.extraction.segmentation import Span, clauses
from contacts.extraction.vocabulary import alternation, languages, load, trie_source

_I = re.IGNORECASE
_NOT = r"(?:does\s*n[o'\u2019]?t|doesnt|don'?t|dont|did\s*n[o'\u2019]?t|never|no\s+longer|not)"

# Each pattern states the constraint itself, so "no"/"kein" inside it is not a negation.
_STATED: dict[str, re.Pattern[str]] = {
    "no_alcohol": re.compile(
        rf"\b(?:{_NOT}\s+drinks?(?:\s+any)?(?:\s+(?:alcohol|booze|spirits|anything|at\s+all))?"
        r"(?=\s*(?:[,.;!?)\u2013-]|$|\balcohol|\banything|\bat\s+all|\bany))|no\s+alcohol|"
        r"alcohol[-\s]?free|tee-?total\w*|non-?drinker|stopped\s+drinking|quit\s+drinking|"
        r"gave\s+up\s+(?:alcohol|drinking)|avoids?\s+alcohol|abstains?\b|"
        r"trinkt\s+(?:\S+\s+){0,2}?kein(?:en)?\s+alkohol|kein(?:en)?\s+alkohol|alkoholfrei\w*|"
        r"abstinent\w*|antialkoholiker\w*|trinkt\s+nicht(?=\s*(?:[,.;!?)]|$|mehr\b))|"
        r"trinkt\s+(?:\S+\s+){0,4}?nichts(?:\s+mehr)?(?=\s*(?:[,.;!?)]|$)))",
        _I,
    ),
    "vegan": re.compile(r"\b(?:vegan\w*|plant-based)\b", _I),
    "vegetarian": re.compile(
        rf"\b(?:vegetarian\w*|veggie|vegetarier\w*|vegetarisch\w*|{_NOT}\s+eats?\s+meat|"
        r"no\s+meat|isst\s+kein(?:en)?\s+fleisch|kein\s+fleisch)\b",
        _I,
    ),
    "gluten_free": re.compile(
        r"\b(?:gluten[-\s]?free|gluten[-\s]?intoleran\w*|c(?:o)?eliac|z[öo]liakie|"
        r"glutenfrei\w*|glutenunverträglich\w*|gluten-?unverträglich\w*|"
        r"(?:verträgt|isst|essen)\s+kein(?:en)?\s+gluten|(?:can'?t|cannot|doesn'?t)\s+"
        r"(?:eat|have|tolerate)\s+gluten|no\s+gluten|kein\s+gluten)\b",
        _I,
    ),
    "lactose_free": re.compile(
        r"\b(?:lactose[-\s]?(?:intoleran\w*|free)|dairy[-\s]?free|no\s+dairy|laktose\w*|"
        r"milchunverträglich\w*|verträgt\s+keine\s+milch\w*)\b",
        _I,
    ),
    "nut_allergy": re.compile(
        r"\b(?:(?:pea|hazel|wal|cashew\s?)?nuts?\s+all?er?g\w*|all?er?gic\s+to\s+(?:\w+\s+){0,2}?"
        r"(?:pea|hazel|wal)?nuts|all?er?gic\s+to\s+(?:almonds|cashews)|"
        r"(?:erd|hasel|wal)?nuss\w*?all?er?g\w*|all?er?gisch\s+(?:gegen|auf)\s+(?:\w+\s+)?"
        r"(?:erd|hasel|wal)?n[üu]ss\w*|keine\s+n[üu]sse|no\s+nuts)\b",
        _I,
    ),
    "halal": re.compile(
        rf"\b(?:halal|{_NOT}\s+eats?\s+pork|no\s+pork|(?:isst|esse|essen)\s+kein(?:en)?\s+"
        r"schweinefleisch|kein\s+schweinefleisch|ohne\s+schweinefleisch)\b",
        _I,
    ),
    "kosher": re.compile(r"\b(?:kosher|koscher\w*)\b", _I),
    "no_gifts": re.compile(
        r"\b(?:no\s+gifts?\b(?!\s+(?:above|over|exceeding|worth|of\s+more|more\s+than))|"
        r"(?:can'?t|cannot|can\s+not|not\s+allowed\s+to|may\s+not|must\s+not|is\s*n'?t\s+"
        r"allowed\s+to|not\s+permitted\s+to|unable\s+to)\s+accept\s+(?:any\s+)?gifts?|"
        r"gifts?\s+(?:are\s+)?(?:not\s+allowed|forbidden|prohibited|not\s+permitted)|"
        r"gift\s+ban|no-gifts?\s+policy|"
        r"(?:darf|dürfen|kann|können)\s+(?:\S+\s+){0,2}?keine\s+geschenke|"
        r"keine\s+geschenke\b(?!\s+(?:über|ab|mehr\s+als|im\s+wert))|"
        r"geschenke\s+(?:sind\s+)?(?:tabu|verboten|nicht\s+erlaubt|untersagt|nicht\s+gestattet)|"
        r"geschenkverbot|keine\s+zuwendungen)",
        _I,
    ),
}
_WORDS = load("constraints")
_STATED = {
    tag: (
        re.compile(
            rf"(?:{pattern.pattern})|(?<!\w){alternation(languages(_WORDS['stated'][tag]))}(?!\w)",
            pattern.flags,
        )
        if tag in _WORDS["stated"]
        else pattern
    )
    for tag, pattern in _STATED.items()
}
_NO_LONGER = re.compile(
    rf"(?<!\w){alternation(languages(_WORDS['no_longer']))}\s+(?:\w+\s+){{0,2}}$", _I
)
# Positive statements ("vegan", "halal") can be negated: "not vegetarian anymore".
_NEGATABLE = frozenset({"vegan", "vegetarian", "halal", "kosher", "gluten_free", "lactose_free"})
_NEGATION = re.compile(
    r"\b(?:not|no\s+longer|never|kein\w*|nicht|nie|isn'?t|wasn'?t|no)\s+(?:\w+\s+){0,2}$", _I
)
_HINTS = (
    "drink",
    "alcohol",
    "alkohol",
    "trink",
    "vegan",
    "veget",
    "veggie",
    "meat",
    "fleisch",
    "gluten",
    "liac",
    "liakie",
    "lactose",
    "laktose",
    "dairy",
    "milch",
    "nut",
    "nuss",
    "nüss",
    "halal",
    "pork",
    "schwein",
    "kosher",
    "koscher",
    "gift",
    "geschenk",
    "zuwendung",
    "teetotal",
    "abstain",
    "abstinent",
    "plant-based",
    "pflanzlich",
    "tropfen",
    "weizen",
    "wheat",
)
_ANY_HINT = re.compile(trie_source(_HINTS))


def constraint_facts(text: str, sentence: Span) -> list[ExtractedFact]:
    lower = sentence.text.lower()
    if _ANY_HINT.search(lower) is None:
        return []
    facts: list[ExtractedFact] = []
    parts: list[Span] | None = None
    for tag, pattern in _STATED.items():
        for match in pattern.finditer(sentence.text):
            start = sentence.start + match.start()
            if tag in _NEGATABLE:
                parts = parts if parts is not None else clauses(sentence)
                clause = next((c for c in parts if c.start <= start < c.end), sentence)
                if _NEGATION.search(text[clause.start : start]) or _NO_LONGER.search(
                    text[clause.start : start]
                ):
                    continue
            person = whose(text, sentence, start, sentence.start + match.end())
            if person == OTHER:
                break
            fields: dict[str, FieldValue] = {"tag": tag}
            with_person(fields, person)
            facts.append(
                ExtractedFact(
                    "constraint", fields, tag in SENSITIVE_CONSTRAINTS, sentence.text, start
                )
            )
            break
    vegan = {fact.fields.get("person") for fact in facts if fact.fields["tag"] == "vegan"}
    # A vegan eats no meat and no dairy: "vegan - no meat, no dairy" is one constraint.
    return [
        fact
        for fact in facts
        if not (fact.fields["tag"] in _WITHIN_VEGAN and fact.fields.get("person") in vegan)
    ]


_WITHIN_VEGAN = frozenset({"vegetarian", "lactose_free"})
