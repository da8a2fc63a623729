"""Finding date expressions in English and German notes and anchoring them on `noted_on`.

Rules (also the labelling rules of the development set):
- "12/05/1979" is read day/month (European) in both languages; month/day only when the
  second number is above 12 ("5/25/1979"). Dotted dates are always day.month.
- A year-less date names the next occurrence when the clause speaks of the future, the last
  one when it speaks of the past, and otherwise the nearest one, a past day counting three
  times as far (notes mostly announce what is coming).
- A bare month ("in June") is its first day, "Anfang/early" the 1st, "Mitte/mid" the 15th,
  "Ende/end of/late" the last day. "next month" is the first of next month; "last week" and
  "next week" are seven days back or ahead. "next year", seasons and quarters are no date.
- Invalid calendar dates ("31. Februar") are dropped; 29 February without a year is kept.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import MAXYEAR, MINYEAR, date, timedelta
from typing import Literal

from contacts.extraction.vocabulary import folded

Tense = Literal["past", "future", "neutral"]

MONTH_WORDS: dict[str, int] = {
    "january": 1,
    "jan": 1,
    "januar": 1,
    "jänner": 1,
    "jaenner": 1,
    "feber": 2,
    "february": 2,
    "feb": 2,
    "februar": 2,
    "march": 3,
    "mar": 3,
    "märz": 3,
    "maerz": 3,
    "marz": 3,
    "mär": 3,
    "mrz": 3,
    "april": 4,
    "apr": 4,
    "may": 5,
    "mai": 5,
    "june": 6,
    "jun": 6,
    "juni": 6,
    "july": 7,
    "jul": 7,
    "juli": 7,
    "august": 8,
    "aug": 8,
    "september": 9,
    "sep": 9,
    "sept": 9,
    "october": 10,
    "oct": 10,
    "oktober": 10,
    "okt": 10,
    "november": 11,
    "nov": 11,
    "december": 12,
    "dec": 12,
    "dezember": 12,
    "dez": 12,
}
_FULL_MONTHS = frozenset(
    name for name in MONTH_WORDS if len(name) > 4 or name in {"juni", "juli", "june", "july"}
) | {"may", "mai", "märz"}
_MONTH = "(?:" + "|".join(sorted(MONTH_WORDS, key=len, reverse=True)) + ")"
_WEEKDAYS: dict[str, int] = {
    "monday": 0,
    "tuesday": 1,
    "wednesday": 2,
    "thursday": 3,
    "friday": 4,
    "saturday": 5,
    "sunday": 6,
    "montag": 0,
    "dienstag": 1,
    "mittwoch": 2,
    "donnerstag": 3,
    "freitag": 4,
    "samstag": 5,
    "sonnabend": 5,
    "sonntag": 6,
}
_NUMBER_WORDS: dict[str, int] = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "couple of": 2,
    "ein": 1,
    "eine": 1,
    "einem": 1,
    "einer": 1,
    "einen": 1,
    "zwei": 2,
    "drei": 3,
    "vier": 4,
    "fünf": 5,
    "sechs": 6,
    "sieben": 7,
    "acht": 8,
    "neun": 9,
    "zehn": 10,
    "elf": 11,
    "zwölf": 12,
}
_NUMBER = "(?:\\d{1,3}|" + "|".join(sorted(_NUMBER_WORDS, key=len, reverse=True)) + ")"
_YEAR = r"(?:19|20)\d\d"
_I = re.IGNORECASE

_ISO = re.compile(rf"\b(?P<y>{_YEAR})-(?P<m>[01]?\d)-(?P<d>[0-3]?\d)\b")
_DOTTED = re.compile(
    r"\b(?P<d>[0-3]?\d)\.\s?(?P<m>[01]?\d)\.(?:(?P<y>(?:19|20)?\d\d)(?!\d|\.\d))?(?!\d)"
)
_SLASHED = re.compile(r"\b(?P<d>[0-3]?\d)/(?P<m>[0-3]?\d)/(?P<y>(?:19|20)?\d\d)\b")
# "bday 3/4": day and month without a year, only where a birthday or date word precedes,
# since "3/4 of the budget" or "24/7" are no dates.
_SLASHED_SHORT = re.compile(
    r"(?:\b(?:bday|b-day|birthday|birthdy|geburtstag|geb\.?|dob|am|on)\s*:?\s*)"
    r"(?P<d>[0-3]?\d)/(?P<m>[01]?\d)\b(?!/)",
    _I,
)
_DAY_MONTH = folded(
    re.compile(
        rf"\b(?P<d>[0-3]?\d)(?:st|nd|rd|th|\.)?\s*(?:of\s+)?(?P<mon>{_MONTH})\b\.?"
        rf"(?:\s*,?\s*(?P<y>{_YEAR})\b)?",
        _I,
    )
)
_MONTH_DAY = folded(
    re.compile(
        rf"\b(?P<mon>{_MONTH})\b\.?\s*(?:the\s+)?(?P<d>[0-3]?\d)(?:st|nd|rd|th)?\b(?!\s*(?:%|years|jahre))"
        rf"(?:\s*,?\s*(?P<y>{_YEAR})\b)?",
        _I,
    )
)
_MONTH_ONLY = folded(
    re.compile(
        r"\b(?:(?P<q>(?:at\s+)?(?:the\s+)?(?:end|beginning|start|middle)\s+of|early|late|mid-?|"
        r"ende|anfang|mitte|beginn|gegen\s+ende)\s*)?"
        r"(?:(?P<prep>in|im|of|for|bis|by|until|ab|from|seit|since|zum|diesen|this|next|nächsten|"
        r"last|letzten)\s+)?"
        rf"(?P<mon>{_MONTH})\b\.?(?:\s+(?P<y>{_YEAR})\b)?",
        _I,
    )
)
_WEEKDAY = re.compile(
    r"\b(?:(?P<dir>last|next|this|coming|on|letzten|letzte[rn]?|nächsten|nächste[rn]?|"
    r"kommenden|diesen|vergangenen|am|seit|since)\s+)?"
    r"(?P<wd>" + "|".join(_WEEKDAYS) + r")\b",
    _I,
)
_IN_UNITS = folded(
    re.compile(
        rf"\bin\s+(?:the\s+next\s+|den\s+nächsten\s+)?(?P<n>{_NUMBER})\s+"
        r"(?P<u>days?|weeks?|months?|tagen?|wochen?|monate?n?)\b",
        _I,
    )
)
_AGO = folded(
    re.compile(
        rf"\b(?:(?P<n>{_NUMBER})\s+(?P<u>days?|weeks?|months?|years?)\s+ago|"
        rf"vor\s+(?P<n2>{_NUMBER})\s+(?P<u2>tagen|wochen|monaten|jahren|tag|woche|monat|jahr))\b",
        _I,
    )
)
_RELATIVE_DAYS: tuple[tuple[re.Pattern[str], int, bool], ...] = (
    # (pattern, offset in days, exact day?)
    (re.compile(r"\b(?:the\s+day\s+before\s+yesterday|vorgestern)\b", _I), -2, True),
    (re.compile(r"\b(?:the\s+day\s+after\s+tomorrow|übermorgen)\b", _I), 2, True),
    (
        re.compile(r"\b(?:yesterday|last\s+night|gestern(?:\s+(?:abend|morgen|früh))?)\b", _I),
        -1,
        True,
    ),
    (
        re.compile(
            r"\b(?:today|tonight|this\s+(?:morning|afternoon|evening)|heute"
            r"(?:\s+(?:morgen|früh|abend|nachmittag|vormittag))?)\b",
            _I,
        ),
        0,
        True,
    ),
    (re.compile(r"\btomorrow\b", _I), 1, True),
    # Lower-case "morgen" is tomorrow; "Morgen" is the morning ("jeden Morgen").
    (re.compile(r"(?<!jeden\s)(?<!guten\s)(?<!am\s)\bmorgen\b"), 1, True),
    # ...but a sentence opening with "Morgen" and then its verb means tomorrow too
    # ("Morgen hat sie Geburtstag", "Morgen feiert er sein Jubiläum").
    (
        re.compile(
            r"(?:^|(?<=[.!?;:]\s))Morgen(?=\s+(?:hat|ist|wird|feiert|haben|sind|werden|"
            r"kommt|beginnt|startet|fängt|tritt|heiratet|bekommt|übernimmt|geht)\b)"
        ),
        1,
        True,
    ),
    (
        re.compile(
            r"\b(?:(?:last|past|previous)\s+week|(?:letzte[nr]?|vergangene[nr]?|vorige[nr]?)"
            r"\s+woche)\b",
            _I,
        ),
        -7,
        True,
    ),
    (
        re.compile(
            r"\b(?:(?:next|coming)\s+week|(?:nächste[nr]?|naechste[nr]?|kommende[nr]?)"
            r"\s+woche)\b",
            _I,
        ),
        7,
        True,
    ),
    (re.compile(r"\b(?:this\s+week|diese[rn]?\s+woche)\b", _I), 0, True),
)
_NEXT_MONTH = re.compile(
    r"\b(?:(?:next|coming)\s+month|(?:im\s+)?(?:nächste[nm]?|kommende[nm]?)\s+monat)\b", _I
)
_LAST_MONTH = re.compile(
    r"\b(?:(?:last|past|previous)\s+month|(?:im\s+)?(?:letzte[nm]?|vergangene[nm]?|vorige[nm]?)"
    r"\s+monat)\b",
    _I,
)
_MONTH_END = re.compile(
    r"\b(?:(?:at\s+)?(?:the\s+)?end\s+of\s+(?:the|this)\s+month|ende\s+(?:des|dieses)\s+monats|"
    r"monatsende)\b",
    _I,
)
_YEAR_END = re.compile(
    r"\b(?:(?:at\s+)?(?:the\s+)?end\s+of\s+(?:the|this)?\s*year|ende\s+(?:des|dieses)\s+jahres|"
    r"ende\s+jahr|year-end|jahresende)\b",
    _I,
)
_BOUND_BEFORE = folded(
    re.compile(
        r"(?:\buntil|\btill|\bby|\bbis(?:\s+(?:zum|zur|spätestens))?|\bback(?:\s+at\s+work)?|"
        r"\bzurück|\bbefore|\bspätestens|\bno\s+later\s+than|\bdeadline(?:\s+is)?)\s*$",
        _I,
    )
)
_SINCE_BEFORE = folded(re.compile(r"(?:\bsince|\bseit(?:\s+(?:dem|der))?)\s*$", _I))


# Words without which a family of patterns cannot match; most notes have none of them.
_WORDS = re.compile(r"[a-zäöüß]+")
_DIGIT = re.compile(r"\d")
_RELATIVE_WORDS = frozenset(
    [
        "today",
        "tonight",
        "this",
        "yesterday",
        "tomorrow",
        "week",
        "month",
        "year",
        "ago",
        "heute",
        "gestern",
        "morgen",
        "vorgestern",
        "übermorgen",
        "woche",
        "monat",
        "monats",
        "monatsende",
        "jahres",
        "jahr",
        "jahresende",
        "night",
    ]
)
_UNIT_WORDS = frozenset(
    [
        "day",
        "days",
        "week",
        "weeks",
        "month",
        "months",
        "year",
        "years",
        "tag",
        "tage",
        "tagen",
        "woche",
        "wochen",
        "monat",
        "monate",
        "monaten",
        "jahr",
        "jahre",
        "jahren",
    ]
)


@dataclass(frozen=True, slots=True)
class DateMention:
    start: int
    end: int
    month: int | None = None
    day: int | None = None
    year: int | None = None
    resolved: date | None = None  # relative expressions are anchored on noted_on at once
    weekday: int | None = None
    direction: int = 0  # for weekdays: -1 "last", +1 "next", 0 the tense decides
    qualifier: str | None = None  # month-only: "start" | "mid" | "end"
    exact: bool = True  # False when only the month is known ("in June", "next month")
    bound: bool = False  # "until Monday", "back in two weeks": an end point, not the event
    since: bool = False  # "since 14 March 2016", "seit dem 01.02.2011"

    @property
    def has_day(self) -> bool:
        return self.exact and (
            self.day is not None or self.resolved is not None or self.weekday is not None
        )


def _valid(month: int, day: int, year: int | None) -> bool:
    if not 1 <= month <= 12 or day < 1:
        return False
    if year is None:
        return day <= (29 if month == 2 else calendar.monthrange(2001, month)[1])
    return day <= calendar.monthrange(year, month)[1]


def _year(raw: str | None, noted_on: date) -> int | None:
    if raw is None:
        return None
    value = int(raw)
    if len(raw) == 2:
        value += 2000 if value <= noted_on.year % 100 + 10 else 1900
    return value


def _add_months(anchor: date, months: int) -> date:
    index = anchor.year * 12 + anchor.month - 1 + months
    year, month = divmod(index, 12)
    day = min(anchor.day, calendar.monthrange(year, month + 1)[1])
    return date(year, month + 1, day)


def _plus_days(anchor: date, days: int) -> date | None:
    """`anchor` moved by `days`, or None beyond the calendar's ends (year 1 / 9999)."""
    try:
        return anchor + timedelta(days=days)
    except OverflowError:
        return None


def _plus_months(anchor: date, months: int) -> date | None:
    try:
        return _add_months(anchor, months)
    except ValueError:
        return None


def _number(raw: str) -> int:
    return int(raw) if raw.isdigit() else _NUMBER_WORDS[raw.lower()]


def _shift(noted_on: date, amount: int, unit: str) -> date | None:
    unit = unit.lower()
    try:
        if unit.startswith(("day", "tag")):
            return noted_on + timedelta(days=amount)
        if unit.startswith(("week", "woche")):
            return noted_on + timedelta(weeks=amount)
        if unit.startswith(("month", "monat")):
            return _add_months(noted_on, amount)
        return _add_months(noted_on, 12 * amount)
    except (OverflowError, ValueError):
        return None


def find_dates(text: str, noted_on: date) -> list[DateMention]:
    """All date expressions in `text`, in order, overlapping ones resolved longest-first."""
    found: list[DateMention] = []
    words = set(_WORDS.findall(text.lower()))
    has_digit = _DIGIT.search(text) is not None
    has_month = not words.isdisjoint(MONTH_WORDS)
    has_units = not words.isdisjoint(_UNIT_WORDS)
    has_relative = not words.isdisjoint(_RELATIVE_WORDS)
    has_weekday = not words.isdisjoint(_WEEKDAYS)
    if not (has_digit or has_month or has_units or has_relative or has_weekday):
        return found

    def absolute(match: re.Match[str], month: int, day: int, raw_year: str | None) -> None:
        year = _year(raw_year, noted_on)
        if _valid(month, day, year):
            found.append(DateMention(match.start(), match.end(), month, day, year))
        else:
            # Keep the span claimed so that "31. Februar" does not fall back to "Februar".
            found.append(DateMention(match.start(), match.end(), exact=False))

    if has_digit:
        for match in _ISO.finditer(text):
            absolute(match, int(match["m"]), int(match["d"]), match["y"])
        for match in _DOTTED.finditer(text):
            absolute(match, int(match["m"]), int(match["d"]), match["y"])
        for match in _SLASHED.finditer(text):
            first, second = int(match["d"]), int(match["m"])
            day, month = (second, first) if second > 12 >= first else (first, second)
            absolute(match, month, day, match["y"])
        for match in _SLASHED_SHORT.finditer(text):
            first, second = int(match["d"]), int(match["m"])
            day, month = (second, first) if second > 12 >= first else (first, second)
            span = re.match(r"[^\d]*", match.group())
            offset = span.end() if span else 0
            found.append(
                DateMention(match.start() + offset, match.end(), month, day)
                if _valid(month, day, None)
                else DateMention(match.start() + offset, match.end(), exact=False)
            )
    if has_digit and has_month:
        for pattern in (_DAY_MONTH, _MONTH_DAY):
            for match in pattern.finditer(text):
                word = match["mon"]
                if word.lower() == "may" and not word.startswith("M"):
                    continue  # the verb "may"
                absolute(match, MONTH_WORDS[word.lower()], int(match["d"]), match["y"])
    if has_units:
        for match in _IN_UNITS.finditer(text):
            shifted = _shift(noted_on, _number(match["n"]), match["u"])
            unit_is_month = match["u"].lower().startswith(("month", "monat"))
            found.append(
                DateMention(match.start(), match.end(), resolved=shifted, exact=not unit_is_month)
            )
        for match in _AGO.finditer(text):
            amount, unit = (match["n"], match["u"]) if match["n"] else (match["n2"], match["u2"])
            shifted = _shift(noted_on, -_number(amount), unit)
            found.append(DateMention(match.start(), match.end(), resolved=shifted))
    if has_relative:
        _relative(text, noted_on, found)
    if has_weekday:
        _weekdays(text, found)
    if has_month:
        _months_only(text, found, noted_on)
    return _mark_context(text, _without_overlaps(found))


def _relative(text: str, noted_on: date, found: list[DateMention]) -> None:
    for pattern, offset, exact in _RELATIVE_DAYS:
        for match in pattern.finditer(text):
            found.append(
                DateMention(
                    match.start(), match.end(), resolved=_plus_days(noted_on, offset), exact=exact
                )
            )
    for match in _NEXT_MONTH.finditer(text):
        found.append(
            DateMention(
                match.start(),
                match.end(),
                resolved=_plus_months(noted_on.replace(day=1), 1),
                exact=False,
            )
        )
    for match in _LAST_MONTH.finditer(text):
        found.append(
            DateMention(
                match.start(),
                match.end(),
                resolved=_plus_months(noted_on.replace(day=1), -1),
                exact=False,
            )
        )
    for match in _MONTH_END.finditer(text):
        last = calendar.monthrange(noted_on.year, noted_on.month)[1]
        found.append(
            DateMention(
                match.start(), match.end(), resolved=noted_on.replace(day=last), exact=False
            )
        )
    for match in _YEAR_END.finditer(text):
        found.append(
            DateMention(
                match.start(), match.end(), resolved=date(noted_on.year, 12, 31), exact=False
            )
        )


def _weekdays(text: str, found: list[DateMention]) -> None:
    for match in _WEEKDAY.finditer(text):
        direction_word = (match["dir"] or "").lower()
        direction = 0
        if direction_word in {
            "last",
            "letzten",
            "letzte",
            "letzter",
            "vergangenen",
            "seit",
            "since",
        }:
            direction = -1
        elif direction_word in {"next", "coming", "nächsten", "nächste", "nächster", "kommenden"}:
            direction = 1
        found.append(
            DateMention(
                match.start(),
                match.end(),
                weekday=_WEEKDAYS[match["wd"].lower()],
                direction=direction,
            )
        )


def _months_only(text: str, found: list[DateMention], noted_on: date) -> None:
    for match in _MONTH_ONLY.finditer(text):
        word = match["mon"]
        lower = word.lower()
        qualifier_word = (match["q"] or "").lower()
        if lower not in _FULL_MONTHS and not qualifier_word:
            continue
        if lower == "may" and not (word == "May" and (qualifier_word or match["prep"])):
            continue
        qualifier = None
        if qualifier_word:
            if qualifier_word.startswith(("mid", "mitte")) or "middle" in qualifier_word:
                qualifier = "mid"
            elif "end" in qualifier_word or qualifier_word == "late":
                qualifier = "end"
            else:
                qualifier = "start"
        found.append(
            DateMention(
                match.start(),
                match.end(),
                month=MONTH_WORDS[lower],
                year=_year(match["y"], noted_on),
                qualifier=qualifier,
                exact=False,
            )
        )


def _without_overlaps(found: list[DateMention]) -> list[DateMention]:
    found.sort(key=lambda mention: (mention.start, mention.start - mention.end))
    kept: list[DateMention] = []
    for mention in found:
        if kept and mention.start < kept[-1].end:
            # A mention with a day beats an overlapping bare month ("for March" in "planned
            # for March 10"); otherwise the longer one wins.
            if (mention.has_day, mention.end - mention.start) > (
                kept[-1].has_day,
                kept[-1].end - kept[-1].start,
            ):
                kept[-1] = mention
            continue
        kept.append(mention)
    return [
        m for m in kept if m.month is not None or m.resolved is not None or m.weekday is not None
    ]


def _mark_context(text: str, mentions: list[DateMention]) -> list[DateMention]:
    marked: list[DateMention] = []
    for mention in mentions:
        before = text[max(0, mention.start - 30) : mention.start]
        inner = text[mention.start : mention.end].lower()
        bound = bool(_BOUND_BEFORE.search(before)) or inner.startswith(("bis", "until", "by "))
        since = bool(_SINCE_BEFORE.search(before)) or inner.startswith(("seit", "since"))
        if bound or since:
            mention = _replace(mention, bound=bound, since=since)
        marked.append(mention)
    return marked


def _replace(mention: DateMention, *, bound: bool, since: bool) -> DateMention:
    return DateMention(
        mention.start,
        mention.end,
        mention.month,
        mention.day,
        mention.year,
        mention.resolved,
        mention.weekday,
        mention.direction,
        mention.qualifier,
        mention.exact,
        bound,
        since,
    )


def _day_in(month: int, year: int, qualifier: str | None, day: int | None) -> int | None:
    if day is not None:
        return day if _valid(month, day, year) else None
    if qualifier == "end":
        return calendar.monthrange(year, month)[1]
    return 15 if qualifier == "mid" else 1


def _pick(candidates: list[date], noted_on: date, tense: Tense) -> date | None:
    past = [c for c in candidates if c <= noted_on]
    future = [c for c in candidates if c >= noted_on]
    if tense == "past":
        return past[-1] if past else None
    if tense == "future" or not past:
        return future[0] if future else None
    if not future:
        return past[-1]
    ahead = (future[0] - noted_on).days
    behind = (noted_on - past[-1]).days
    return future[0] if ahead <= 3 * behind else past[-1]


def occurrence(
    month: int, day: int | None, noted_on: date, tense: Tense, qualifier: str | None = None
) -> date | None:
    """The occurrence of a year-less day of the year that the tense points to."""
    candidates: list[date] = []
    for year in range(max(MINYEAR, noted_on.year - 4), min(MAXYEAR, noted_on.year + 4) + 1):
        resolved_day = _day_in(month, year, qualifier, day)
        if resolved_day is not None:
            candidates.append(date(year, month, resolved_day))
    return _pick(candidates, noted_on, tense)


def resolve(mention: DateMention, noted_on: date, tense: Tense) -> date | None:
    """The calendar date a mention stands for, or None when it cannot be pinned down."""
    if mention.resolved is not None:
        return mention.resolved
    if mention.weekday is not None:
        direction = mention.direction or (-1 if tense == "past" else 0)
        ahead = (mention.weekday - noted_on.weekday()) % 7 or 7
        behind = (noted_on.weekday() - mention.weekday) % 7 or 7
        if direction < 0:
            return _plus_days(noted_on, -behind)
        if direction > 0 or tense == "future":
            return _plus_days(noted_on, ahead)
        return _plus_days(noted_on, ahead) if ahead <= 3 * behind else _plus_days(noted_on, -behind)
    if mention.month is None:
        return None
    if mention.year is not None:
        day = _day_in(mention.month, mention.year, mention.qualifier, mention.day)
        return None if day is None else date(mention.year, mention.month, day)
    return occurrence(mention.month, mention.day, noted_on, tense, mention.qualifier)
