"""Interest facts: taxonomy terms found in the text, minus negated, past and non-hobby uses.

"hates golf, prefers tennis" gives tennis; "drives a VW Golf", "running the project",
"meet for coffee" and "Art der Zusammenarbeit" give nothing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import NamedTuple

from contacts.extraction.facts import ExtractedFact, FieldValue, Language
from contacts.extraction.language import ENGLISH_WORDS, GERMAN_WORDS
from contacts.extraction.people import OTHER, whose, with_person
from contacts.extraction.segmentation import WORD, Span, by_sentence, clauses
from contacts.extraction.taxonomy import Taxonomy, Term, stem
from contacts.extraction.vocabulary import folded

_I = re.IGNORECASE
# English negation governs what follows it in the clause ("doesn't like golf").
_NEGATION_BEFORE = folded(
    re.compile(
        r"\b(?:not|no|never|neither|nor|\w+n['\u2019]t|doesnt|dont|didnt|isnt|wasnt|cant|wont|hates?|"
        r"hated|dislikes?|disliked|no\s+longer|used\s+to|gave\s+up|give\s+up|quit|stopped|"
        r"careful\s+with|avoids?|allergic\s+to|without|except|instead\s+of|rather\s+than|than|"
        r"statt|anstatt|anstelle|hasst|hasse|hassen)\b",
        _I,
    )
)
# German negation may stand anywhere in the clause ("Golf mag er nicht", "spielt nicht mehr").
_NEGATION_ANYWHERE = folded(
    re.compile(
        r"\b(?:nicht(?!\s+nur)|kein\w*|nie|niemals|weder|früher|aufgehört|verzichtet\w*|ohne|"
        r"anymore|any\s+more|no\s+longer)\b",
        _I,
    )
)
_CONTRAST_BEFORE = re.compile(r"\b(?:als|over)\s+(?:\w+\s+)?$", _I)
_PREFERENCE = folded(re.compile(r"\b(?:prefers?|preferred|lieber|eher|mehr)\b", _I))
_AFFINITY = folded(
    re.compile(
        r"\b(?:lov\w*|likes?|liked|enjoy\w*|fan|fans|passion\w*|hobb\w*|into|keen|avid|big|huge|"
        r"crazy|obsessed|enthusiast\w*|addict\w*|interest\w*|favou?rite|spare\s+time|free\s+time|"
        r"weekends?|collects?|buff|nerd|geek|lover|aficionado|gerne?|liebt|lieben|mag|mögen|"
        r"begeistert\w*|leidenschaft\w*|freizeit|wochenende\w*|liebhaber\w*|interessiert|sammelt|"
        r"verrückt|lieblings\w*|freak|faible|schwärmt|große[rs]?|großer|a\s+lot|lots|often|oft|"
        r"privately|privat|regularly|regelmäßig|every|jede[nm]?|free\s+minute|freie\s+minute|"
        r"wants\s+to|hopes\s+to|möchte|passionate|leidenschaftlich)\b",
        _I,
    )
)
_BUSINESS = folded(
    re.compile(
        r"\b(?:work|business|dienst\w*|geschäft\w*|beruflich\w*|roadmap|project|projekt\w*|stack|"
        r"department|abteilung|partnership|partnerschaft|unsere[rnms]?|our|company|firma|firmen\w*)\b",
        _I,
    )
)
# Coffee or tea as the setting of a meeting, not a taste.
_MEETING = folded(
    re.compile(
        r"\b(?:met|meet|meeting|over|grab|grabbed|quick|lunch|break|machine|office|treffen|"
        r"getroffen|auf\s+einen|beim|zum|trinken\s+gehen|pause|maschine|büro|chat|plausch)\b",
        _I,
    )
)
_HOBBY_OBJECT = re.compile(
    r"^\s+(?:the|a|an|our|their|his|her|its|this|that|these|those|"
    r"through|den|die|das|dem|ein|eine|einen|unsere[nmr]?|seinen|ihren)\b"
    r"(?!\s+(?:lot|bit|little)\b)"
    r"(?!\s+(?:\w+\s+)?(?:books?|novels?|marathons?|race|bücher|buch|"
    r"romane?|krimis?|marathon)\b)",
    _I,
)
_VERB_STEMS = frozenset({"read", "run", "liest", "les"})
_GOLF_CAR = re.compile(r"(?:\b(?:vw|volkswagen|drives?|drove|fährt|fuhr)\s+(?:\w+\s+){0,2}$)", _I)
_GOLF_PLACE = re.compile(r"^\s*(?:gti|tdi|gte|variant|von|of)\b", _I)
_ART_IDIOM = re.compile(r"(?:state\s+of\s+the\s+$)", _I)

# Second parts of German compounds that keep the first part's meaning ("Golffan", "Weinkenner").
_COMPOUND_SECOND_PARTS = frozenset(
    [
        "fan",
        "fans",
        "liebhaber",
        "liebhaberin",
        "kenner",
        "kennerin",
        "freund",
        "freundin",
        "freunde",
        "sammler",
        "sammlerin",
        "sammlung",
        "spieler",
        "spielerin",
        "urlaub",
        "urlaube",
        "reise",
        "reisen",
        "verein",
        "club",
        "klub",
        "platz",
        "kurs",
        "kurse",
        "tour",
        "touren",
        "abo",
        "festival",
        "konzert",
        "konzerte",
        "probe",
        "proben",
        "keller",
        "turnier",
        "turniere",
        "freak",
        "junkie",
        "enthusiast",
        "begeistert",
        "begeisterte",
        "begeisterter",
        "verrückt",
        "narr",
        "fieber",
        "leidenschaft",
        "trinker",
        "trinkerin",
        "fahrer",
        "fahrerin",
        "schuhe",
        "buch",
        "bücher",
        "magazin",
        "zeitschrift",
        "saison",
        "wochenende",
        "wochenenden",
        "training",
        "trainer",
        "hobby",
        "runde",
        "runden",
        "ausflug",
        "ausflüge",
        "mitglied",
        "nerd",
        "liebe",
        "genießer",
        "genießerin",
        "bälle",
        "ball",
        "schläger",
        "ausrüstung",
        "ferien",
        "abend",
        "abende",
        "gruppe",
        "lehrer",
        "lehrerin",
        "stunde",
        "stunden",
        "schule",
        "bar",
        "fest",
    ]
)
_LINKING = ("", "s", "e", "n", "en", "-")
# Longer than any German compound of a hobby: such a token is not a word, and the cuts
# below must not slice it at every position (that made a long token quadratic).
_LONGEST_COMPOUND = 48


class _Token(NamedTuple):  # a tuple: made for every word of every note
    start: int
    end: int
    lower: str


def _tokens(text: str) -> list[_Token]:
    return [_Token(m.start(), m.end(), m.group().lower()) for m in WORD.finditer(text)]


def _compound(token: str, taxonomy: Taxonomy) -> Term | None:
    if not 7 <= len(token) <= _LONGEST_COMPOUND:
        return None
    for cut in range(4, len(token) - 2):
        head = taxonomy.compound_heads.get(token[:cut])
        if head is None:
            continue
        rest = token[cut:]
        for link in _LINKING:
            if rest.startswith(link) and rest[len(link) :] in _COMPOUND_SECOND_PARTS:
                return head
    stemmed = stem(token, "de")
    for cut in range(3, len(stemmed) - 4):
        tail = taxonomy.compound_tails.get(stemmed[cut:])
        if tail is not None:
            return tail
    return None


def _match_terms(text: str, taxonomy: Taxonomy, language: Language) -> list[tuple[int, int, Term]]:
    tokens = _tokens(text)
    other: Language = "de" if language == "en" else "en"
    stems = {lang: [stem(t.lower, lang) for t in tokens] for lang in (language, other)}
    own_words = ENGLISH_WORDS if language == "en" else GERMAN_WORDS
    found: list[tuple[int, int, Term]] = []
    i = 0
    while i < len(tokens):
        best: Term | None = None
        best_length = 0
        for lang in (language, other):
            lang_stems = stems[lang]
            for term in taxonomy.index[lang].get(lang_stems[i], ()):
                length = len(term.stems)
                if length <= best_length or i + length > len(tokens):
                    continue
                # The index is keyed by the first stem: a one-word term matches as found.
                if length > 1 and tuple(lang_stems[i : i + length]) != term.stems:
                    continue
                # A one-word term of the other language that is a common word of this one
                # ("Art der Zusammenarbeit") is not that term.
                if lang == other and length == 1 and tokens[i].lower in own_words:
                    continue
                best, best_length = term, length
        if best is None:
            best = _compound(tokens[i].lower, taxonomy)
            best_length = 1 if best is not None else 0
        if best is not None:
            found.append((tokens[i].start, tokens[i + best_length - 1].end, best))
            i += best_length
        else:
            i += 1
    return found


@dataclass(slots=True)
class _ClauseFacts:
    """Clause-wide answers, computed once however many terms the clause holds."""

    first_negation_end: int | None
    negated_throughout: bool
    business: bool
    coffee_meeting: bool


def _clause_facts(clause: Span) -> _ClauseFacts:
    cue = _NEGATION_BEFORE.search(clause.text)
    return _ClauseFacts(
        first_negation_end=None if cue is None else clause.start + cue.end(),
        negated_throughout=_NEGATION_ANYWHERE.search(clause.text) is not None,
        business=_BUSINESS.search(clause.text) is not None,
        coffee_meeting=bool(_MEETING.search(clause.text) and not _AFFINITY.search(clause.text)),
    )


def _is_hobby(
    text: str,
    clause: Span,
    known: _ClauseFacts,
    sentence_cues: tuple[bool, bool],
    start: int,
    end: int,
    term: Term,
) -> bool:
    affinity, preference = sentence_cues
    if known.negated_throughout or (
        known.first_negation_end is not None and known.first_negation_end <= start
    ):
        return False
    # Look-behind checks only need the last few words before the term.
    before = text[max(clause.start, start - 40) : start]
    after = text[end : min(clause.end, end + 40)]
    if preference and _CONTRAST_BEFORE.search(before):
        return False  # "prefers red wine over beer", "lieber Tee als Kaffee"
    if term.needs_affinity and (not affinity or known.business):
        return False
    if term.stems[0] in _VERB_STEMS and len(term.stems) == 1 and _HOBBY_OBJECT.match(after):
        return False  # "reading the contract", "runs the procurement team"
    if term.tag == "golf" and (_GOLF_CAR.search(before) or _GOLF_PLACE.match(after)):
        return False
    if term.surface in {"art", "arts"} and (
        _ART_IDIOM.search(before) or re.match(r"\s+of\b", after, _I)
    ):
        return False
    return not (term.tag in {"coffee", "tea"} and known.coffee_meeting)


def term_matches(text: str, taxonomy: Taxonomy, language: Language) -> list[tuple[int, int, Term]]:
    """Every taxonomy term in the text, as (start, end, term), longest match first."""
    return _match_terms(text, taxonomy, language)


def interest_facts(
    text: str, sentences: list[Span], matches: list[tuple[int, int, Term]]
) -> list[ExtractedFact]:
    facts: list[ExtractedFact] = []
    if not matches:
        return facts
    for sentence, inside in zip(
        sentences, by_sentence(sentences, matches, lambda m: m[0]), strict=True
    ):
        if not inside:
            continue
        parts = clauses(sentence)
        known: dict[int, _ClauseFacts] = {}
        accepted: set[str] = set()
        cues = (
            _AFFINITY.search(sentence.text) is not None,
            _PREFERENCE.search(sentence.text) is not None,
        )
        for start, end, term in inside:
            if term.tag in accepted:
                continue  # one fact per tag and sentence is all the output keeps
            clause = next((c for c in parts if c.start <= start < c.end), sentence)
            if clause.start not in known:
                known[clause.start] = _clause_facts(clause)
            if _is_hobby(text, clause, known[clause.start], cues, start, end, term):
                person = whose(text, sentence, start, end)
                if person == OTHER:
                    continue
                accepted.add(term.tag)
                fields: dict[str, FieldValue] = {"tag": term.tag}
                with_person(fields, person)
                facts.append(ExtractedFact("interest", fields, False, sentence.text, start))
    return facts
