"""What every input must satisfy before relcrm reads it, in one place.

Forms, query parameters, request paths, the JSON import and the API all ask here, so a
NUL byte, a lone surrogate or an id no column can hold gets the same clear message
wherever it arrives, and never reaches the database (PostgreSQL refuses NUL in text, a
bigint has 64 bits) or the extractor.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

# The largest primary key (a PostgreSQL bigint, Django's BigAutoField).
MAX_ID = 2**63 - 1
# The longest observation text a person may type, and so the longest text extracted.
MAX_TEXT_LENGTH = 10_000
# A search box or filter value: longer is not a search.
MAX_QUERY_LENGTH = 100

_NUL = "\x00"
_SURROGATE = re.compile("[\ud800-\udfff]")
# C0 and C1 control characters except tab, line feed and carriage return.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def text_problem(value: str) -> str | None:
    """Why `value` cannot be stored as text, or None when it can."""
    if _NUL in value:
        return str(_("The text contains a NUL character, which is not allowed."))
    if _SURROGATE.search(value):
        return str(_("The text contains an invalid character (a lone surrogate)."))
    return None


def validate_text(value: object) -> None:
    """A Django validator: refuses NUL bytes and lone surrogates with a message."""
    if isinstance(value, str):
        problem = text_problem(value)
        if problem:
            raise ValidationError(problem, code="invalid_character")


def first_text_problem(values: Mapping[str, Any]) -> str | None:
    """The first problem in a QueryDict (or any mapping of lists of strings)."""
    lists = values.lists() if hasattr(values, "lists") else ((k, [v]) for k, v in values.items())
    for key, items in lists:
        for item in (key, *items):
            if isinstance(item, str):
                problem = text_problem(item)
                if problem:
                    return problem
    return None


def id_or_none(value: object) -> int | None:
    """A primary key from untrusted input: a positive integer a bigint holds, else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        number = value
    elif isinstance(value, str) and value.isascii() and value.isdigit() and len(value) <= 19:
        number = int(value)
    else:
        return None
    return number if 1 <= number <= MAX_ID else None


def id_param(params: Mapping[str, Any], name: str) -> int | None:
    """The id in query parameter `name`, or None when it is missing or not an id."""
    return id_or_none(params.get(name, ""))


def text_param(params: Mapping[str, Any], name: str, *, max_length: int = MAX_QUERY_LENGTH) -> str:
    """A free-text query parameter, stripped and cut to `max_length`; what cannot be stored
    (a NUL, a lone surrogate) is removed, so a search never fails on it."""
    value = params.get(name, "")
    if not isinstance(value, str):
        return ""
    value = _SURROGATE.sub("", value.replace(_NUL, ""))
    return value.strip()[:max_length]


def without_control_characters(value: str) -> str:
    """Text for a file or mail that leaves relcrm: control characters removed, tab and line
    breaks kept (a terminal escape or a NUL in a note must not reach a calendar or a mail)."""
    return _CONTROL.sub("", value)


def single_line(value: str) -> str:
    """Text for a one-line field (a mail subject, a CSV cell, an iCal summary)."""
    return " ".join(without_control_characters(value).split())
