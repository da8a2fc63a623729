"""The `extract` entry point: one observation's text and date in, its facts out.

Pure: no clock, no database, no Django. Safe to call from any thread with a shared Taxonomy.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Literal

from contacts.extraction.constraints import constraint_facts
from contacts.extraction.dates import find_dates
from contacts.extraction.dislikes import dislike_facts
from contacts.extraction.events import dated_facts
from contacts.extraction.facts import ExtractedFact, Extraction, Language
from contacts.extraction.interests import interest_facts, term_matches
from contacts.extraction.language import detect_language
from contacts.extraction.segmentation import by_sentence, sentences
from contacts.extraction.spelling import Corrected, corrected
from contacts.extraction.taxonomy import Taxonomy


def extract(
    text: str,
    noted_on: date,
    taxonomy: Taxonomy,
    language: Language | Literal["auto"] | None = None,
) -> Extraction:
    """Facts stated in one observation, in text order, without duplicates."""
    detected: Language = language if language == "en" or language == "de" else detect_language(text)
    if not text.strip():
        return Extraction(detected, ())
    mended = corrected(text, taxonomy.speller)
    facts = _facts(text if mended is None else mended.text, noted_on, taxonomy, detected)
    if mended is not None:
        facts = [_as_typed(fact, text, mended) for fact in facts]
    return Extraction(detected, tuple(facts))


# Fields that quote the note: a milestone's label, a role's title.
_QUOTED = ("label", "title")


def _as_typed(fact: ExtractedFact, typed: str, mended: Corrected) -> ExtractedFact:
    """`fact` quoting the sentence, the label and the title as the note has them, slips
    included ("golive 10.1." is the milestone "golive", read as "go-live")."""
    for span in sentences(mended.text):
        if span.start <= fact.position < span.end or span.text == fact.evidence:
            evidence = typed[mended.original(span.start) : mended.original(span.end)]
            fields = dict(fact.fields)
            for name in _QUOTED:
                value = fields.get(name)
                at = mended.text.find(value, span.start, span.end) if isinstance(value, str) else -1
                if isinstance(value, str) and value and at >= 0:
                    fields[name] = typed[mended.original(at) : mended.original(at + len(value))]
            return replace(
                fact, fields=fields, evidence=evidence, position=mended.original(fact.position)
            )
    return fact


def _facts(
    text: str, noted_on: date, taxonomy: Taxonomy, detected: Language
) -> list[ExtractedFact]:
    spans = sentences(text)
    mentions = find_dates(text, noted_on)
    facts: list[ExtractedFact] = []
    for sentence, inside in zip(
        spans, by_sentence(spans, mentions, lambda m: m.start), strict=True
    ):
        facts.extend(dated_facts(text, sentence, inside, noted_on))
        facts.extend(constraint_facts(text, sentence))
    matches = term_matches(text, taxonomy, detected)
    dislikes = dislike_facts(text, spans, matches)
    disliked = {(fact.evidence, fact.fields["tag"], fact.fields.get("person")) for fact in dislikes}
    facts.extend(dislikes)
    facts.extend(
        fact
        for fact in interest_facts(text, spans, matches)
        if (fact.evidence, fact.fields["tag"], fact.fields.get("person")) not in disliked
    )
    facts.sort(key=lambda fact: fact.position)
    unique: list[ExtractedFact] = []
    seen: set[tuple[str, tuple[tuple[str, object], ...]]] = set()
    for fact in facts:
        key = (fact.kind, tuple(sorted(fact.fields.items())))
        if key not in seen:
            seen.add(key)
            unique.append(fact)
    return unique
