"""The suggestion rules of the daily scan: pure functions of plain data and `today`.

No ORM, no settings, no clock: the scan service loads the data, calls
`suggest_for_contact` per contact and stores what it returns.
"""

from .dates import days_until, next_occurrence, occurrence_in_year
from .explain import (
    ExplanationParts,
    describe_distance,
    explanation_parts,
    format_date,
    format_money,
    render_explanation,
)
from .gifts import (
    GiftProposal,
    Ineligibility,
    annual_gift_limit,
    contact_gift_limit,
    eligible_gifts,
    gift_ineligibility,
    gift_needs_approval,
    gift_proposal,
    propose_gift,
    remaining_allowance,
)
from .scan import suggest_for_contact
from .types import (
    CLOSED_STATUSES,
    CatalogItem,
    ContactInfo,
    Explanation,
    FactInfo,
    FallbackReason,
    GestureInfo,
    GiftReason,
    ObservationInfo,
    Occasion,
    OpenSuggestion,
    ScanSettings,
    SuggestionDraft,
    SuggestionKind,
)

__all__ = [
    "CLOSED_STATUSES",
    "CatalogItem",
    "ContactInfo",
    "Explanation",
    "ExplanationParts",
    "FactInfo",
    "FallbackReason",
    "GestureInfo",
    "GiftProposal",
    "GiftReason",
    "Ineligibility",
    "ObservationInfo",
    "Occasion",
    "OpenSuggestion",
    "ScanSettings",
    "SuggestionDraft",
    "SuggestionKind",
    "annual_gift_limit",
    "contact_gift_limit",
    "days_until",
    "describe_distance",
    "eligible_gifts",
    "explanation_parts",
    "format_date",
    "format_money",
    "gift_ineligibility",
    "gift_needs_approval",
    "gift_proposal",
    "next_occurrence",
    "occurrence_in_year",
    "propose_gift",
    "remaining_allowance",
    "render_explanation",
    "suggest_for_contact",
]
