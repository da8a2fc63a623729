"""The `extract` entry point: one observation's text and date in, its facts out.

Pure: no clock, no database, no Django. Safe to call from any thread with a shared Taxonomy.
"""

from __future__ import annotations

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
    return Extraction(detected, tuple(unique))
