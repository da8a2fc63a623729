"""Need-to-know for special-category (GDPR Art. 9) notes outside the contact page: what a
viewer without the need (contacts.permissions.may_see_sensitive) gets instead of a fact,
an observation's text or a suggestion's explanation that quotes one.

Pages scoped to what a user owns (the dashboard, the calendar feed, the digest) or to team
leads (the team pages) never reach such a viewer; whatever lists the team's data (the
API) asks here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from typing import Any

from django.utils import translation
from django.utils.translation import gettext as _

from contacts.models import Contact, Fact, Observation, User
from contacts.permissions import may_see_sensitive
from gestures.models import Suggestion
from gestures.rules.explain import render_explanation

from .models import AccessLogEntry
from .services import access_log_record_many

# A fact's content fields: a viewer without the need to know gets them empty.
HIDDEN_FACT_FIELDS: tuple[str, ...] = (*Fact.CONTENT_FIELDS[1:], "evidence")


def sensitive_note_text() -> str:
    return _(
        "A sensitive note (GDPR Art. 9) exists. Only the contact's owner, its author, the "
        "team lead and admins see what it says."
    )


def sensitive_observation_authors(observation_ids: Iterable[int]) -> dict[int, tuple[int, str]]:
    """Of `observation_ids`, those with an Art. 9 fact: their author and text. One query."""
    ids = {pk for pk in observation_ids if isinstance(pk, int)}
    if not ids:
        return {}
    rows = (
        Observation.objects.filter(pk__in=ids, facts__sensitive=True)
        .values_list("pk", "author_id", "text")
        .distinct()
    )
    return {pk: (author_id, text) for pk, author_id, text in rows}


def fact_rows_for(user: User, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Facts as rows of values (with `observation__author_id`, `contact__owner_id` and
    `contact__team_id`): an Art. 9 fact is masked for a viewer without the need to know (its
    kind and that it is sensitive stay); reading one unmasked is recorded in the access log."""
    read: dict[int, Contact] = {}
    for row in rows:
        contact = Contact(
            pk=row["contact_id"],
            owner_id=row.pop("contact__owner_id"),
            team_id=row.pop("contact__team_id"),
        )
        author_id = row.pop("observation__author_id", None)
        if not row.get("sensitive"):
            continue
        if may_see_sensitive(user, contact, author_id=author_id):
            read[contact.pk] = contact
            continue
        for name in HIDDEN_FACT_FIELDS:
            if name in row:
                row[name] = None if name in ("month", "day", "year", "date") else ""
    access_log_record_many(user=user, contacts=read.values(), action=AccessLogEntry.Action.VIEW)
    return rows


def hidden_quotes(
    user: User, suggestions: Sequence[Suggestion]
) -> dict[int, frozenset[str] | None]:
    """For each suggestion `user` may not read entirely: the quoted texts to leave out, or
    None when the occasion itself comes from an Art. 9 note they may not read."""
    sensitive = sensitive_observation_authors(
        pk for suggestion in suggestions for pk in suggestion.observation_ids
    )
    hidden: dict[int, frozenset[str] | None] = {}
    for suggestion in suggestions:
        contact = suggestion.contact
        if may_see_sensitive(user, contact, author_id=None):
            continue  # the contact's owner, team leads and admins read it all
        own_sensitive = [pk for pk in suggestion.observation_ids if pk in sensitive]
        texts = frozenset(
            sensitive[pk][1].strip()
            for pk in own_sensitive
            if not may_see_sensitive(user, contact, author_id=sensitive[pk][0])
        )
        explanation = suggestion.stored_explanation()
        if explanation is not None and explanation.sensitive and (texts or not own_sensitive):
            # The occasion itself is an Art. 9 fact (an illness): its name says too much.
            hidden[suggestion.pk] = None
        elif texts:
            hidden[suggestion.pk] = texts
    return hidden


def explanation_text_for(
    suggestion: Suggestion,
    *,
    hidden: Mapping[int, frozenset[str] | None],
    language: str,
    today: dt.date,
    names: Mapping[str, tuple[str, str]],
) -> str:
    """The explanation as text in `language`, without what the viewer may not read."""
    explanation = suggestion.stored_explanation()
    if explanation is None:
        return ""
    if suggestion.pk in hidden:
        texts = hidden[suggestion.pk]
        if texts is None:
            with translation.override(language):
                return sensitive_note_text()
        explanation = replace(
            explanation, quotes=tuple(q for q in explanation.quotes if q[0].strip() not in texts)
        )
    return render_explanation(explanation, language=language, today=today, interest_names=names)
