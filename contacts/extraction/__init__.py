"""Bilingual (English/German) fact extraction from account managers' observations.

taxonomy = Taxonomy.build(tags)            # once; immutable, shareable
extract(text, noted_on=day, taxonomy=taxonomy, language=None).facts
"""

from contacts.extraction.dates import DateMention, find_dates
from contacts.extraction.extractor import extract
from contacts.extraction.facts import (
    ANNIVERSARY_SUBJECTS,
    CONSTRAINT_TAGS,
    FACT_KINDS,
    LIFE_EVENTS,
    ExtractedFact,
    Extraction,
    FactKind,
    Language,
    TagTerms,
)
from contacts.extraction.language import detect_language
from contacts.extraction.taxonomy import Taxonomy, taxonomy_from_seed

__all__ = [
    "ANNIVERSARY_SUBJECTS",
    "CONSTRAINT_TAGS",
    "FACT_KINDS",
    "LIFE_EVENTS",
    "DateMention",
    "ExtractedFact",
    "Extraction",
    "FactKind",
    "Language",
    "TagTerms",
    "Taxonomy",
    "detect_language",
    "extract",
    "find_dates",
    "taxonomy_from_seed",
]
