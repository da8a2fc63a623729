"""vCard 3.0 and 4.0 (Apple Contacts, Google, Outlook) read with vobject into the same table
a CSV file gives, with relcrm's own column names, and contacts written back as vCard 3.0."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

import vobject
from django.utils.translation import gettext as _

from ..models import Contact, Fact
from .files import MAX_ROWS, FileUnreadable, Table, text_decode

VCARD_COLUMNS = [
    "first_name",
    "last_name",
    "email",
    "phone",
    "organization",
    "title",
    "birthday",
    "anniversary",
    "notes",
    "external_id",
]
VCARD_MAPPING = {str(index): name for index, name in enumerate(VCARD_COLUMNS)}
GENERATED_NOTE = re.compile(
    r"^(Birthday|Geburtstag|Wedding anniversary|Hochzeitstag): "
    r"(\d+\.\d+\.(\d{4})?|\d+ [A-Z][a-z]+( \d{4})?)$"
)
# Apple writes a birthday without a year with this year (and X-APPLE-OMIT-YEAR).
_APPLE_NO_YEAR = "1604"


def _first(card: Any, name: str) -> str:
    lines = card.contents.get(name, [])
    if not lines:
        return ""
    value = lines[0].value
    if isinstance(value, list):
        value = value[0] if value else ""
    return str(value).strip()


def _yearly(value: str) -> str:
    value = value.strip()
    return "--" + value[5:] if value.startswith(_APPLE_NO_YEAR + "-") else value


def _anniversary(card: Any) -> str:
    if value := _first(card, "anniversary") or _first(card, "x-anniversary"):
        return _yearly(value)
    # Apple: item1.X-ABDATE with the label _$!<Anniversary>!$_ in the same group.
    labels = {line.group: str(line.value) for line in card.contents.get("x-ablabel", [])}
    for line in card.contents.get("x-abdate", []):
        if "anniversary" in labels.get(line.group, "").casefold():
            return _yearly(str(line.value))
    return ""


def _card_cells(card: Any) -> list[str]:
    first = last = ""
    names = card.contents.get("n", [])
    if names:
        first = " ".join(
            part
            for part in (names[0].value.given, names[0].value.additional)
            if isinstance(part, str) and part
        ).strip()
        last = (
            names[0].value.family
            if isinstance(names[0].value.family, str)
            else " ".join(names[0].value.family)
        )
    if not (first or last):
        full = _first(card, "fn")
        first, _sep, last = full.rpartition(" ")
        if not first:
            first, last = last, ""
    return [
        first.strip(),
        last.strip(),
        _first(card, "email"),
        _first(card, "tel").removeprefix("tel:"),
        _first(card, "org"),
        _first(card, "title"),
        _yearly(_first(card, "bday")),
        _anniversary(card),
        _first(card, "note"),
        _first(card, "uid"),
    ]


def vcard_read(raw: bytes) -> Table:
    text, encoding = text_decode(raw)
    rows: list[tuple[int, list[str]]] = []
    try:
        for number, card in enumerate(vobject.readComponents(text, ignoreUnreadable=True), start=1):
            if card.name != "VCARD":
                continue
            rows.append((number, _card_cells(card)))
            if len(rows) > MAX_ROWS:
                raise FileUnreadable(
                    _("The file has more than %(max)s contacts; split it into smaller files.")
                    % {"max": f"{MAX_ROWS:,}"}
                )
    except FileUnreadable:
        raise
    except Exception as error:  # vobject raises ParseError and assorted others
        raise FileUnreadable(
            _("The file is not a readable vCard file: %(error)s") % {"error": error}
        ) from error
    if not rows:
        raise FileUnreadable(_("The file holds no vCard."))
    return Table(format="vcard", headers=list(VCARD_COLUMNS), rows=rows, encoding=encoding)


def _yearly_out(fact: Fact) -> str:
    if fact.year:
        return f"{fact.year:04d}-{fact.month:02d}-{fact.day:02d}"
    return f"--{fact.month:02d}-{fact.day:02d}"


def vcard_export(contacts: Iterable[Contact]) -> str:
    """vCard 3.0 (what Outlook, Google and Apple all read) for each contact: name,
    organization, title, e-mail, phone, birthday and anniversary facts, the observations
    as NOTE (oldest first) and the external id as UID. Pass contacts with
    `organization` selected and `facts` and `observations` prefetched."""
    cards = []
    for contact in contacts:
        card = vobject.vCard()
        card.add("n").value = vobject.vcard.Name(family=contact.last_name, given=contact.first_name)
        card.add("fn").value = contact.full_name
        if contact.organization is not None:
            card.add("org").value = [contact.organization.name]
        if contact.title:
            card.add("title").value = contact.title
        if contact.email:
            email = card.add("email")
            email.value = contact.email
            email.type_param = "INTERNET"
        if contact.phone:
            card.add("tel").value = contact.phone
        facts = list(contact.facts.all())
        birthday = next((f for f in facts if f.kind == Fact.Kind.BIRTHDAY), None)
        if birthday is not None:
            card.add("bday").value = _yearly_out(birthday)
        anniversary = next((f for f in facts if f.kind == Fact.Kind.ANNIVERSARY), None)
        if anniversary is not None:
            card.add("x-anniversary").value = _yearly_out(anniversary)
        # The observations an import made of a birthday or anniversary column are in
        # BDAY and X-ANNIVERSARY already.
        notes = [
            o.text
            for o in sorted(contact.observations.all(), key=lambda o: (o.noted_on, o.pk))
            if not GENERATED_NOTE.match(o.text)
        ]
        if notes:
            card.add("note").value = "\n\n".join(notes)
        if contact.external_id:
            card.add("uid").value = contact.external_id
        cards.append(card.serialize())
    return "".join(cards)
