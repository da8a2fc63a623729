"""Word lists of the extractor, kept as data in `words/*.toml` and compiled once at import.

A phrase is plain words separated by spaces; `…` stands for up to three words of any kind,
`…:` for up to three words and a colon, and a trailing `*` for any word ending ("leitet*" is
"leitet", "leiteten"). The code holds the grammar, the files hold the words: a maintainer adds
a phrase without touching a regex.
"""

from __future__ import annotations

import re
import sys
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from functools import cache
from pathlib import Path
from typing import Any

WORDS_DIR = Path(__file__).with_name("words")
_GAP = r"(?:\S+\s+){0,3}?"
# `…:` is up to three words and a colon: "neue Funktion ab Jänner: Leiter IT".
_GAP_COLON = r"(?:\S+\s+){0,2}?[^\s:]*:"


@cache
def load(name: str) -> Mapping[str, Any]:
    """The parsed `words/<name>.toml`."""
    with (WORDS_DIR / f"{name}.toml").open("rb") as file:
        return tomllib.load(file)


def phrase_source(phrase: str) -> str:
    parts: list[str] = []
    for word in phrase.split():
        if word == "…":
            parts.append(_GAP)
            continue
        if word == "…:":
            parts.append(_GAP_COLON)
            continue
        open_end = word.endswith("*")
        body = re.escape(word.rstrip("*")).replace("'", "['\u2019]?")
        parts.append(body + (r"\w*" if open_end else "") + r"\s+")
    source = "".join(parts)
    if source.endswith(r"\s+"):
        source = source[: -len(r"\s+")]
    return source.replace(_GAP + r"\s+", _GAP).replace(_GAP_COLON + r"\s+", _GAP_COLON)


def alternation(phrases: Iterable[str]) -> str:
    """Regex source matching any of `phrases`, longest first (never matches when empty)."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    if not ordered:
        return r"(?!x)x"
    return "(?:" + "|".join(phrase_source(phrase) for phrase in ordered) + ")"


def trie_source(words: Iterable[str]) -> str:
    """Regex source matching any of the literal `words`, the longest one where several start at
    the same place, built as a trie ("geburt(?:stag)?"): `re` tries an alternation branch by
    branch, so a flat alternation of hundreds of words costs hundreds of tries per position,
    a trie one per character."""
    root: dict[str, Any] = {}
    for word in words:
        node = root
        for char in word:
            node = node.setdefault(char, {})
        node[""] = {}

    def emit(node: Mapping[str, Any]) -> str:
        branches = [re.escape(char) + emit(child) for char, child in sorted(node.items()) if char]
        if not branches:
            return ""
        inner = branches[0] if len(branches) == 1 else "(?:" + "|".join(branches) + ")"
        return f"(?:{inner})?" if "" in node else inner

    return emit(root)


def phrases_pattern(phrases: Iterable[str]) -> re.Pattern[str] | None:
    """One case-insensitive pattern matching any of `phrases` as whole words."""
    phrases = list(phrases)
    if not phrases:
        return None
    return re.compile(rf"(?<!\w){alternation(phrases)}(?!\w)", re.IGNORECASE)


def hints(phrases: Iterable[str]) -> tuple[str, ...]:
    """Lower-case fragments that any text containing one of `phrases` contains."""
    found: set[str] = set()
    for phrase in phrases:
        # The longest word is the rarest: "welt" says more than "zur" about "zur Welt".
        literal = [w.rstrip("*").lower() for w in phrase.split() if w not in {"…", "…:"}]
        if literal:
            found.add(max(literal, key=len))
    return tuple(sorted(found))


def languages(table: Mapping[str, Any]) -> list[str]:
    """All phrases of a `{en = [...], de = [...]}` table."""
    return [phrase for language in ("en", "de") for phrase in table.get(language, ())]


_HEX_DIGITS = {"x": 2, "u": 4, "U": 8}


# The text last lower-cased and its lower case: the patterns of one sentence are tried one
# after another on the same string, which is then lowered once. A tuple, swapped whole, so
# a thread never pairs one text with another's lower case.
_last_lowered: tuple[str, str] = ("", "")


def _lowered(text: str) -> str:
    global _last_lowered
    last = _last_lowered
    if last[0] is text:
        return last[1]
    lower = text.lower()
    _last_lowered = (text, lower)
    return lower


def _lower_source(source: str) -> str:
    """`source` with its literal letters in lower case; escapes ("\\S", "\\W") and group
    syntax ("(?P<name>") kept as written."""
    out: list[str] = []
    index = 0
    while index < len(source):
        char = source[index]
        if char == "\\":
            escape = source[index : index + 2 + _HEX_DIGITS.get(source[index + 1 : index + 2], 0)]
            if escape[1:2] == "N" or (
                escape[1:2] in _HEX_DIGITS
                and chr(int(escape[2:], 16)).lower() != chr(int(escape[2:], 16))
            ):
                raise ValueError(f"a folded pattern escapes no capital letter: {escape!r}")
            out.append(escape)
            index += len(escape)
            continue
        if source.startswith(("(?P<", "(?P="), index):
            out.append(source[index : index + 4])
            index += 4
            continue
        out.append(char.lower())
        index += 1
    return "".join(out)


class Folded:
    """A case-insensitive pattern that first tries the lower-cased text case-sensitively.

    `re` compares every character case-insensitively under IGNORECASE, which makes a wide
    alternation several times slower; most sentences do not match at all, and for those the
    lower-cased try is the whole cost. Where it does match, the pattern itself is matched at
    that place, so groups quote the text as written. Text whose lower-case form has another
    length (a rare ligature or dotted capital I) is read by the pattern alone.
    """

    __slots__ = ("_lower", "pattern")

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern
        self._lower = re.compile(_lower_source(pattern.pattern), pattern.flags & ~re.IGNORECASE)

    def search(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        lower = _lowered(text)
        if len(lower) != len(text):
            return self.pattern.search(text, pos, endpos)
        found = self._lower.search(lower, pos, endpos)
        if found is None:
            return None
        return self.pattern.match(text, found.start(), endpos) or self.pattern.search(
            text, found.start(), endpos
        )

    def match(self, text: str, pos: int = 0, endpos: int = sys.maxsize) -> re.Match[str] | None:
        lower = _lowered(text)
        if len(lower) == len(text) and self._lower.match(lower, pos, endpos) is None:
            return None
        return self.pattern.match(text, pos, endpos)

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        lower = _lowered(text)
        if len(lower) != len(text):
            return self.pattern.finditer(text)
        first = self._lower.search(lower)
        if first is None:
            return iter(())
        return self._matches(text, lower, first.start())

    def _matches(self, text: str, lower: str, start: int) -> Iterator[re.Match[str]]:
        end = 0
        for found in self._lower.finditer(lower, start):
            if found.start() < end:
                continue
            match = self.pattern.match(text, found.start())
            if match is not None:
                end = match.end() if match.end() > match.start() else match.end() + 1
                yield match


def folded(pattern: re.Pattern[str]) -> Folded:
    """`pattern` (compiled with IGNORECASE) read through its lower-cased twin first."""
    if not pattern.flags & re.IGNORECASE:
        raise ValueError("only a case-insensitive pattern can be folded")
    return Folded(pattern)
