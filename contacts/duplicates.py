"""Likely duplicates among contacts: the same e-mail, the same name in the same
organization, or names so alike (a typo, "Mueller" for "Müller") in the same organization.
Pure functions of plain values, used by the import and the duplicates page."""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

# Names at least this alike (difflib's ratio of the normalized full names) are "similar".
SIMILAR_NAMES = 0.85

_FOLD = str.maketrans({"ä": "ae", "ö": "oe", "ü": "ue", "ß": "ss"})


def name_normalize(first_name: str, last_name: str) -> str:
    """Case, accents, umlaut spellings and spacing do not tell two people apart."""
    text = f"{first_name} {last_name}".casefold().translate(_FOLD)
    text = unicodedata.normalize("NFKD", text)
    text = "".join(c for c in text if not unicodedata.combining(c))
    return " ".join(text.replace("-", " ").split())


def email_normalize(email: str) -> str:
    return email.strip().casefold()


def names_similar(a: str, b: str) -> bool:
    """Normalized full names that differ only a little."""
    if a == b:
        return True
    matcher = SequenceMatcher(None, a, b)
    return matcher.real_quick_ratio() >= SIMILAR_NAMES and matcher.ratio() >= SIMILAR_NAMES


@dataclass(frozen=True)
class Person:
    """What duplicate detection looks at."""

    id: int
    team_id: int
    name: str  # normalized
    email: str  # normalized
    organization_id: int | None


@dataclass(frozen=True)
class DuplicatePair:
    first: int
    second: int
    reason: str  # "email", "name" or "similar_name"


def duplicate_pairs(people: Iterable[Person]) -> list[DuplicatePair]:
    """Each pair of the same team once (lower id first), with the strongest reason."""
    by_email: dict[tuple[int, str], list[Person]] = defaultdict(list)
    by_org: dict[tuple[int, int], list[Person]] = defaultdict(list)
    for person in people:
        if person.email:
            by_email[(person.team_id, person.email)].append(person)
        if person.organization_id is not None:
            by_org[(person.team_id, person.organization_id)].append(person)
    found: dict[tuple[int, int], str] = {}

    def add(a: Person, b: Person, reason: str) -> None:
        key = (min(a.id, b.id), max(a.id, b.id))
        found.setdefault(key, reason)

    for group in by_email.values():
        for i, a in enumerate(group):
            for b in group[i + 1 :]:
                add(a, b, "email")
    for group in by_org.values():
        ordered: Sequence[Person] = sorted(group, key=lambda p: p.name)
        for i, a in enumerate(ordered):
            for b in ordered[i + 1 :]:
                if a.name == b.name:
                    add(a, b, "name")
                elif names_similar(a.name, b.name):
                    add(a, b, "similar_name")
    return [DuplicatePair(a, b, reason) for (a, b), reason in sorted(found.items())]
