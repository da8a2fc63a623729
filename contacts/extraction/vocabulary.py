"""Word lists of the extractor, kept as data in `words/*.toml` and compiled once at import.

A phrase is plain words separated by spaces; `…` stands for up to three words of any kind
and a trailing `*` for any word ending ("leitet*" is "leitet", "leiteten"). The code holds
the grammar, the files hold the words: a maintainer adds a phrase without touching a regex.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from functools import cache
from pathlib import Path
from typing import Any

WORDS_DIR = Path(__file__).with_name("words")
_GAP = r"(?:\S+\s+){0,3}?"


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
        open_end = word.endswith("*")
        body = re.escape(word.rstrip("*")).replace("'", "['\u2019]?")
        parts.append(body + (r"\w*" if open_end else "") + r"\s+")
    source = "".join(parts)
    if source.endswith(r"\s+"):
        source = source[: -len(r"\s+")]
    return source.replace(_GAP + r"\s+", _GAP)


def alternation(phrases: Iterable[str]) -> str:
    """Regex source matching any of `phrases`, longest first (never matches when empty)."""
    ordered = sorted(set(phrases), key=len, reverse=True)
    if not ordered:
        return r"(?!x)x"
    return "(?:" + "|".join(phrase_source(phrase) for phrase in ordered) + ")"


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
        literal = [w.rstrip("*").lower() for w in phrase.split() if w != "…"]
        if literal:
            found.add(max(literal, key=len))
    return tuple(sorted(found))


def languages(table: Mapping[str, Any]) -> list[str]:
    """All phrases of a `{en = [...], de = [...]}` table."""
    return [phrase for language in ("en", "de") for phrase in table.get(language, ())]
