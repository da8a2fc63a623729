"""One person's data for an access or portability request (GDPR Art. 15, 20): the
exchange format of `export_json --contact` plus the change history, the decisions on
suggestions, what came of the gestures and the access log; and a readable summary of it."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation

from contacts.models import Contact, Observation
from gestures.models import GestureOutcome, SuggestionTransition
from gestures.scan import suggestion_records
from relcrm.exchange import export_data

from .models import AccessLogEntry, ObservationReview


def _history_record(record: Any, fields: tuple[str, ...]) -> dict[str, Any]:
    return {
        "at": record.history_date.isoformat(),
        "change": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
        "by": record.history_user.username if record.history_user else None,
        **{name: _plain(getattr(record, name)) for name in fields},
    }


def _plain(value: Any) -> Any:
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return value


CONTACT_HISTORY_FIELDS = (
    "first_name",
    "last_name",
    "title",
    "email",
    "phone",
    "language",
    "address",
    "salutation",
    "tier",
    "do_not_gift",
    "archived",
    "privacy_notice_on",
)
OBSERVATION_HISTORY_FIELDS = ("id", "text", "noted_on")


def personal_data_export(*, contact: Contact) -> dict[str, Any]:
    """Everything relcrm holds about `contact`, as JSON-ready data."""
    data = export_data(contact=contact)
    data["history"] = {
        "contact": [
            _history_record(record, CONTACT_HISTORY_FIELDS)
            for record in Contact.history.filter(id=contact.pk)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        ],
        "observations": [
            _history_record(record, OBSERVATION_HISTORY_FIELDS)
            for record in Observation.history.filter(contact_id=contact.pk)
            .select_related("history_user")
            .order_by("history_date", "history_id")
        ],
    }
    data["decisions"] = [
        {
            "suggestion": t.suggestion_id,
            "from": t.from_status,
            "to": t.to_status,
            "by": t.by.username,
            "at": t.at.isoformat(),
            "reason": t.reason,
            "reason_text": t.reason_text,
        }
        for t in SuggestionTransition.objects.filter(suggestion__contact=contact)
        .select_related("by")
        .order_by("at", "pk")
    ]
    # Retention reviews: who confirmed which observation still holds, and when.
    data["reviews"] = [
        {
            "observation": review.observation.external_id or review.observation_id,
            "by": review.reviewed_by.username,
            "on": review.reviewed_on.isoformat(),
        }
        for review in ObservationReview.objects.filter(observation__contact=contact)
        .select_related("observation", "reviewed_by")
        .order_by("reviewed_on", "pk")
    ]
    data["gesture_outcomes"] = [
        {
            "gesture_date": o.gesture.date.isoformat(),
            "gesture_kind": o.gesture.kind,
            "outcome": o.result,
            "note": o.note,
            "recorded_by": o.recorded_by.username,
            "recorded_at": o.recorded_at.isoformat(),
        }
        for o in GestureOutcome.objects.filter(gesture__contact=contact)
        .select_related("gesture", "recorded_by")
        .order_by("gesture__date", "gesture_id")
    ]
    data["access_log"] = [
        {"at": entry.at.isoformat(), "user": entry.user.username, "action": entry.action}
        for entry in AccessLogEntry.objects.filter(contact=contact)
        .select_related("user")
        .order_by("at", "pk")
    ]
    return data


def personal_data_json(data: dict[str, Any]) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)


def personal_data_archive(*, contact: Contact, language: str) -> bytes:
    """A zip with the JSON and a readable HTML summary in `language`."""
    data = personal_data_export(contact=contact)
    with translation.override(language):
        summary = render_to_string(
            "privacy/personal_data_summary.html",
            {
                "contact": contact,
                "language": language,
                "data": data,
                "exported_at": timezone.localtime(),
                "observations": contact.observations.select_related("author").order_by(
                    "noted_on", "pk"
                ),
                "gestures": contact.gestures.select_related(
                    "gift_item", "by", "outcome__recorded_by"
                ).order_by("date", "pk"),
                "suggestions": suggestion_records(
                    contact.suggestions.order_by("event_date", "pk"),
                    today=timezone.localdate(),
                    language=language,
                ),
            },
        )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("personal-data.json", personal_data_json(data))
        archive.writestr("personal-data.html", summary)
    return buffer.getvalue()
