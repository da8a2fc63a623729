"""The interest taxonomy compiled for matching: every name and synonym stemmed per language.

Built once from whatever tags the admins maintain (`Taxonomy.build`), then shared read-only.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from dataclasses import dataclass

import Stemmer

from contacts.extraction.facts import Language, TagTerms
from contacts.extraction.segmentation import WORD
from contacts.extraction.spelling import Speller
from contacts.extraction.vocabulary import load

_LANGUAGES: tuple[Language, ...] = ("en", "de")
_local = threading.local()
_stem_cache: dict[tuple[str, str], str] = {}
_STEM_CACHE_LIMIT = 200_000

_WORDS = load("interests")
# Words that name an interest only when the note shows liking for it (words/interests.toml).
_NEEDS_AFFINITY: dict[str, frozenset[str]] = {
    language: frozenset(w.lower() for w in _WORDS["needs_affinity"][language])
    for language in _LANGUAGES
}
_FORMS: dict[str, dict[str, list[str]]] = _WORDS["forms"]


def stem(word: str, language: Language) -> str:
    """Snowball stem of a lower-case word (thread-safe, cached)."""
    key = (language, word)
    cached = _stem_cache.get(key)
    if cached is not None:
        return cached
    stemmers: dict[str, Stemmer.Stemmer] | None = getattr(_local, "stemmers", None)
    if stemmers is None:
        stemmers = {"en": Stemmer.Stemmer("english"), "de": Stemmer.Stemmer("german")}
        _local.stemmers = stemmers
    result: str = stemmers[language].stemWord(word)
    if len(_stem_cache) > _STEM_CACHE_LIMIT:
        _stem_cache.clear()  # arbitrary input must not grow memory without bound
    _stem_cache[key] = result
    return result


@dataclass(frozen=True, slots=True)
class Term:
    tag: str
    language: Language
    stems: tuple[str, ...]
    surface: str  # the term as written by the admin, lower case
    needs_affinity: bool


@dataclass(frozen=True, slots=True, eq=False)
class Taxonomy:
    """Immutable compiled taxonomy; build with `Taxonomy.build`, reuse across calls."""

    slugs: tuple[str, ...]
    # first stem -> candidate terms, longest first
    index: dict[Language, dict[str, tuple[Term, ...]]]
    # lower-case single words and stems (>= 4 letters) that may open a German compound
    compound_heads: dict[str, Term]
    # German stems (>= 5 letters) that may close a compound ("Volksmusik", "Tischtennis")
    compound_tails: dict[str, Term]
    # typing slips of the taxonomy's one-word names and of the trigger words
    speller: Speller

    @classmethod
    def build(cls, tags: Iterable[TagTerms]) -> Taxonomy:
        slugs: list[str] = []
        collected: dict[Language, dict[str, list[Term]]] = {lang: {} for lang in _LANGUAGES}
        heads: dict[str, Term] = {}
        tails: dict[str, Term] = {}
        seen: set[tuple[Language, tuple[str, ...]]] = set()
        single_words: set[str] = set()
        for tag in tags:
            slugs.append(tag.slug)
            forms = _FORMS.get(tag.slug, {})
            by_language: dict[Language, list[str]] = {
                "en": [
                    tag.name_en,
                    *tag.synonyms_en,
                    tag.slug.replace("_", " "),
                    *forms.get("en", ()),
                ],
                "de": [tag.name_de, *tag.synonyms_de, *forms.get("de", ())],
            }
            for language, phrases in by_language.items():
                for phrase in phrases:
                    words = [w.lower() for w in WORD.findall(phrase)]
                    if not words:
                        continue
                    stems = tuple(stem(w, language) for w in words)
                    if (language, stems) in seen:
                        continue  # first tag to claim a term keeps it
                    seen.add((language, stems))
                    weak = len(words) == 1 and words[0] in _NEEDS_AFFINITY[language]
                    term = Term(tag.slug, language, stems, " ".join(words), weak)
                    collected[language].setdefault(stems[0], []).append(term)
                    if len(words) == 1:
                        single_words.add(words[0])
                        for key in {words[0], stems[0]}:
                            if len(key) >= 4:
                                heads.setdefault(key, term)
                        if language == "de" and len(stems[0]) >= 5:
                            tails.setdefault(stems[0], term)
        index = {
            lang: {
                first: tuple(sorted(terms, key=lambda t: len(t.stems), reverse=True))
                for first, terms in table.items()
            }
            for lang, table in collected.items()
        }
        return cls(tuple(slugs), index, heads, tails, Speller.build(single_words))


def taxonomy_from_seed() -> Taxonomy:
    """The shipped seed taxonomy, for tests, the benchmark and the first migration."""
    from contacts.taxonomy_seed import SEED_TAGS

    return Taxonomy.build(
        TagTerms(
            slug=tag["slug"],
            name_en=tag["name_en"],
            name_de=tag["name_de"],
            synonyms_en=tuple(tag["synonyms_en"]),
            synonyms_de=tuple(tag["synonyms_de"]),
        )
        for tag in SEED_TAGS
    )
