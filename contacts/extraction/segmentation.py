"""Splitting observation text into sentences, clauses and word tokens, keeping offsets.

Every detector works on these spans so a fact can quote its sentence as evidence.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import TypeVar

from contacts.extraction.vocabulary import folded

_Item = TypeVar("_Item")

# Abbreviations after which a full stop does not end a sentence (lower case, no dot).
_ABBREVIATIONS = frozenset(
    [
        "dr",
        "hr",
        "fr",
        "mr",
        "mrs",
        "ms",
        "st",
        "nr",
        "no",
        "bzw",
        "ca",
        "etc",
        "ggf",
        "evtl",
        "inkl",
        "usw",
        "vgl",
        "z",
        "b",
        "u",
        "a",
        "geb",
        "tel",
        "abt",
        "prof",
        "dipl",
        "ing",
        "jan",
        "feb",
        "mar",
        "mär",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "okt",
        "oct",
        "nov",
        "dez",
        "dec",
        "esp",
        "acc",
        "approx",
        "incl",
        "e",
        "g",
        "i",
        "resp",
        "vs",
        "min",
        "max",
    ]
)
_SENTENCE_END = re.compile(r"[.!?;\n]+")
_CLAUSE_BREAK = folded(
    re.compile(
        r"[,:()\[\]/|]|\s[\u2013\u2014-]\s|\s(?:but|however|though|although|whereas|while|sondern|dafür|"
        r"obwohl|während)\b|(?<!t)\s(?:aber|jedoch|doch|allerdings)\b",
        re.IGNORECASE,
    )
)
# "and"/"und" only ends a clause when a new verb follows ("hates golf and loves tennis").
_AND_VERB = folded(
    re.compile(
        r"\s(?:and|und|or|oder|then|dann)\s+(?=(?:also\s+|auch\s+|really\s+|still\s+)?"
        r"(?:loves?|likes?|enjoys?|prefers?|plays?|drinks?|eats?|is|has|goes|reads|collects|hikes|"
        r"runs|rides|sails|skis|cooks|bakes|owns|watches|listens|travels|hates|dislikes|does|"
        r"doesn'?t|was|will|mag|mögen|liebt|lieben|spielt|trinkt|isst|ist|hat|geht|liest|sammelt|"
        r"wandert|läuft|fährt|segelt|kocht|backt|reist|hört|hasst|bevorzugt|interessiert|schaut|war|"
        r"wird|fotografiert|angelt|besitzt|macht|jetzt|now|just|got|gets)\b)",
        re.IGNORECASE,
    )
)
WORD = re.compile(r"[^\W_]+(?:['\u2019][^\W\d_]+)?")


@dataclass(frozen=True, slots=True)
class Span:
    start: int
    end: int
    text: str


def _ends_sentence(text: str, dot: int) -> bool:
    """Whether the full stop at `dot` ends a sentence (not an ordinal, date or abbreviation)."""
    before = text[max(0, dot - 12) : dot]
    word = re.search(r"([^\W_]+)$", before)
    if word is None:
        return True
    token = word.group(1)
    if token.isdigit():
        # "3. März", "14.06.", "seinen 60. Geburtstag": German ordinals and dates.
        return False
    return not (token.lower() in _ABBREVIATIONS or len(token) == 1)


def sentences(text: str) -> list[Span]:
    spans: list[Span] = []
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and len(match.group()) == 1:
            if not _ends_sentence(text, match.start()):
                continue
            following = text[match.end() : match.end() + 2]
            if following[:1].isalnum():
                continue  # "z.B", "e.g" without spaces, decimal numbers
        _append(text, start, match.end(), spans)
        start = match.end()
    _append(text, start, len(text), spans)
    return spans


def clauses(sentence: Span) -> list[Span]:
    """Split a sentence at commas, dashes and contrastive conjunctions."""
    cuts = [0]
    for pattern in (_CLAUSE_BREAK, _AND_VERB):
        for match in pattern.finditer(sentence.text):
            cuts.append(match.start())
    cuts.append(len(sentence.text))
    cuts.sort()
    spans: list[Span] = []
    for left, right in pairwise(cuts):
        _append(sentence.text, left, right, spans, offset=sentence.start)
    return spans


def _append(text: str, start: int, end: int, spans: list[Span], offset: int = 0) -> None:
    piece = text[start:end]
    stripped = piece.strip(" \t\r\n.;!?\u2013\u2014-,")
    if not stripped:
        return
    lead = piece.index(stripped)
    spans.append(Span(offset + start + lead, offset + start + lead + len(stripped), stripped))


def by_sentence(
    spans: Sequence[Span], items: Sequence[_Item], start: Callable[[_Item], int]
) -> list[list[_Item]]:
    """`items` grouped by the sentence their start lies in, in one pass (no scan of all items
    per sentence, so a long note stays linear)."""
    starts = [span.start for span in spans]
    groups: list[list[_Item]] = [[] for _ in spans]
    for item in items:
        offset = start(item)
        index = bisect_right(starts, offset) - 1
        if index >= 0 and offset < spans[index].end:
            groups[index].append(item)
    return groups
