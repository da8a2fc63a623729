"""Trigger phrases for dated facts: birthdays, anniversaries, role changes, life events and
project milestones, in English and German. `events.py` turns them into facts.
"""

from __future__ import annotations

import re

from contacts.extraction.vocabulary import (
    alternation,
    folded,
    hints,
    languages,
    load,
    trie_source,
)

_I = re.IGNORECASE
_WORDS = load("triggers")


def _extended(pattern: re.Pattern[str], phrases: list[str]) -> re.Pattern[str]:
    """`pattern` or any of the data file's `phrases`."""
    if not phrases:
        return pattern
    return re.compile(rf"(?:{pattern.pattern})|(?<!\w){alternation(phrases)}(?!\w)", pattern.flags)


# --- birthdays -----------------------------------------------------------------------------
BIRTHDAY_WORD = folded(
    re.compile(
        r"\b(?:birthday|bday|b-day|b'day|geburtstag\w*|birth\s+date|date\s+of\s+birth|dob|"
        rf"geburtsdatum)\b|(?<!\w){alternation(languages(_WORDS['birthday']['words']))}(?!\w)",
        _I,
    )
)
BORN = re.compile(r"\b(?:born|geboren|geb\.|geb\b)", _I)
AGE = (
    re.compile(r"\bturn(?:s|ed|ing)\s+(?P<age>\d{1,3})\b", _I),
    re.compile(r"\b(?P<age>\d{1,3})(?:st|nd|rd|th)\s+(?:birthday|bday|b-day)\b", _I),
    re.compile(r"\b(?:his|her|their)\s+(?P<age>\d{2})(?:st|nd|rd|th)\s+(?:is|was|on)\b", _I),
    re.compile(r"(?<![\d.])\b(?P<age>\d{1,3})\.\s*geburtstag", _I),
    re.compile(r"\b(?P<age>\d{2})\s+jahre\s+alt\b", _I),
    # "hatte am Montag seinen 50.", "feiert ihren 60er": the birthday left unsaid.
    re.compile(r"\b(?:seinen|ihren)\s+(?P<age>\d{2})(?:er\b|\.(?!\s*\w)|$)", _I),
    re.compile(
        r"\bwird\s+(?:[^,;!?]{0,25}?\s)?(?P<age>\d{2})\b(?!\.)(?!\s*(?:jahre\s+(?:bei|im|in|"
        r"an|am)|%|€|eur|prozent|leute|mitarbeiter|jahre\s+(?:kunde|verheiratet)))",
        _I,
    ),
)
BABY_BEFORE = re.compile(
    r"\b(?:baby|son|daughter|boy|girl|twins?|child|kid|sohn|tochter|kind|"
    r"zwillinge|enkel\w*)\b[^.,;]{0,20}$",
    _I,
)

# --- anniversaries -------------------------------------------------------------------------
_ANNIVERSARY_SUBJECTS_CORE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "wedding",
        re.compile(
            r"\b(?:wedding\s+anniversary|hochzeitstag\w*|(?:silver|golden|ruby|diamond)\s+wedding|"
            r"(?:silberne|goldene|diamantene|rubin)\s+hochzeit|(?:silber|gold|diamant|rubin)hochzeit|"
            r"married\s+(?:for\s+)?\d+\s+years|"
            r"\d+\s+years\s+(?:of\s+)?marriage|seit\s+\d+\s+jahren\s+verheiratet|"
            r"anniversary\s+with\s+(?:his|her)\s+(?:wife|husband))",
            _I,
        ),
    ),
    (
        "work",
        re.compile(
            r"\b(?:work\s+anniversary|service\s+anniversary|dienstjubiläum|firmenzugehörigkeit|"
            r"betriebszugehörigkeit|arbeitsjubiläum|\d+\s*(?:years?|jahren?)\s+(?:at|with|bei)\s+"
            r"(?!us\b|uns\b|our\b)|\d+\s*jahre\s+(?:im\s+(?:unternehmen|betrieb|haus|konzern)|"
            r"in\s+der\s+firma)|anniversary\s+(?:at|with)\s+(?:the|his|her)\s+\w+|"
            r"(?:been|is|was)\s+(?:with|at)\s+(?!us\b)\S+(?:\s+\S+)?\s+for\s+\d+\s*(?:years|yrs))",
            _I,
        ),
    ),
    (
        "company",
        re.compile(
            r"\b(?:company\s+anniversary|firmenjubiläum|unternehmensjubiläum|gründungstag|"
            r"firmengeschichte|founded|gegründet|founding|(?:company|firm|business|unternehmen|firma)"
            r"\s+(?:turns|wird|celebrates|feiert)|anniversary\s+of\s+the\s+(?:company|firm))",
            _I,
        ),
    ),
    (
        "customer",
        re.compile(
            r"\b(?:customers?\s+since|as\s+(?:our|a)\s+customer|our\s+customer|kunde[n]?\s+seit|"
            r"seit\s+(?:\S+\s+){1,2}?kunde|kundenjubiläum|partnership|partnerschaft|client\s+since|"
            r"zusammenarbeit\s+seit|with\s+us\s+as\s+(?:a\s+|our\s+)?(?:client|customer)|"
            r"as\s+(?:a\s+|our\s+)?client|(?:years?|jahren?)\s+(?:with|bei)\s+(?:us|uns)\b)",
            _I,
        ),
    ),
    ("other", re.compile(r"\b(?:anniversary|jubiläum|jahrestag)\b", _I)),
)
# A customer or company trigger alone ("our customer") needs a count, a start date or the
# word anniversary before it is an anniversary.
ANNIVERSARY_WORD = re.compile(r"anniversary|jubiläum|jahrestag|founded|gegründet|turns|wird", _I)
YEARS_COUNT = (
    re.compile(
        r"(?<!after\s)(?<!nach\s)\b(?P<n>\d{1,3})(?:st|nd|rd|th|\.)?\s*-?\s*"
        r"(?:years?|yrs?\b|jahre?n?\b|j\.|jähriges|jährige)",
        _I,
    ),
    re.compile(r"\b(?P<n>\d{1,3})\.\s*(?:hochzeitstag|jahrestag|firmenjubiläum)", _I),
    re.compile(r"\b(?P<n>\d{1,3})(?:st|nd|rd|th)\s+(?:\w+\s+)?anniversary", _I),
    re.compile(r"\b(?P<n>\d{1,3})\.\s*\w*jubiläum", _I),
    re.compile(r"\bturns\s+(?P<n>\d{1,3})\b", _I),
)
JUBILEE_YEARS = (
    (re.compile(r"\b(?:silver|silber)", _I), 25),
    (re.compile(r"\b(?:golden|goldene|goldhochzeit)", _I), 50),
    (re.compile(r"\b(?:ruby|rubin)", _I), 40),
    (re.compile(r"\b(?:diamond|diamantene)", _I), 60),
)
# "Our partnership started 10 years ago on 1 December": the start year is that long ago.
YEARS_AGO = re.compile(
    r"\b(?P<n>\d{1,3}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|"
    r"twenty|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|elf|zwölf|fünfzehn|zwanzig)\s+"
    r"(?:years|yrs)\s+ago\b|\bvor\s+(?P<m>\d{1,3})\s+jahren\b",
    _I,
)
NUMBER_WORDS = {
    word: value
    for value, words in enumerate(
        [
            (),
            ("one",),
            ("two", "zwei"),
            ("three", "drei"),
            ("four", "vier"),
            ("five", "fünf"),
            ("six", "sechs"),
            ("seven", "sieben"),
            ("eight", "acht"),
            ("nine", "neun"),
            ("ten", "zehn"),
            ("eleven", "elf"),
            ("twelve", "zwölf"),
        ]
    )
    for word in words
} | {"fifteen": 15, "fünfzehn": 15, "twenty": 20, "zwanzig": 20}
DURATION = re.compile(r"\b(?:after|nach)\s+\d+\s+(?:years|jahren)", _I)
START_WORD = re.compile(r"\b(?:founded|gegründet|since|seit|married\s+on|geheiratet)", _I)

# --- role changes --------------------------------------------------------------------------
# Triggers whose following words are the title, whatever they are.
_ROLE_STRONG_CORE = re.compile(
    r"\b(?:prom\w{0,3}t(?:ed|ion)\s+to|appointed(?:\s+as)?|new\s+(?:role|job|position)\s+as|"
    r"takes?\s+over\s+as|taking\s+over\s+as|took\s+over\s+as|start(?:s|ed|ing)?\s+as|"
    r"join(?:s|ed|ing)?\s+[\w&.-]+(?:\s+[\w&.-]+)?\s+as|elected(?:\s+as)?|moved\s+up\s+to|"
    r"stepp(?:ing|ed)\s+up\s+as|befördert\s+(?:zum|zur)|ernannt\s+(?:zum|zur)|"
    r"neue[rn]?\s+(?:Rolle|Position|Stelle|Aufgabe|Job)\s+als|übernimmt\s+(?:\S+\s+){0,4}?als|"
    r"übernahm\s+(?:\S+\s+){0,4}?als|wechselt\s+als|wurde(?:\s+\w+){0,2}?\s+(?:zum|zur)"
    r"(?=\s+\w+\s+(?:\w+\s+){0,2}?(?:befördert|ernannt|gewählt|bestellt)))",
    _I,
)
# Triggers that only count when a job title follows ("is now CFO", not "is now in Rome").
_ROLE_WEAK_CORE = re.compile(
    r"\b(?:(?:is|'s|\u2019s)\s+(?:now\s+)?(?:the\s+)?new|is\s+now|now\s+the|becomes|became|"
    r"will\s+become|named|ist\s+(?:jetzt|nun|seit\s+kurzem|neuerdings|ab\s+sofort)|"
    r"ist\s+(?:der|die)?\s*neue[rs]?|und\s+jetzt|wird|wurde\s+(?:zum|zur))(?=\s)",
    _I,
)
# Employer changes without a title.
_ROLE_MOVE_CORE = re.compile(
    r"\b(?:join(?:s|ed|ing)\s+(?=(?-i:[A-ZÄÖÜ]))|switch(?:es|ed|ing)?\s+to\s+(?=(?-i:[A-ZÄÖÜ]))|"
    r"new\s+job\b|new\s+employer|leav(?:es|ing)\s+(?=(?-i:[A-ZÄÖÜ]))|"
    r"wechselt\s+(?:[\w.]+\s+){0,3}?(?:zu|zur|zum)\s+(?=(?-i:[A-ZÄÖÜ]))|"
    r"neue[nr]?\s+(?:Job|Arbeitgeber|Stelle)\b|fängt\s+bei\s+\S+\s+an|bei\s+\S+\s+angefangen|"
    r"beginnt\s+bei\s+(?=(?-i:[A-ZÄÖÜ])))",
    _I,
)
# Words that make a phrase a job title: whole words, or the end of a German compound.
TITLE_WORDS = frozenset(
    [
        "head",
        "chief",
        "lead",
        "vp",
        "svp",
        "evp",
        "ceo",
        "cfo",
        "cto",
        "coo",
        "cio",
        "cmo",
        "cso",
        "cpo",
        "cdo",
        "chro",
        "ciso",
        "gm",
        "md",
        "principal",
        "owner",
        "founder",
        "treasurer",
        "counsel",
        "secretary",
        "supervisor",
        "partner",
        "partnerin",
    ]
)
TITLE_ENDINGS = (
    "leiter",
    "leiterin",
    "führer",
    "führerin",
    "direktor",
    "direktorin",
    "chef",
    "chefin",
    "vorstand",
    "vorständin",
    "manager",
    "managerin",
    "präsident",
    "präsidentin",
    "vorsitzende",
    "vorsitzender",
    "prokurist",
    "prokuristin",
    "referent",
    "referentin",
    "sprecher",
    "sprecherin",
    "berater",
    "beraterin",
    "koordinator",
    "koordinatorin",
    "inhaber",
    "inhaberin",
    "gründer",
    "gründerin",
    "officer",
    "director",
    "president",
    "engineer",
    "ingenieur",
    "ingenieurin",
    "consultant",
    "controller",
    "architect",
    "architekt",
    "architektin",
    "bürgermeister",
    "bürgermeisterin",
    "dezernent",
    "dezernentin",
)
TITLE_STOP = frozenset(
    [
        "at",
        "on",
        "in",
        "from",
        "starting",
        "effective",
        "with",
        "and",
        "since",
        "by",
        "for",
        "next",
        "last",
        "this",
        "after",
        "before",
        "as",
        "to",
        "yesterday",
        "today",
        "tomorrow",
        "but",
        "so",
        "very",
        "now",
        "already",
        "just",
        "which",
        "who",
        "that",
        "where",
        "when",
        "while",
        "because",
        "is",
        "was",
        "will",
        "the",
        "a",
        "an",
        "our",
        "their",
        "his",
        "her",
        "bei",
        "beim",
        "im",
        "ab",
        "zum",
        "zur",
        "seit",
        "und",
        "von",
        "vom",
        "für",
        "am",
        "an",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "befördert",
        "ernannt",
        "gewählt",
        "geworden",
        "bestellt",
        "worden",
        "mit",
        "nach",
        "letzte",
        "letzter",
        "letzten",
        "nächste",
        "nächsten",
        "gestern",
        "heute",
        "morgen",
        "ist",
        "war",
        "wird",
        "wurde",
        "sofort",
        "of",
        "des",
        "einer",
        "eines",
        "eine",
        "ein",
    ]
)
# Words between "wird" and the title: "wird ab 1. März Vertriebsleiterin".
TITLE_SKIP = frozenset(
    [
        "ab",
        "zum",
        "zur",
        "am",
        "im",
        "mitte",
        "ende",
        "anfang",
        "jetzt",
        "nun",
        "now",
        "from",
        "on",
        "in",
    ]
)
TITLE_LEAD = frozenset(
    [
        "the",
        "a",
        "an",
        "our",
        "their",
        "his",
        "her",
        "new",
        "der",
        "die",
        "das",
        "den",
        "dem",
        "zum",
        "zur",
        "neue",
        "neuer",
        "neuen",
        "neues",
    ]
)
TITLE_OF_FRIENDLY = frozenset({"head", "vp", "director", "president", "chief", "vice"})
# Weak German nouns lose their dative -en in a title: "zum Prokuristen" names a Prokurist.
WEAK_TITLE_ENDINGS = ("prokurist", "präsident", "referent", "dezernent", "assistent", "architekt")
# A title held for a time is not a change: "seit fünf Jahren Geschäftsführer".
DURATION_WORDS = frozenset(
    ["jahren", "jahre", "monaten", "monate", "wochen", "years", "months", "weeks"]
)

# --- life events ---------------------------------------------------------------------------
_LIFE_EVENTS_CORE: tuple[tuple[str, re.Pattern[str]], ...] = (
    (
        "wedding",
        re.compile(
            r"\b(?:get(?:ting|s)?\s+married|got\s+married|just\s+married|newly\s+married|"
            r"will\s+marry|marries|tied\s+the\s+knot|wedding\b(?!\s+anniversary)|heiratet|heiraten|"
            r"geheiratet|(?<!silberne\s)(?<!goldene\s)(?<!diamantene\s)hochzeit\b|trauung|"
            r"vermählt)",
            _I,
        ),
    ),
    (
        "birth",
        re.compile(
            r"\b(?:had\s+(?:a|her|his|their)\s+(?:baby|son|daughter|boy|girl|first\s+child)|"
            r"had\s+twins|(?:baby|son|daughter|twins)\s+(?:was\s+|were\s+)?born|"
            r"became\s+(?:a\s+)?(?:father|mother|dad|mum|mom|parents?|grand\w+)|"
            r"(?:is|are)\s+expecting|baby\s+(?:is\s+)?due|newborn|gave\s+birth|"
            r"birth\s+of\s+(?:his|her|their)|"
            r"(?:sohn|tochter|baby|kind|zwillinge|nachwuchs)\s+(?:bekommen|geboren)|"
            r"(?:vater|mutter|papa|mama|opa|oma|großvater|großmutter|eltern)\s+geworden|"
            r"wird\s+(?:[\w.]+\s+){0,3}?(?:vater|mutter|papa|mama|opa|oma)\b|"
            r"geburt\s+(?:seines|ihres|seiner|ihrer|des|der)|schwanger|nachwuchs|"
            r"erwartet\s+(?:\S+\s+){0,4}?(?:baby|kind|nachwuchs)\b|expecting\s+(?:\S+\s+){0,3}?"
            r"(?:baby|child))",
            _I,
        ),
    ),
    (
        "move",
        re.compile(
            r"\b(?:mov(?:ing|es|ed|e)\s+(?:to|house|home|back\s+to|into)|relocat\w*|"
            r"new\s+(?:house|flat|apartment|home)|"
            r"zieh(?:t|en)\s+(?:\S+\s+){0,4}?(?:um|nach|in\s+die|ins)\b|umgezogen|umziehen|umzug|"
            r"nach\s+\S+\s+gezogen)",
            _I,
        ),
    ),
    (
        "graduation",
        re.compile(
            r"\b(?:graduat(?:ed|es|ing|ion)|finished\s+(?:his|her|their)\s+(?:degree|studies|phd|"
            r"master'?s?|bachelor'?s?|mba|apprenticeship|doctorate)|(?:got|earned|completed)\s+"
            r"(?:his|her|their|a)\s+(?:degree|phd|doctorate|master'?s?|mba|bachelor'?s?)|"
            r"defended\s+(?:his|her)\s+(?:thesis|phd|dissertation)|passed\s+(?:the\s+|her\s+|his\s+)?"
            r"(?:bar|final\s+exams|finals|a-levels|abitur)|abitur|abi\b|abiball|abschlussfeier|"
            r"abschluss\s+gemacht|(?:studium|bachelor|master|diplom|examen|staatsexamen|ausbildung)\s+"
            r"(?:\S+\s+){0,2}?(?:abgeschlossen|bestanden|gemacht|geschafft|beendet)|"
            r"hat\s+(?:\S+\s+){0,3}?promoviert)",
            _I,
        ),
    ),
    (
        "retirement",
        re.compile(
            r"\b(?:retir(?:e|es|ed|ing|ement)|pensioned|rente\b|in\s+rente|ruhestand|pensioniert|"
            r"verrentet|renteneintritt|rentner\w*)",
            _I,
        ),
    ),
    (
        "bereavement",
        re.compile(
            r"\b(?:passed\s+away|died|death\s+of|lost\s+(?:his|her|their)\s+(?:father|mother|dad|"
            r"mum|mom|husband|wife|son|daughter|brother|sister|partner|parents?|grand\w+)|funeral|"
            r"bereavement|condolences|verstorben|gestorben|stirbt|verstarb|tod\s+(?:seines|ihres|"
            r"seiner|ihrer|des|der)|trauerfall|beerdigung|beisetzung|trauerfeier|"
            r"(?:vater|mutter|mann|frau|sohn|tochter|bruder|schwester)\s+verloren)",
            _I,
        ),
    ),
    (
        "illness",
        re.compile(
            r"\b(?:surgery|operated|in\s+(?:the\s+)?hospital|hospitali[sz]ed|sick\b(?!\s+of)|"
            r"ill\b(?!-)|illness|cancer|heart\s+attack|stroke\b(?!\s+of)|burn-?out|"
            r"broke\s+(?:his|her)\s+\w+|injur(?:y|ed)|accident|chemo\w*|diagnosed|recovering|"
            r"rehab|krank|kranke[nr]?|krankgeschrieben|krankheit|erkrankt|krankenhaus|klinik|"
            r"op\b|operiert|operation|herzinfarkt|schlaganfall|krebs|reha\b|unfall|"
            r"bandscheibenvorfall|gebrochen|genesung)(?!\w)",
            _I,
        ),
    ),
)
# Something else is moving: "meeting moved to 12 December", "die Firma zieht um".
NOT_A_PERSON_MOVING = re.compile(
    r"\b(?:meeting|call|appointment|deadline|date|session|workshop|delivery|go-live|launch|"
    r"termin|firma|unternehmen|büro|office|company|firm|team|abteilung|werk|plant|forward|"
    r"gebäude)\b",
    _I,
)

_CONTEXT = _WORDS["life_event_context"]
# Someone else's celebration: "went to a wedding as a guest".
GUEST = re.compile(rf"(?<!\w){alternation(languages(_CONTEXT['guest']))}(?!\w)", _I)
# A plan without a date is no event yet: "plans to move house some day".
HEDGE = re.compile(rf"(?<!\w){alternation(languages(_CONTEXT['hedge']))}(?!\w)", _I)

# --- milestones ----------------------------------------------------------------------------
_MILESTONE_CORE = re.compile(
    r"\b(?:go[-\s]?live|golive|(?:product|produkt)?launch(?:ed)?|kick[-\s]?off|roll[-\s]?out|"
    r"(?:project\s+)?completion|hand-?over|(?:grand\s+|official\s+)?opening(?=\s+of)|"
    r"inauguration|IPO|(?<!press\s)release|milestone|commissioning|groundbreaking|"
    r"topping[-\s]out|cut-?over|projektabschluss|projektstart|abnahme|übergabe|eröffnung|"
    r"einweihung|inbetriebnahme|richtfest|spatenstich|börsengang|meilenstein|markteinführung|"
    r"vertragsunterzeichnung|unterzeichnung)\b",
    _I,
)
_SIGNABLE = alternation(languages(_WORDS["milestone"]["signed"]))
SIGNED = folded(
    re.compile(
        rf"\b(?:(?P<noun>(?:[\w-]+\s+)?{_SIGNABLE}(?:\s+(?:renewal|extension|"
        r"amendment))?)\s+(?:was\s+|is\s+|got\s+|has\s+been\s+|today\s+|finally\s+)?signed|"
        r"signed\s+(?:the\s+|a\s+|our\s+|their\s+)?"
        rf"(?P<obj>(?:[\w-]+\s+)?{_SIGNABLE})(?!\w)|"
        r"(?P<vertrag>\w*vertrag\w*)\s+(?:\S+\s+){0,3}?unterschrieben)",
        _I,
    )
)
# Milestones told with a verb: "goes live on 12 January", "the new plant opens in March".
GOES_LIVE = folded(
    re.compile(
        r"\b(?:go(?:es)?|went|going|gone)\s+live\b|\b(?:geht|gehen|ging|gingen)\s+(?:[\w.]+\s+){0,4}?"
        r"live\b",
        _I,
    )
)
SITE_OPENS = folded(
    re.compile(
        r"\b(?P<site>(?:\w+\s+)?(?:plant|office|factory|warehouse|store|shop|branch|site|"
        r"headquarters|hq|campus|building|werk|lager|büro|filiale|standort|fabrik|zentrale|halle|"
        r"niederlassung|laden))\s+(?:opens|opened|will\s+open|is\s+opening|eröffnet|öffnet|"
        r"wird\s+eröffnet|opening(?!\s+(?:hours|times)))\b",
        _I,
    )
)
# "Milestone: first delivery on 20 January": a heading, the milestone follows the colon.
HEADING = re.compile(r"\w+\s*:", _I)
MILESTONE_MODIFIERS = frozenset(
    [
        "project",
        "projekt",
        "product",
        "produkt",
        "system",
        "platform",
        "software",
        "plant",
        "site",
        "crm",
        "erp",
        "sap",
        "website",
        "app",
        "phase",
    ]
)
LABEL_STOP = frozenset(
    [
        "in",
        "on",
        "at",
        "am",
        "im",
        "for",
        "für",
        "next",
        "nächste",
        "nächsten",
        "last",
        "letzte",
        "letzten",
        "planned",
        "geplant",
        "is",
        "was",
        "will",
        "wird",
        "ist",
        "war",
        "postponed",
        "verschoben",
        "today",
        "heute",
        "yesterday",
        "gestern",
        "tomorrow",
        "morgen",
        "and",
        "und",
        "after",
        "nach",
        "before",
        "vor",
        "by",
        "bis",
        "from",
        "ab",
        "with",
        "mit",
    ]
)

# Cheap substring checks (on the lower-cased sentence) that let a sentence skip whole families
# of patterns; each list holds a fragment of every alternative of the patterns above.
HINTS: dict[str, tuple[str, ...]] = {
    "anniversary": (
        "anniversar",
        "jubil",
        "jahrestag",
        "year",
        "jahr",
        "founded",
        "gegründet",
        "gründ",
        "customer",
        "kunde",
        "partner",
        "hochzeit",
        "married",
        "wedding",
        "verheiratet",
        "turns",
        "wird",
        "client",
        "zusammenarbeit",
        "zugehörigkeit",
    ),
    "birthday": (
        "birth",
        "bday",
        "b-day",
        "b'day",
        "geburt",
        "geb",
        "born",
        "dob",
        "0",
        "1",
        "2",
        "3",
        "4",
        "5",
        "6",
        "7",
        "8",
        "9",
    ),
    "wedding": ("marr", "wedding", "knot", "heirat", "hochzeit", "trauung", "vermählt"),
    "birth": (
        "had",
        "born",
        "became",
        "expecting",
        "due",
        "newborn",
        "birth",
        "bekommen",
        "geboren",
        "geworden",
        "wird",
        "geburt",
        "schwanger",
        "nachwuchs",
        "erwartet",
    ),
    "move": (
        "mov",
        "relocat",
        "new house",
        "new flat",
        "new apartment",
        "new home",
        "zieh",
        "umzug",
        "gezogen",
    ),
    "graduation": (
        "graduat",
        "finished",
        "got",
        "earned",
        "completed",
        "defended",
        "passed",
        "abi",
        "abschluss",
        "studium",
        "bachelor",
        "master",
        "diplom",
        "examen",
        "ausbildung",
        "promoviert",
    ),
    "retirement": ("retir", "pension", "rente", "ruhestand", "verrentet"),
    "bereavement": (
        "passed away",
        "died",
        "death",
        "lost",
        "funeral",
        "bereavement",
        "condolences",
        "verstorben",
        "gestorben",
        "stirbt",
        "verstarb",
        "tod",
        "trauer",
        "beerdigung",
        "beisetzung",
        "verloren",
    ),
    "illness": (
        "surg",
        "operat",
        "hospital",
        "sick",
        "ill",
        "cancer",
        "heart",
        "stroke",
        "burn",
        "broke",
        "injur",
        "accident",
        "chemo",
        "diagnos",
        "recover",
        "rehab",
        "krank",
        "klinik",
        "op",
        "herzinfarkt",
        "schlaganfall",
        "krebs",
        "reha",
        "unfall",
        "bandscheibe",
        "gebrochen",
        "genesung",
    ),
    "role_change": (
        "prom",
        "appoint",
        "new ",
        "take",
        "took",
        "start",
        "join",
        "elect",
        "moved",
        "stepp",
        "beförder",
        "ernannt",
        "neue",
        "übernimmt",
        "übernahm",
        "wechsel",
        "wurde",
        "now",
        "becom",
        "became",
        "named",
        "ist",
        "wird",
        "jetzt",
        "switch",
        "leav",
        "fängt",
        "angefangen",
        "beginnt",
    ),
    "milestone": (
        "go",
        "launch",
        "kick",
        "roll",
        "completion",
        "hand",
        "opening",
        "inauguration",
        "ipo",
        "release",
        "milestone",
        "commission",
        "groundbreak",
        "topping",
        "cut",
        "projekt",
        "abnahme",
        "übergabe",
        "eröffn",
        "einweih",
        "inbetrieb",
        "richtfest",
        "spatenstich",
        "börse",
        "meilenstein",
        "markteinf",
        "unterzeichn",
        "signed",
        "unterschrieben",
        "open",
        "öffnet",
        "geh",
        "ging",
        "live",
    ),
}


# --- phrases from words/triggers.toml --------------------------------------------------------
_ROLE = _WORDS["role_change"]
ROLE_STRONG = folded(_extended(_ROLE_STRONG_CORE, languages(_ROLE["title_follows"])))
ROLE_WEAK = folded(
    re.compile(
        rf"(?:{_ROLE_WEAK_CORE.pattern})"
        rf"|(?<!\w){alternation(languages(_ROLE['title_word_follows']))}(?=\s)",
        _I,
    )
)
ROLE_LEADS = folded(
    re.compile(
        rf"(?<!\w){alternation(languages(_ROLE['leads']))}\s+(?:\S+\s+){{0,3}}?"
        rf"{alternation(languages(_ROLE['departments']))}(?!\w)",
        _I,
    )
)
ROLE_MOVE = folded(_extended(_ROLE_MOVE_CORE, languages(_ROLE["no_title"])))
TITLE_STOP = TITLE_STOP | {"job", "role", "position", "stelle", "posten", "funktion"}
TITLE_STOP = TITLE_STOP | frozenset(_ROLE["title_stop"])
TITLE_SKIP = TITLE_SKIP | frozenset(_ROLE["title_skip"])
LIFE_EVENTS = tuple(
    (event, folded(_extended(pattern, languages(_WORDS["life_event"].get(event, {})))))
    for event, pattern in _LIFE_EVENTS_CORE
)
ANNIVERSARY_SUBJECTS = tuple(
    (subject, folded(pattern)) for subject, pattern in _ANNIVERSARY_SUBJECTS_CORE
)
MILESTONE = folded(_extended(_MILESTONE_CORE, languages(_WORDS["milestone"]["nouns"])))
_PHRASE_HINTS: dict[str, list[str]] = {
    "role_change": [
        *languages(_ROLE["title_follows"]),
        *languages(_ROLE["title_word_follows"]),
        *languages(_ROLE["no_title"]),
        *languages(_ROLE["leads"]),
    ],
    "milestone": languages(_WORDS["milestone"]["nouns"]),
    **{event: languages(table) for event, table in _WORDS["life_event"].items()},
}
HINTS = {
    family: (*fragments, *hints(_PHRASE_HINTS.get(family, ())))
    for family, fragments in HINTS.items()
}


def _hint_families() -> tuple[re.Pattern[str], dict[str, frozenset[str]]]:
    """One pattern over every family's fragments, and the families each fragment stands for.

    It is tried at every position of a sentence and reports the longest fragment found
    there; every shorter fragment found at that position is a prefix of it, so a fragment's
    families include those of all its prefixes and one scan finds every family.
    """
    owners: dict[str, set[str]] = {}
    for family, fragments in HINTS.items():
        for fragment in fragments:
            owners.setdefault(fragment, set()).add(family)
    families = {
        fragment: frozenset(
            family
            for other, owned in owners.items()
            if fragment.startswith(other)
            for family in owned
        )
        for fragment in owners
    }
    pattern = re.compile("(?=(" + trie_source(owners) + "))")
    return pattern, families


_HINT_SCAN, _HINT_FAMILIES = _hint_families()


def hinted_families(lower: str) -> frozenset[str]:
    """The families whose fragments occur in the lower-cased sentence, in one scan: a cheap
    test that lets a sentence skip the patterns of every other family."""
    found: set[str] = set()
    for fragment in set(_HINT_SCAN.findall(lower)):
        found |= _HINT_FAMILIES[fragment]
    return frozenset(found)
