"""Dated facts: birthdays, anniversaries, role changes, life events and milestones.

Per sentence, every trigger phrase is found first; then each date expression goes to the
nearest trigger, so "promoted to Head of Sales and getting married in June" dates the
wedding, not the promotion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from contacts.extraction import triggers as t
from contacts.extraction.dates import MONTH_WORDS, DateMention, Tense, occurrence, resolve
from contacts.extraction.facts import (
    SENSITIVE_LIFE_EVENTS,
    ExtractedFact,
    FactKind,
    FieldValue,
)
from contacts.extraction.people import OTHER, whose, with_person
from contacts.extraction.segmentation import Span

_I = re.IGNORECASE
_STRONG_FUTURE = re.compile(
    r"\b(?:will|'ll|going\s+to|upcoming|planned|scheduled|soon|expected|plans?|wird|werden|"
    r"plant|geplant|soll|sollen|demnächst|bald|vorgesehen|next|nächste[nrms]?|kommende[nrms]?|"
    r"tomorrow|due|ab|from|effective|starting)\b",
    _I,
)
# Auxiliaries and adverbs: a clear past, stronger than a progressive form.
_STRONG_PAST = re.compile(
    r"\b(?:was|were|had|did|gave|yesterday|ago|last|celebrated|turned|war|waren|hatte|hatten|wurde|kam|kamen|"
    r"wurden|gestern|vorgestern|letzte[nrms]?|vergangene[nrms]?|gefeiert)\b",
    _I,
)
_PRESENT = re.compile(
    r"\b(?:is|are|ist|sind|'s|\u2019s|'re|geht|zieht|heiratet|feiert|wechselt|zum|retires|moves|"
    r"starts|joins|leaves|turns|celebrates|marries|becomes|"
    r"(?!(?:meet|morn|even|noth|someth|anyth|everyth|build|dur|spr|k|r|th)ing\b)\w{3,}ing)\b",
    _I,
)
# "ist im Oktober verstorben", "hat zum 1. Januar angefangen": present auxiliary, past meaning.
_GERMAN_PERFECT = re.compile(
    r"\b(?:ist|sind|hat|haben)\b.*\b(?:\w{0,6}ge\w{2,}(?:t|en)|verstorben|promoviert|operiert|"
    r"erkrankt|verloren|bekommen|begonnen)\b",
    _I,
)
# Participles: a past unless something above said otherwise.
_WEAK_PAST = re.compile(
    r"\b(?:passed|died|got|went|became|lost|broke|took|geheiratet|gestorben|verstorben|"
    r"umgezogen|gezogen|abgeschlossen|angefangen|bekommen|geworden|promoviert|operiert|"
    r"unterschrieben|gemacht|begonnen|gestartet|\w{3,}ed)\b",
    _I,
)
_COMPANY_BEFORE = re.compile(
    r"\b(?:company|firm|business|unternehmen|firma|gmbh|ag|inc)\b"
    r"[^,;]*$",
    _I,
)
_MONTH_WORD = re.compile(r"^(?:" + "|".join(MONTH_WORDS) + r")$", _I)
_DETERMINERS = frozenset(
    ["the", "a", "an", "our", "their", "his", "her", "der", "die", "das", "den", "dem"]
)
_LABEL_DETERMINERS = frozenset(["the", "a", "an", "our", "their"])


@dataclass(slots=True)
class _Trigger:
    kind: FactKind
    start: int
    end: int
    detail: dict[str, FieldValue | bool] = field(default_factory=dict)
    mentions: list[DateMention] = field(default_factory=list)


def tense_of(fragment: str) -> Tense:
    if _STRONG_FUTURE.search(fragment):
        return "future"
    if _STRONG_PAST.search(fragment) or _GERMAN_PERFECT.search(fragment):
        return "past"
    if _PRESENT.search(fragment):
        return "future"  # notes use the present for what is coming: "retires in March"
    if _WEAK_PAST.search(fragment):
        return "past"
    return "neutral"


def _is_title_word(word: str) -> bool:
    lower = word.lower()
    return lower in t.TITLE_WORDS or lower.endswith(t.TITLE_ENDINGS)


def parse_title(after: str, *, needs_title_word: bool) -> str | None:
    """The job title at the start of `after`: "Head of Procurement since …" → that title."""
    cut = re.search(r"[,;:!?()\u2013\u2014\[\]]|(?<!\d)\.(?:\s|$)", after)
    words = (after[: cut.start()] if cut else after).split()
    i = 0
    while i < len(words) and (
        words[i].lower().strip(".") in t.TITLE_SKIP
        or any(ch.isdigit() for ch in words[i])
        or _MONTH_WORD.match(words[i].strip("."))
    ):
        i += 1
    while i < len(words) and words[i].lower() in t.TITLE_LEAD:
        i += 1
    title: list[str] = []
    for index in range(i, min(len(words), i + 6)):
        word = words[index].strip(".")
        lower = word.lower()
        if lower == "of" and title and title[-1].lower() in t.TITLE_OF_FRIENDLY:
            following = words[index + 1].lower() if index + 1 < len(words) else ""
            if following and following not in _DETERMINERS:
                title.append(word)
                continue
        if (
            lower in t.TITLE_STOP
            or any(ch.isdigit() for ch in word)
            or _MONTH_WORD.match(word)
            or not word
        ):
            break
        title.append(word)
    if title and title[-1].lower() == "of":
        title.pop()
    if not title or len(title) > 5:
        return None
    if needs_title_word and not any(_is_title_word(word) for word in title):
        return None
    return " ".join(title)


def _milestone_label(text: str, clause_start: int, start: int, end: int) -> str:
    words = [text[start:end]]
    before = re.search(r"([\w-]+)\s+$", text[clause_start:start])
    if before:
        previous = before.group(1)
        if previous.lower() in t.MILESTONE_MODIFIERS or (
            previous.isupper() and previous.isalpha() and len(previous) >= 2
        ):
            words.insert(0, previous)
    after = text[end : end + 80]
    follow = re.match(r"\s+(of|des|der)\s+([^,;:!?()\u2013\u2014.]*)", after, _I)
    if follow:
        tail = [follow.group(1)]
        for word in follow.group(2).split()[:4]:
            if word.lower() in t.LABEL_STOP or any(ch.isdigit() for ch in word):
                break
            tail.append(word)
        if len(tail) > 1:
            words.extend(tail)
    return " ".join(words)


def _find_triggers(text: str, sentence: Span, mentions: list[DateMention]) -> list[_Trigger]:
    s = sentence.text
    lower = s.lower()
    base = sentence.start
    found: list[_Trigger] = []

    # Anniversaries first: "wedding anniversary" must not also become a wedding.
    anniversary: _Trigger | None = None
    for subject, pattern in t.ANNIVERSARY_SUBJECTS if t.hinted(lower, "anniversary") else ():
        match = pattern.search(s)
        if match is None or re.search(r"\b(?:after|nach)\s+$", s[: match.start()], _I):
            continue
        count = _years_count(s)
        since = any(m.since for m in mentions)
        if (
            subject in {"customer", "company"}
            and count is None
            and not since
            and not (t.ANNIVERSARY_WORD.search(s))
        ):
            continue
        anniversary = _Trigger(
            "anniversary",
            base + match.start(),
            base + match.end(),
            {"subject": subject, "count": count, "start_word": bool(t.START_WORD.search(s))},
        )
        found.append(anniversary)
        break

    birthday = _birthday_trigger(s, base) if t.hinted(lower, "birthday") else None
    life_birth = False
    for event, pattern in t.LIFE_EVENTS:
        if not t.hinted(lower, event):
            continue
        match = pattern.search(s)
        if match is None:
            continue
        if event == "wedding" and anniversary and anniversary.detail["subject"] == "wedding":
            continue
        if event == "move" and t.NOT_A_PERSON_MOVING.search(s[: match.end()]):
            continue
        life_birth = life_birth or event == "birth"
        found.append(
            _Trigger("life_event", base + match.start(), base + match.end(), {"event": event})
        )
    # "baby was born last week" is a birth, "the company turns 100" an anniversary.
    if (
        birthday is not None
        and not (life_birth and not birthday.detail["word"])
        and not (anniversary and birthday.detail["company"])
    ):
        found.append(birthday)

    role = _role_trigger(s, base) if t.hinted(lower, "role_change") else None
    if role is not None:
        # "Moving to Allianz as CRO" is a new job, not a move of house.
        found = [
            f
            for f in found
            if not (f.detail.get("event") == "move" and f.start < role.end and role.start < f.end)
        ]
        found.append(role)

    taken: list[tuple[int, int]] = []
    if not t.hinted(lower, "milestone"):
        return found
    for match in t.SIGNED.finditer(s):
        noun = match.group("noun") or match.group("obj")
        if noun:
            words = [w for w in noun.split() if w.lower() not in _LABEL_DETERMINERS]
            label = " ".join(words) + " signed"
        else:
            label = f"{match.group('vertrag')} unterschrieben"
        found.append(
            _Trigger("milestone", base + match.start(), base + match.end(), {"label": label})
        )
        taken.append((match.start(), match.end()))
    for match in t.GOES_LIVE.finditer(s):
        found.append(
            _Trigger("milestone", base + match.start(), base + match.end(), {"label": "go-live"})
        )
        taken.append((match.start(), match.end()))
    for match in t.SITE_OPENS.finditer(s):
        site = [
            w
            for w in match.group("site").split()
            if w.lower() not in _LABEL_DETERMINERS and w.lower() not in _DETERMINERS
        ]
        opening = "Eröffnung" if re.search(r"öffn|eröff", match.group(), _I) else "opening"
        found.append(
            _Trigger(
                "milestone",
                base + match.start(),
                base + match.end(),
                {"label": " ".join([*site, opening])},
            )
        )
        taken.append((match.start(), match.end()))
    for match in t.MILESTONE.finditer(s):
        if any(a <= match.start() < b for a, b in taken):
            continue
        label = _milestone_label(text, base, base + match.start(), base + match.end())
        found.append(
            _Trigger("milestone", base + match.start(), base + match.end(), {"label": label})
        )
        taken.append((match.start(), match.end()))
    return found


def _years_count(s: str) -> int | None:
    for pattern in t.YEARS_COUNT:
        match = pattern.search(s)
        if match and not t.DURATION.search(s[max(0, match.start() - 6) : match.end()]):
            return int(match.group("n"))
    for pattern, years in t.JUBILEE_YEARS:
        if pattern.search(s):
            return years
    return None


def _birthday_trigger(s: str, base: int) -> _Trigger | None:
    start: int | None = None
    end = 0
    word = born = company = False
    age: int | None = None
    for match in t.BIRTHDAY_WORD.finditer(s):
        word = True
        start, end = match.start(), match.end()
        break
    for match in t.BORN.finditer(s):
        if t.BABY_BEFORE.search(s[: match.start()]):
            continue
        born = True
        if start is None or match.start() < start:
            start, end = match.start(), match.end()
        break
    for pattern in t.AGE:
        found = pattern.search(s)
        if found is None:
            continue
        value = int(found.group("age"))
        if not 1 <= value <= 120:
            continue
        if _COMPANY_BEFORE.search(s[: found.start()]):
            company = True
            continue
        age = value
        if start is None:
            start, end = found.start(), found.end()
        break
    if start is None:
        return None
    return _Trigger(
        "birthday",
        base + start,
        base + end,
        {"born": born, "age": age, "word": word, "company": company},
    )


def _role_trigger(s: str, base: int) -> _Trigger | None:
    start: int | None = None
    end = 0
    title: str | None = None
    for match in t.ROLE_STRONG.finditer(s):
        found = parse_title(s[match.end() : match.end() + 120], needs_title_word=False)
        if found:
            start, end, title = match.start(), match.end(), found
            break
    if title is None:
        for match in t.ROLE_WEAK.finditer(s):
            found = parse_title(s[match.end() : match.end() + 120], needs_title_word=True)
            if found:
                start, end, title = match.start(), match.end(), found
                break
    for pattern in (t.ROLE_MOVE, t.ROLE_LEADS):
        move = pattern.search(s)
        if move is not None and (start is None or move.start() < start):
            start, end = move.start(), move.end() if start is None else end
    if start is None:
        return None
    return _Trigger("role_change", base + start, base + end, {"title": title})


def _assign(found: list[_Trigger], mentions: list[DateMention]) -> None:
    for mention in mentions:
        if mention.bound:
            continue
        best: _Trigger | None = None
        best_gap = 10**9
        for trigger in found:
            gap = max(trigger.start - mention.end, mention.start - trigger.end, 0)
            if gap < best_gap:
                best, best_gap = trigger, gap
        if best is not None:
            best.mentions.append(mention)


def _tense_window(text: str, sentence: Span, trigger: _Trigger, mention: DateMention | None) -> str:
    left = min(trigger.start, mention.start) if mention else trigger.start
    right = max(trigger.end, mention.end) if mention else trigger.end
    before = text[sentence.start : left].split()[-3:]
    after = text[right : sentence.end].split()[:3]
    return " ".join([*before, text[left:right], *after])


def _closest(trigger: _Trigger, *, needs_day: bool) -> DateMention | None:
    candidates = [m for m in trigger.mentions if m.has_day or not needs_day]
    if not candidates:
        return None
    return min(candidates, key=lambda m: max(trigger.start - m.end, m.start - trigger.end, 0))


def _yearly(mention: DateMention, noted_on: date, tense: Tense) -> tuple[int, int, date] | None:
    """Month, day and the occurrence a birthday or anniversary statement refers to."""
    if mention.resolved is not None or mention.weekday is not None:
        when = resolve(mention, noted_on, tense)
        return None if when is None else (when.month, when.day, when)
    if mention.month is None or mention.day is None:
        return None
    if mention.year is not None and mention.year >= noted_on.year - 5:
        when = date(mention.year, mention.month, mention.day)
    else:
        found = occurrence(
            mention.month, mention.day, noted_on, "past" if tense == "past" else "future"
        )
        if found is None:
            return None
        when = found
    return mention.month, mention.day, when


def dated_facts(
    text: str, sentence: Span, mentions: list[DateMention], noted_on: date
) -> list[ExtractedFact]:
    found = _find_triggers(text, sentence, mentions)
    if not found:
        return []
    _assign(found, mentions)
    facts: list[ExtractedFact] = []
    for trigger in found:
        needs_day = trigger.kind in {"birthday", "anniversary"}
        mention = _closest(trigger, needs_day=needs_day)
        window = _tense_window(text, sentence, trigger, mention)
        tense = tense_of(window)
        if needs_day and tense == "past" and not _STRONG_PAST.search(window):
            tense = "future"  # "Married 30 years on 4 August": a yearly date still to come
        fields: dict[str, FieldValue]
        sensitive = False
        if needs_day:
            if mention is None:
                continue
            yearly = _yearly(mention, noted_on, tense)
            if yearly is None:
                continue
            month, day, when = yearly
            year = _start_year(trigger, mention, when, noted_on)
            if trigger.kind == "birthday":
                fields = {"month": month, "day": day, "year": year}
            else:
                subject = str(trigger.detail["subject"])
                fields = {"subject": subject, "month": month, "day": day, "year": year}
        else:
            when_or_none = resolve(mention, noted_on, tense) if mention else None
            if trigger.kind == "role_change":
                title = trigger.detail["title"]
                fields = {"title": title if isinstance(title, str) else None, "date": when_or_none}
            elif trigger.kind == "life_event":
                event = str(trigger.detail["event"])
                fields = {"event": event, "date": when_or_none}
                sensitive = event in SENSITIVE_LIFE_EVENTS
            else:
                fields = {"date": when_or_none, "label": str(trigger.detail["label"])}
        birth = trigger.kind == "life_event" and trigger.detail["event"] == "birth"
        person = whose(text, sentence, trigger.start, trigger.end, birth=birth)
        if person == OTHER:
            continue
        with_person(fields, person)
        facts.append(ExtractedFact(trigger.kind, fields, sensitive, sentence.text, trigger.start))
    return facts


def _start_year(trigger: _Trigger, mention: DateMention, when: date, noted_on: date) -> int | None:
    explicit = mention.year if mention.year is not None and mention.resolved is None else None
    if trigger.kind == "birthday":
        age = trigger.detail["age"]
        if explicit is not None and (trigger.detail["born"] or explicit <= noted_on.year - 5):
            return explicit
        return when.year - age if isinstance(age, int) else None
    count = trigger.detail["count"]
    if explicit is not None and (mention.since or trigger.detail["start_word"]):
        return explicit
    if isinstance(count, int):
        return when.year - count
    if explicit is not None and explicit <= noted_on.year - 5:
        return explicit
    return None
