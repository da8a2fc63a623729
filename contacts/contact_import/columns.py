"""Which column of a file holds which contact field: proposed from the header names that
Outlook (English and German), Google Contacts, HubSpot and hand-made sheets use, and
editable by the person importing."""

from __future__ import annotations

import re
from collections.abc import Sequence

from django.utils.translation import gettext_lazy as _

# The fields a column can fill, in the order the mapping form lists them.
FIELDS: dict[str, object] = {
    "first_name": _("First name"),
    "last_name": _("Last name"),
    "full_name": _("Full name"),
    "email": _("E-mail"),
    "phone": _("Phone"),
    "organization": _("Organization"),
    "title": _("Title"),
    "birthday": _("Birthday"),
    "anniversary": _("Anniversary"),
    "notes": _("Notes"),
    "tier": _("Tier"),
    "owner": _("Owner"),
    "external_id": _("External id"),
}

# Header names per field, best first. Outlook's "Title"/"Anrede" is the salutation
# (Mr., Frau), not the job title, so a bare "title" is not among them.
_ALIASES: dict[str, tuple[str, ...]] = {
    "first_name": ("first name", "given name", "vorname", "firstname", "first_name"),
    "last_name": ("last name", "family name", "nachname", "lastname", "surname", "last_name"),
    "full_name": ("name", "full name", "display name", "anzeigename", "full_name"),
    "email": (
        "e mail address",
        "email address",
        "e mail adresse",
        "e mail 1 value",
        "email",
        "e mail",
        "email 1",
    ),
    "phone": (
        "business phone",
        "telefon geschäftlich",
        "phone number",
        "phone 1 value",
        "mobile phone",
        "mobiltelefon",
        "mobile phone number",
        "phone",
        "telefon",
    ),
    "organization": (
        "company",
        "firma",
        "company name",
        "organization name",
        "organization 1 name",
        "organization",
        "organisation",
        "unternehmen",
    ),
    "title": (
        "job title",
        "position",
        "organization title",
        "organization 1 title",
        "jobtitel",
        "job_title",
    ),
    "birthday": ("birthday", "geburtstag", "date of birth", "birthdate", "geburtsdatum"),
    "anniversary": ("anniversary", "jahrestag"),
    "notes": ("notes", "notizen", "note", "notiz", "bemerkungen"),
    "tier": ("tier", "stufe"),
    "owner": ("owner", "contact owner", "betreuer", "account manager", "kundenbetreuer"),
    "external_id": ("external id", "record id", "contact id", "externe id", "id", "external_id"),
}


def header_normalize(header: str) -> str:
    return re.sub(r"[\s_\-]+", " ", header.replace("\ufeff", "")).strip().casefold()


_NORMALIZED = {
    field: tuple(header_normalize(alias) for alias in aliases)
    for field, aliases in _ALIASES.items()
}


def mapping_propose(headers: Sequence[str]) -> dict[str, str]:
    """{column index (as a string, JSON-friendly): field} for the columns recognised; each
    field is filled from one column only, the best-named one."""
    normalized = [header_normalize(h) for h in headers]
    mapping: dict[str, str] = {}
    for field, aliases in _NORMALIZED.items():
        for alias in aliases:
            index = next(
                (i for i, h in enumerate(normalized) if h == alias and str(i) not in mapping),
                None,
            )
            if index is not None:
                mapping[str(index)] = field
                break
    return mapping


def mapping_clean(mapping: dict[str, str], *, column_count: int) -> dict[str, str]:
    """Drop unknown fields and columns; a field chosen twice keeps its first column."""
    clean: dict[str, str] = {}
    taken: set[str] = set()
    for key in sorted(mapping, key=lambda k: int(k) if k.isascii() and k.isdigit() else 1_000_000):
        field = mapping[key]
        if not (key.isascii() and key.isdigit()) or int(key) >= column_count or field not in FIELDS:
            continue
        if field in taken:
            continue
        clean[key] = field
        taken.add(field)
    return clean
