"""Value types of the fact extractor: the taxonomy input and the facts it returns.

Plain frozen dataclasses so results can be shared between threads and compared in tests.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Literal

Language = Literal["en", "de"]
FactKind = Literal[
    "birthday",
    "anniversary",
    "role_change",
    "life_event",
    "interest",
    "dislike",
    "constraint",
    "milestone",
]
FieldValue = str | int | date | None

FACT_KINDS: tuple[FactKind, ...] = (
    "birthday",
    "anniversary",
    "role_change",
    "life_event",
    "interest",
    "dislike",
    "constraint",
    "milestone",
)
ANNIVERSARY_SUBJECTS = ("work", "company", "customer", "wedding", "other")
LIFE_EVENTS = ("wedding", "birth", "move", "graduation", "retirement", "bereavement", "illness")
CONSTRAINT_TAGS = (
    "no_alcohol",
    "vegan",
    "vegetarian",
    "gluten_free",
    "lactose_free",
    "nut_allergy",
    "halal",
    "kosher",
    "no_gifts",
)
# Health (allergies, intolerances, coeliac disease) and religion (halal, kosher) are GDPR
# Art. 9 categories. Vegan, vegetarian, no alcohol and no gifts are lifestyle or policy and
# stay unflagged even though a reason may be religious; the note itself is what is flagged.
SENSITIVE_CONSTRAINTS = frozenset({"gluten_free", "lactose_free", "nut_allergy", "halal", "kosher"})
SENSITIVE_LIFE_EVENTS = frozenset({"illness"})


@dataclass(frozen=True, slots=True)
class TagTerms:
    """One interest tag as the admin maintains it (mirrors the Tag model)."""

    slug: str
    name_en: str
    name_de: str
    synonyms_en: Sequence[str] = ()
    synonyms_de: Sequence[str] = ()


@dataclass(frozen=True, slots=True)
class ExtractedFact:
    kind: FactKind
    fields: Mapping[str, FieldValue]
    sensitive: bool
    evidence: str
    # Offset of the words that triggered the fact; orders facts as they appear in the text.
    position: int = field(default=0, compare=False)

    def as_json(self) -> dict[str, object]:
        payload: dict[str, object] = {"kind": self.kind}
        for name, value in self.fields.items():
            payload[name] = value.isoformat() if isinstance(value, date) else value
        payload["sensitive"] = self.sensitive
        return payload


@dataclass(frozen=True, slots=True)
class Extraction:
    language: Language
    facts: tuple[ExtractedFact, ...]

    def as_json(self) -> dict[str, object]:
        return {"language": self.language, "facts": [fact.as_json() for fact in self.facts]}
