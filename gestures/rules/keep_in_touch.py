"""Keep in touch: a call without a concrete occasion for a contact silent for longer than
their tier's cadence (A 30, B 60, C 120 days by default).

It is the fallback when nothing else is happening: the scan only asks for it when the
contact has no open suggestion and gets no new one today.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from .caps import KEEP_IN_TOUCH_WEIGHT, occasion_score
from .life_event import in_care_window
from .types import ContactInfo, GestureInfo, OpenSuggestion, ScanSettings


def last_touch(
    *, contact: ContactInfo, gestures: Sequence[GestureInfo], today: dt.date
) -> dt.date | None:
    """The latest gesture or observation up to today; None if there never was one.

    That is the contact's stored last touch (or a gesture of `gestures` after it). Only a
    scan of a day before the stored one (a rerun of a past day) looks for the latest
    observation up to that day among the loaded ones.
    """
    dates = [gesture.date for gesture in gestures if gesture.date <= today]
    stored = contact.last_touch
    if stored is not None and stored <= today:
        dates.append(stored)
    elif stored is not None:
        dates += [o.noted_on for o in contact.observations.values() if o.noted_on <= today]
    return max(dates, default=None)


def keep_in_touch_score(
    *,
    contact: ContactInfo,
    gestures: Sequence[GestureInfo],
    existing: Sequence[OpenSuggestion],
    settings: ScanSettings,
    today: dt.date,
) -> float | None:
    """The score of a keep_in_touch call if one is due today, else None."""
    cadence = settings.cadence_days.get(contact.tier)
    if cadence is None:
        return None
    touched = last_touch(contact=contact, gestures=gestures, today=today)
    if touched is not None and (today - touched).days <= cadence:
        return None
    # Its key changes every day (occurrence = today), so without this a dismissed one would
    # be back tomorrow: any earlier keep_in_touch, whatever became of it, restarts the cadence.
    if any(
        suggestion.occasion == "keep_in_touch"
        and (today - suggestion.occurrence_date).days <= cadence
        for suggestion in existing
    ):
        return None
    # While someone grieves or is ill, a call without an occasion reads as a sales call.
    if in_care_window(contact=contact, settings=settings, today=today):
        return None
    return occasion_score(KEEP_IN_TOUCH_WEIGHT, tier=contact.tier, days_to_event=0)
