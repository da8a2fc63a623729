"""Whose fact it is: the contact's own, or a relative's ("her husband is a big golf fan").

The words are data (`words/people.toml`). A fact belongs to the relative named nearest before
it in its sentence unless a subject pronoun ("she", "er") comes between; a relative named
inside the trigger ("lost his wife") or right after it ("Geburtstag des Ehemanns", "vegan
husband") wins. Facts about people outside the family (a boss, a colleague) are not kept.
"""

from __future__ import annotations

import re
from typing import Final

from contacts.extraction.facts import FieldValue
from contacts.extraction.segmentation import WORD, Span
from contacts.extraction.vocabulary import languages, load, phrases_pattern, trie_source

OTHER: Final = "other"
_VOCABULARY = load("people")
_RELATIVE: dict[str, str] = {
    word.lower(): person
    for person, table in _VOCABULARY["relatives"].items()
    for word in languages(table)
}
_NEEDS_POSSESSIVE = frozenset(w.lower() for w in _VOCABULARY["needs_possessive"]["words"])
_POSSESSIVES = frozenset(w.lower() for w in _VOCABULARY["needs_possessive"]["possessives"])
_CONTACT = frozenset(w.lower() for w in languages(_VOCABULARY["contact"]))
_OTHERS = frozenset(w.lower() for w in languages(_VOCABULARY["others"]))
_BIRTH_BECOMES: dict[str, str] = dict(_VOCABULARY["birth"]["becomes"])
_GIVES_BIRTH = phrases_pattern(_VOCABULARY["birth"]["gives_birth"])
_LINK_AFTER = frozenset(["of", "der", "des", "von", "vom", "the", "die", *_POSSESSIVES])
_CLAUSE_END = re.compile(r"[,;:.!?]|\s[\u2013\u2014-]\s")
PERSONS: tuple[str, ...] = tuple(_VOCABULARY["relatives"])
_CUES = frozenset([*_RELATIVE, *_CONTACT, *_OTHERS])
# Searched in the lower-cased sentence: a trie, not an alternation of every cue word.
_HINT = re.compile(r"(?<!\w)" + trie_source(_CUES))


def _bare(token: str) -> str:
    lower = token.lower()
    return lower[:-2] if lower.endswith(("'s", "\u2019s")) else lower


def _relative(words: list[str], index: int, *, opens: bool = False) -> str | None:
    word = _bare(words[index])
    person = _RELATIVE.get(word)
    if person is None:
        return None
    if word in _NEEDS_POSSESSIVE and not (index > 0 and words[index - 1].lower() in _POSSESSIVES):
        # Shorthand drops the possessive: "- Frau ist Vegetarierin", "Kinder spielen Tennis";
        # "Frau Weber" is a name.
        following = words[index + 1] if index + 1 < len(words) else ""
        if not (opens and index == 0 and following[:1].islower()):
            return None
    return person


def _named_in(fragment: str) -> str | None:
    words = WORD.findall(fragment)
    for index in range(len(words)):
        if _bare(words[index]) in _OTHERS:
            return OTHER
        person = _relative(words, index)
        if person is not None:
            return person
    return None


def _named_after(fragment: str) -> str | None:
    # Only within the clause: in "läuft Halbmarathon, ihr Mann kocht" the husband cooks.
    words = WORD.findall(_CLAUSE_END.split(fragment[:60], maxsplit=1)[0])[:4]
    index = 0
    while index < min(len(words), 2) and words[index].lower() in _LINK_AFTER:
        index += 1
    if index >= len(words):
        return None
    if _bare(words[index]) in _OTHERS:
        return OTHER  # "Geburtstagsfeier vom Chef"
    return _relative(words, index)


def _named_before(fragment: str, *, opens: bool) -> str | None:
    words = WORD.findall(fragment)
    for index in range(len(words) - 1, -1, -1):
        word = _bare(words[index])
        if word not in _CUES:
            continue
        if word in _CONTACT:
            return None
        if word in _OTHERS:
            return OTHER
        person = _relative(words, index, opens=opens)
        if person is not None:
            return person
    return None


def whose(text: str, sentence: Span, start: int, end: int, *, birth: bool = False) -> str | None:
    """The relative a fact at text[start:end] is about, None for the contact, or OTHER."""
    if not _HINT.search(sentence.text.lower()):
        return "child" if birth else None
    # A few characters before the trigger hold its possessive: "seine Frau verloren".
    named_in = _named_in(text[max(sentence.start, start - 8) : end])
    # The subject is near: a bounded look back keeps long notes linear.
    window = max(sentence.start, start - 200)
    before = None if named_in else _named_before(text[window:start], opens=window == sentence.start)
    person = named_in or _named_after(text[end : sentence.end]) or before
    if not birth:
        return person
    # A birth's person is the newborn: the contact becoming a father is a child's birth,
    # a daughter giving birth a grandchild's.
    if person is None or person == OTHER:
        return "child"
    if person in _BIRTH_BECOMES:
        return _BIRTH_BECOMES[person]
    gives_birth = _GIVES_BIRTH is not None and _GIVES_BIRTH.search(text[start : sentence.end])
    if person == "child" and before == "child" and gives_birth:
        return "grandchild"
    return person


def with_person(fields: dict[str, FieldValue], person: str | None) -> None:
    if person is not None:
        fields["person"] = person
