"""Reading a word with one typing slip as the vocabulary word it was meant to be.

"Geburstag", "tenis", "vegitarian", "allergish": notes are typed fast. A word of the text
one slip away from a vocabulary word (`words/spelling.toml` and the taxonomy's one-word
names) is replaced by it before the detectors read the note; the facts still quote the
note as written. Lookups are by deletion neighbourhoods, so a word costs a few dictionary
probes, not a comparison with every vocabulary word.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass

from contacts.extraction.segmentation import WORD
from contacts.extraction.vocabulary import load

_WORDS = load("spelling")
_KEEP = frozenset(_WORDS["keep"])
# A missing or doubled letter is a slip from six letters on, a changed or swapped one from
# eight: below that, real words lie one letter apart ("chest" and "chess").
_SHORTEST_GAP = 6
_SHORTEST_SWAP = 8
_CACHE_LIMIT = 100_000


def _deletions(word: str) -> set[str]:
    return {word[:i] + word[i + 1 :] for i in range(len(word))}


@dataclass(frozen=True, slots=True, eq=False)
class Speller:
    known: frozenset[str]
    # a vocabulary word with one letter missing -> the word
    missing: dict[str, str]
    # a long vocabulary word with one letter removed -> the word (changed or swapped letters
    # meet the typed word's own deletions here)
    changed: dict[str, str]
    cache: dict[str, str | None]
    # no word longer than this is one slip away from a vocabulary word
    longest: int

    @classmethod
    def build(cls, extra: Iterable[str] = ()) -> Speller:
        vocabulary = {w.lower() for w in [*_WORDS["words"], *extra] if w.isalpha() or "-" in w}
        missing: dict[str, str] = {}
        changed: dict[str, str] = {}
        for word in sorted(vocabulary):
            if len(word) < _SHORTEST_GAP:
                continue
            for deleted in _deletions(word):
                if deleted[:1] == word[:1] and deleted not in vocabulary:
                    missing.setdefault(deleted, word)
                    if len(word) >= _SHORTEST_SWAP:
                        changed.setdefault(deleted, word)
        longest = max((len(word) for word in vocabulary), default=0) + 1
        return cls(frozenset(vocabulary), missing, changed, {}, longest)

    def meant(self, lower: str) -> str | None:
        """The vocabulary word `lower` is one slip away from, or None."""
        if lower in self.cache:
            return self.cache[lower]
        found = self._meant(lower)
        if len(self.cache) > _CACHE_LIMIT:
            self.cache.clear()  # arbitrary input must not grow memory without bound
        self.cache[lower] = found
        return found

    def _meant(self, lower: str) -> str | None:
        if not _SHORTEST_GAP - 1 <= len(lower) <= self.longest:
            return None  # a megabyte-long "word" has a megabyte of deletions, each a megabyte long
        if lower in self.known or lower in _KEEP:
            return None
        found = self.missing.get(lower)
        if found is not None:
            return found
        for deleted in _deletions(lower):
            if deleted[:1] != lower[:1]:
                continue
            if deleted in self.known and len(deleted) >= _SHORTEST_GAP:
                return deleted  # a letter too many
            found = self.changed.get(deleted)
            if found is not None and len(found) == len(lower) and found != lower:
                return found
        return None


@dataclass(frozen=True, slots=True)
class Corrected:
    """The note with its slips mended, and how to map offsets back to the note as typed."""

    text: str
    # (offset in `text` where a shift starts, cumulative shift to add there)
    shifts: tuple[tuple[int, int], ...]

    def original(self, offset: int) -> int:
        index = bisect_right(self.shifts, (offset, 10**9)) - 1
        return offset if index < 0 else offset + self.shifts[index][1]


def corrected(text: str, speller: Speller) -> Corrected | None:
    """`text` with every slipped word replaced, or None when there is none."""
    parts: list[str] = []
    shifts: list[tuple[int, int]] = []
    last = 0
    shift = 0
    for match in WORD.finditer(text):
        token = match.group()
        if len(token) < _SHORTEST_GAP - 1 or token.isupper():
            continue
        meant = speller.meant(token.lower())
        if meant is None:
            continue
        if token[0].isupper():
            meant = meant[0].upper() + meant[1:]
        parts.append(text[last : match.start()])
        parts.append(meant)
        last = match.end()
        shift += len(token) - len(meant)
        shifts.append((match.start() - (shift - (len(token) - len(meant))) + len(meant), shift))
    if not parts:
        return None
    parts.append(text[last:])
    return Corrected("".join(parts), tuple(shifts))
