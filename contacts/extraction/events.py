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
from contacts.extraction.vocabulary import folded

_I = re.IGNORECASE
_STRONG_FUTURE = folded(
    re.compile(
        r"\b(?:will|'ll|going\s+to|upcoming|planned|scheduled|soon|expected|plans?|wird|werden|"
        r"plant|geplant|soll|sollen|demnächst|bald|vorgesehen|next|nächste[nrms]?|kommende[nrms]?|"
        r"tomorrow|due|ab|from|effective|starting)\b",
        _I,
    )
)
# Auxiliaries and adverbs: a clear past, stronger than a progressive form.
_STRONG_PAST = folded(
    re.compile(
        r"\b(?:was|were|had|did|gave|yesterday|ago|last|celebrated|turned|war|waren|hatte|hatten|wurde|kam|kamen|"
        r"wurden|gestern|vorgestern|letzte[nrms]?|vergangene[nrms]?|gefeiert)\b",
        _I,
    )
)
_PRESENT = folded(
    re.compile(
        r"\b(?:is|are|ist|sind|'s|\u2019s|'re|geht|zieht|heiratet|feiert|wechselt|zum|retires|moves|"
        r"starts|joins|leaves|turns|celebrates|marries|becomes|gets|"
        r"(?!(?:meet|morn|even|noth|someth|anyth|everyth|build|dur|spr|k|r|th)ing\b)\w{3,}ing)\b",
        _I,
    )
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
_CLAUSE_SPLIT = re.compile(r"[,;]\s|\s[\u2013\u2014-]\s")
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
    i = _skipped(words)
    if cut is not None and cut.group() == ":" and i == len(words):
        # "Neue Funktion ab Jänner: Leiter IT": the date, then the title after the colon.
        return parse_title(after[cut.end() :], needs_title_word=needs_title_word)
    while i < len(words) and words[i].lower() in t.TITLE_LEAD:
        i += 1
    title: list[str] = []
    if any(word.lower().strip(".") in t.DURATION_WORDS for word in words[i : i + 3]):
        return None  # "ist seit fünf Jahren Geschäftsführer" has held the role for years
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
    return " ".join(_nominative(word) for word in title)


def _skipped(words: list[str]) -> int:
    """How many words open `words` before a title: dates, "ab", "seit Montag"."""
    i = 0
    while i < len(words) and (
        words[i].lower().strip(".") in t.TITLE_SKIP
        or any(ch.isdigit() for ch in words[i])
        or _MONTH_WORD.match(words[i].strip("."))
    ):
        i += 1
    return i


def _nominative(word: str) -> str:
    """ "zum Prokuristen ernannt" names a Prokurist: the dative -en of weak nouns goes."""
    lower = word.lower()
    if lower.endswith("en") and lower[:-2].endswith(t.WEAK_TITLE_ENDINGS):
        return word[:-2]
    return word


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


def _anniversary_trigger(s: str, base: int, mentions: list[DateMention]) -> _Trigger | None:
    for subject, pattern in t.ANNIVERSARY_SUBJECTS:
        match = pattern.search(s)
        if match is None or re.search(r"\b(?:after|nach)\s+$", s[: match.start()], _I):
            continue
        count = _years_count(s)
        since = any(m.since for m in mentions)
        # A customer or company trigger alone ("our customer") needs a count, a start date or
        # the word anniversary before it is an anniversary.
        if (
            subject in {"customer", "company"}
            and count is None
            and not since
            and not t.ANNIVERSARY_WORD.search(s)
        ):
            continue
        ago = t.YEARS_AGO.search(s)
        return _Trigger(
            "anniversary",
            base + match.start(),
            base + match.end(),
            {
                "subject": subject,
                "count": count,
                "start_word": bool(t.START_WORD.search(s)),
                "ago": _number_word(ago.group("n") or ago.group("m")) if ago else None,
            },
        )
    return None


def _number_word(raw: str) -> int | None:
    if raw.isdigit():
        return int(raw)
    return t.NUMBER_WORDS.get(raw.lower())


def _life_event_triggers(
    s: str, base: int, families: frozenset[str], anniversary: _Trigger | None
) -> list[_Trigger]:
    found: list[_Trigger] = []
    for event, pattern in t.LIFE_EVENTS:
        if event not in families:
            continue
        match = pattern.search(s)
        if match is None:
            continue
        if event == "wedding" and anniversary and anniversary.detail["subject"] == "wedding":
            continue  # "wedding anniversary" is not a wedding
        if event == "wedding" and t.GUEST.search(s):
            continue  # someone else's wedding: "went to a wedding as a guest"
        if event == "move" and t.NOT_A_PERSON_MOVING.search(s[: match.end()]):
            continue  # "meeting moved to 12 December", "die Firma zieht um"
        found.append(
            _Trigger("life_event", base + match.start(), base + match.end(), {"event": event})
        )
    return found


def _milestone_triggers(text: str, s: str, base: int) -> list[_Trigger]:
    found: list[_Trigger] = []
    taken: list[tuple[int, int]] = []

    def add(match: re.Match[str], label: str) -> None:
        found.append(
            _Trigger("milestone", base + match.start(), base + match.end(), {"label": label})
        )
        taken.append((match.start(), match.end()))

    for match in t.SIGNED.finditer(s):
        noun = match.group("noun") or match.group("obj")
        if noun:
            words = [w for w in noun.split() if w.lower() not in _LABEL_DETERMINERS]
            add(match, " ".join(words) + " signed")
        else:
            add(match, f"{match.group('vertrag')} unterschrieben")
    for match in t.GOES_LIVE.finditer(s):
        add(match, "go-live")
    for match in t.SITE_OPENS.finditer(s):
        site = [
            w
            for w in match.group("site").split()
            if w.lower() not in _LABEL_DETERMINERS and w.lower() not in _DETERMINERS
        ]
        opening = "Eröffnung" if re.search(r"öffn|eröff", match.group(), _I) else "opening"
        add(match, " ".join([*site, opening]))
    headings: list[_Trigger] = []
    for match in t.MILESTONE.finditer(s):
        if any(a <= match.start() < b for a, b in taken):
            continue
        if t.HEADING.match(s[match.start() :]):
            # "Milestone: first delivery on 20 January" names the milestone after the colon.
            headings.append(_Trigger("milestone", base + match.start(), base + match.end()))
            continue
        add(match, _milestone_label(text, base, base + match.start(), base + match.end()))
    if not found:
        for heading in headings:
            heading.detail["label"] = text[heading.start : heading.end]
            found.append(heading)
    return found


def _find_triggers(text: str, sentence: Span, mentions: list[DateMention]) -> list[_Trigger]:
    """Every trigger of the sentence, one detector per kind; the later ones give way where
    two readings of the same words compete."""
    s = sentence.text
    base = sentence.start
    families = t.hinted_families(s.lower())
    found: list[_Trigger] = []
    # Anniversaries first: "wedding anniversary" must not also become a wedding.
    anniversary = _anniversary_trigger(s, base, mentions) if "anniversary" in families else None
    if anniversary is not None:
        found.append(anniversary)
    life_events = _life_event_triggers(s, base, families, anniversary)
    found.extend(life_events)
    birthday = _birthday_trigger(s, base) if "birthday" in families else None
    life_birth = any(f.detail["event"] == "birth" for f in life_events)
    # "baby was born last week" is a birth, "the company turns 100" an anniversary.
    if (
        birthday is not None
        and not (life_birth and not birthday.detail["word"])
        and not (anniversary and birthday.detail["company"])
    ):
        found.append(birthday)
    role = _role_trigger(s, base) if "role_change" in families else None
    if role is not None:
        # "Moving to Allianz as CRO" is a new job, not a move of house.
        found = [
            f
            for f in found
            if not (f.detail.get("event") == "move" and f.start < role.end and role.start < f.end)
        ]
        found.append(role)
    if "milestone" in families:
        found.extend(_milestone_triggers(text, s, base))
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


def _gap(text: str, trigger: _Trigger, mention: DateMention) -> int:
    """How far a date is from a trigger; a date in another clause counts as far."""
    left, right = (
        sorted((trigger.end, mention.start))
        if trigger.end <= mention.start
        else sorted((mention.end, trigger.start))
    )
    gap = max(right - left, 0)
    return gap + 1000 if _CLAUSE_SPLIT.search(text, left, right) else gap


def _assign(text: str, found: list[_Trigger], mentions: list[DateMention]) -> None:
    for mention in mentions:
        if mention.bound:
            continue
        best: _Trigger | None = None
        best_gap = 10**9
        for trigger in found:
            gap = _gap(text, trigger, mention)
            if gap < best_gap:
                best, best_gap = trigger, gap
        if best is not None:
            best.mentions.append(mention)


def _tense_window(text: str, sentence: Span, trigger: _Trigger, mention: DateMention | None) -> str:
    left = min(trigger.start, mention.start) if mention else trigger.start
    right = max(trigger.end, mention.end) if mention else trigger.end
    # Another clause's tense is not this one's: "was in Rome last week, retires in May".
    before = _CLAUSE_SPLIT.split(text[sentence.start : left])[-1].split()[-3:]
    after = _CLAUSE_SPLIT.split(text[right : sentence.end])[0].split()[:3]
    return " ".join([*before, text[left:right], *after])


def _closest(text: str, trigger: _Trigger, *, needs_day: bool) -> DateMention | None:
    candidates = [m for m in trigger.mentions if m.has_day or not needs_day]
    if not candidates:
        return None
    if needs_day and trigger.detail.get("ago") is not None:
        # "started 10 years ago on December 1": the day is December 1, not ten years ago.
        stated = [m for m in candidates if m.resolved is None and m.day is not None]
        candidates = stated or candidates
    return min(candidates, key=lambda m: _gap(text, trigger, m))


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
    _assign(text, found, mentions)
    facts: list[ExtractedFact] = []
    for trigger in found:
        needs_day = trigger.kind in {"birthday", "anniversary"}
        mention = _closest(text, trigger, needs_day=needs_day)
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
                if when_or_none is None and t.HEDGE.search(sentence.text):
                    continue  # "möchte irgendwann umziehen": a wish, not an event
                if event == "birth" and mention is not None and _long_ago(mention, noted_on):
                    facts.extend(_birthday_of(text, sentence, trigger, mention))
                    continue
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


def _long_ago(mention: DateMention, noted_on: date) -> bool:
    return (
        mention.year is not None
        and mention.day is not None
        and mention.month is not None
        and mention.year < noted_on.year - 1
    )


def _birthday_of(
    text: str, sentence: Span, trigger: _Trigger, mention: DateMention
) -> list[ExtractedFact]:
    """ "Her son was born on 2 March 2010": not news of a birth but the son's birthday."""
    person = whose(text, sentence, trigger.start, trigger.end, birth=True)
    if person == OTHER:
        return []
    fields: dict[str, FieldValue] = {
        "month": mention.month,
        "day": mention.day,
        "year": mention.year,
    }
    with_person(fields, person)
    return [ExtractedFact("birthday", fields, False, sentence.text, trigger.start)]


def _years_before(month: int, day: int, noted_on: date, years: int) -> int | None:
    """The year of the (month, day) nearest to `years` before `noted_on`."""
    anchor_year = noted_on.year - years
    best: tuple[int, int] | None = None
    for year in (anchor_year - 1, anchor_year, anchor_year + 1):
        try:
            candidate = date(year, month, day)
            anchor = date(anchor_year, noted_on.month, min(noted_on.day, 28))
        except ValueError:
            continue
        gap = abs((candidate - anchor).days)
        if best is None or gap < best[0]:
            best = (gap, year)
    return None if best is None else best[1]


def _start_year(trigger: _Trigger, mention: DateMention, when: date, noted_on: date) -> int | None:
    explicit = mention.year if mention.year is not None and mention.resolved is None else None
    if trigger.kind == "birthday":
        age = trigger.detail["age"]
        if explicit is not None and (trigger.detail["born"] or explicit <= noted_on.year - 5):
            return explicit
        return when.year - age if isinstance(age, int) else None
    count = trigger.detail["count"]
    ago = trigger.detail.get("ago")
    if isinstance(ago, int) and mention.month is not None and mention.day is not None:
        return _years_before(mention.month, mention.day, noted_on, ago)
    if explicit is not None and (mention.since or trigger.detail["start_word"]):
        return explicit
    if isinstance(count, int):
        return when.year - count
    if explicit is not None and explicit <= noted_on.year - 5:
        return explicit
    return None
