"""`import_json` and `export_json`: the exchange format of docs/commands.md, both ways,
for every app (contacts and gestures), which is why it lives above them.

An import is all or nothing: every record is checked, errors are collected per record with
its section, position and reason, and only a file without any error is written, in one
transaction. Records are upserted by their natural or external key, so importing the same
file twice changes nothing the second time.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from contacts.facts import FactDraft, fact_draft_from_model
from contacts.models import Contact, Fact, Observation, Organization, Tag, Team, User
from contacts.services import contact_touch, observation_create, observation_update
from gestures.importing import catalog_record_clean, catalog_record_export, catalog_record_save
from gestures.models import Gesture, GiftItem, Suggestion
from gestures.scan import suggestion_records
from relcrm.validation import MAX_TEXT_LENGTH, text_problem

# What an export adds and an import accepts and ignores: derived data, and the extra
# sections of a personal-data export (privacy.export).
EXPORT_ONLY_SECTIONS = frozenset(
    {"facts", "suggestions", "history", "decisions", "gesture_outcomes", "access_log", "reviews"}
)
SECTIONS = (
    "teams",
    "users",
    "organizations",
    "tags",
    "catalog",
    "contacts",
    "observations",
    "gestures",
)

# The key that names a record within its section: two records with one key in one file
# are an error, not "the last one wins".
RECORD_KEYS = {
    "teams": "name",
    "users": "username",
    "organizations": "id",
    "tags": "slug",
    "catalog": "sku",
    "contacts": "id",
    "observations": "id",
}


@dataclass(frozen=True)
class RecordError:
    section: str
    index: int
    reason: str

    def __str__(self) -> str:
        return f"{self.section}[{self.index}]: {self.reason}"


class ImportFailed(Exception):
    def __init__(self, errors: Sequence[RecordError]) -> None:
        super().__init__(f"{len(errors)} invalid record(s)")
        self.errors = list(errors)


class RecordInvalid(Exception):
    """One record's problem, in words for the person who wrote the file."""


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return "; ".join(
            f"{field}: {' '.join(str(m) for m in messages)}"
            for field, messages in error.message_dict.items()
        )
    return " ".join(str(m) for m in error.messages)


def _str(record: Mapping[str, Any], key: str, *, required: bool = False, default: str = "") -> str:
    value = record.get(key)
    if value is None:
        if required:
            raise RecordInvalid(f"'{key}' is required")
        return default
    if not isinstance(value, str):
        raise RecordInvalid(f"'{key}' must be a string, not {type(value).__name__}")
    if required and not value.strip():
        raise RecordInvalid(f"'{key}' must not be empty")
    return value


def _bool(record: Mapping[str, Any], key: str, default: bool = False) -> bool:
    value = record.get(key, default)
    if not isinstance(value, bool):
        raise RecordInvalid(f"'{key}' must be true or false")
    return value


def _choice(record: Mapping[str, Any], key: str, choices: Sequence[str], default: str) -> str:
    value = _str(record, key, default=default) or default
    if value not in choices:
        raise RecordInvalid(f"'{key}' must be one of {', '.join(choices)}, not {value!r}")
    return value


def _date(record: Mapping[str, Any], key: str) -> date:
    raw = _str(record, key, required=True)
    try:
        return date.fromisoformat(raw)
    except ValueError as error:
        raise RecordInvalid(f"'{key}' is not a date (YYYY-MM-DD): {raw!r}") from error


def _money(record: Mapping[str, Any], key: str) -> Decimal | None:
    value = record.get(key)
    if value is None:
        return None
    if not isinstance(value, str | int) or isinstance(value, bool):
        raise RecordInvalid(f"'{key}' must be an amount as a string, e.g. \"25.00\"")
    try:
        amount = Decimal(str(value))
    except InvalidOperation as error:
        raise RecordInvalid(f"'{key}' is not an amount: {value!r}") from error
    if not amount.is_finite() or amount < 0:
        raise RecordInvalid(f"'{key}' must be a positive amount")
    return amount


class Importer:
    def __init__(self, *, base_dir: Path) -> None:
        self.base_dir = base_dir
        self.errors: list[RecordError] = []
        self.counts: dict[str, int] = {}
        self.stored_files: list[Any] = []

    def run(self, data: object) -> dict[str, int]:
        if not isinstance(data, dict):
            raise ImportFailed([RecordError("file", 0, "the top level must be a JSON object")])
        unknown = sorted(set(data) - set(SECTIONS) - EXPORT_ONLY_SECTIONS)
        for key in unknown:
            self.errors.append(RecordError(key, 0, f"unknown section '{key}'"))
        for section in SECTIONS:
            records = data.get(section, [])
            if not isinstance(records, list):
                self.errors.append(RecordError(section, 0, "must be a list of records"))
        if self.errors:
            raise ImportFailed(self.errors)
        for section in SECTIONS:
            self._check_text(section, data.get(section, []))
            self._check_duplicates(section, data.get(section, []))
        if self.errors:
            raise ImportFailed(self.errors)
        try:
            with transaction.atomic():
                self._teams(data.get("teams", []))
                self._users(data.get("users", []))
                self._team_leads(data.get("teams", []))
                self._each("organizations", data.get("organizations", []), self._organization)
                self._each("tags", data.get("tags", []), self._tag)
                self._catalog(data.get("catalog", []))
                self._each("contacts", data.get("contacts", []), self._contact)
                self._each("observations", data.get("observations", []), self._observation)
                self._gestures(data.get("gestures", []))
                if self.errors:
                    raise ImportFailed(self.errors)
        except BaseException:
            self._remove_stored_files()
            raise
        return self.counts

    def _check_text(self, section: str, records: list[Any]) -> None:
        """Every string of every record, keys too, at any depth, as the forms check theirs."""
        for index, record in enumerate(records):
            pending = [record]
            while pending:
                value = pending.pop()
                if isinstance(value, dict):
                    pending.extend(value.keys())
                    pending.extend(value.values())
                elif isinstance(value, list):
                    pending.extend(value)
                elif isinstance(value, str) and (problem := text_problem(value)):
                    self.errors.append(RecordError(section, index, problem))
                    break

    def _check_duplicates(self, section: str, records: list[Any]) -> None:
        key = RECORD_KEYS.get(section)
        if key is None:
            return
        first_at: dict[str, int] = {}
        for index, record in enumerate(records):
            value = record.get(key) if isinstance(record, dict) else None
            if not isinstance(value, str) or not value:
                continue
            if value in first_at:
                self.errors.append(
                    RecordError(
                        section,
                        index,
                        f"'{key}' {value!r} is also {section}[{first_at[value]}]: "
                        "each record appears once in a file",
                    )
                )
            else:
                first_at[value] = index

    def _each(
        self, section: str, records: list[Any], handle: Callable[[Mapping[str, Any]], None]
    ) -> None:
        for index, record in enumerate(records):
            if not isinstance(record, dict):
                self.errors.append(RecordError(section, index, "must be a JSON object"))
                continue
            try:
                # A savepoint per record: one bad row must not poison the transaction.
                with transaction.atomic():
                    handle(record)
            except RecordInvalid as error:
                self.errors.append(RecordError(section, index, str(error)))
            except ValidationError as error:
                self.errors.append(RecordError(section, index, _messages(error)))
            except IntegrityError as error:
                self.errors.append(
                    RecordError(section, index, f"conflicts with stored data ({error})")
                )
            else:
                self.counts[section] = self.counts.get(section, 0) + 1

    # -- teams and users ----------------------------------------------------------------

    def _teams(self, records: list[Any]) -> None:
        def handle(record: Mapping[str, Any]) -> None:
            Team.objects.get_or_create(name=_str(record, "name", required=True))

        self._each("teams", records, handle)

    def _team_leads(self, records: list[Any]) -> None:
        for index, record in enumerate(records):
            if not isinstance(record, dict) or not record.get("lead"):
                continue
            lead = User.objects.filter(username=record["lead"]).first()
            if lead is None:
                self.errors.append(RecordError("teams", index, f"unknown lead {record['lead']!r}"))
                continue
            Team.objects.filter(name=record.get("name")).update(lead=lead)

    def _users(self, records: list[Any]) -> None:
        def handle(record: Mapping[str, Any]) -> None:
            username = _str(record, "username", required=True)
            role = _choice(record, "role", User.Role.values, User.Role.ACCOUNT_MANAGER)
            team_name = _str(record, "team")
            team = Team.objects.filter(name=team_name).first() if team_name else None
            if team_name and team is None:
                raise RecordInvalid(f"unknown team {team_name!r}")
            first, _sep, last = _str(record, "name").strip().partition(" ")
            user = User.objects.filter(username=username).first() or User(username=username)
            user.first_name, user.last_name = first, last
            user.email = _str(record, "email")
            user.role = role
            user.team = team
            user.language = _choice(record, "language", User.Language.values, "en")
            user.is_staff = user.is_superuser = role == User.Role.ADMIN
            if user.pk is None:
                user.set_unusable_password()
            user.full_clean()
            user.save()

        self._each("users", records, handle)

    # -- organizations, tags, catalog ---------------------------------------------------

    def _organization(self, record: Mapping[str, Any]) -> None:
        external_id = _str(record, "id", required=True)
        organization = Organization.objects.filter(external_id=external_id).first() or (
            Organization(external_id=external_id)
        )
        organization.name = _str(record, "name", required=True)
        organization.kind = _choice(record, "kind", Organization.Kind.values, "company")
        organization.gift_policy = _choice(
            record, "gift_policy", Organization.GiftPolicy.values, "allowed"
        )
        organization.gift_limit_eur = _money(record, "gift_limit_eur")
        organization.full_clean()
        organization.save()

    def _tag(self, record: Mapping[str, Any]) -> None:
        slug = _str(record, "slug", required=True)
        tag = Tag.objects.filter(slug=slug).first() or Tag(slug=slug)
        tag.name_en = _str(record, "name_en", required=True)
        tag.name_de = _str(record, "name_de", required=True)
        for key in ("synonyms_en", "synonyms_de"):
            synonyms = record.get(key, [])
            if not isinstance(synonyms, list) or not all(isinstance(s, str) for s in synonyms):
                raise RecordInvalid(f"'{key}' must be a list of strings")
            setattr(tag, key, synonyms)
        tag.full_clean()
        tag.save()

    def _catalog(self, records: list[Any]) -> None:
        if not records:
            return

        cleaned = []
        for index, record in enumerate(records):
            try:
                if not isinstance(record, dict):
                    raise RecordInvalid("must be a JSON object")
                cleaned.append(catalog_record_clean(record, base_dir=self.base_dir))
            except RecordInvalid as error:
                self.errors.append(RecordError("catalog", index, str(error)))
            except ValidationError as error:
                self.errors.append(RecordError("catalog", index, _messages(error)))
        if self.errors:
            return  # nothing of the catalog is stored when any record is invalid

        for clean in cleaned:
            before = GiftItem.objects.filter(sku=clean.sku).values_list("image", flat=True).first()
            item = catalog_record_save(clean)
            # Only files this import wrote are removed if it fails, never an item's live one.
            if item.image and item.image.name != before:
                self.stored_files.append(item.image)
        self.counts["catalog"] = len(cleaned)

    def _remove_stored_files(self) -> None:
        for field_file in self.stored_files:
            field_file.storage.delete(field_file.name)

    # -- contacts and observations ------------------------------------------------------

    def _user(self, username: str, key: str) -> User:
        user = User.objects.filter(username=username).first()
        if user is None:
            raise RecordInvalid(f"unknown {key} {username!r}")
        return user

    def _contact(self, record: Mapping[str, Any]) -> None:
        external_id = _str(record, "id", required=True)
        contact = Contact.objects.filter(external_id=external_id).first() or (
            Contact(external_id=external_id)
        )
        organization_id = _str(record, "organization")
        contact.organization = None
        if organization_id:
            contact.organization = Organization.objects.filter(external_id=organization_id).first()
            if contact.organization is None:
                raise RecordInvalid(f"unknown organization {organization_id!r}")
        contact.first_name = _str(record, "first_name")
        contact.last_name = _str(record, "last_name")
        if not (contact.first_name or contact.last_name):
            raise RecordInvalid("a contact needs a first or a last name")
        contact.title = _str(record, "title")
        contact.email = _str(record, "email")
        contact.phone = _str(record, "phone")
        contact.language = _choice(record, "language", User.Language.values, "de")
        contact.tier = _choice(record, "tier", Contact.Tier.values, "B")
        contact.address = _choice(record, "address", Contact.Address.values, "formal")
        contact.salutation = _str(record, "salutation")
        contact.owner = self._user(_str(record, "owner", required=True), "owner")
        team_name = _str(record, "team") or (contact.owner.team.name if contact.owner.team else "")
        team = Team.objects.filter(name=team_name).first()
        if team is None:
            raise RecordInvalid(f"unknown team {team_name!r}")
        contact.team = team
        if contact.owner.role != User.Role.ADMIN and contact.owner.team_id != team.pk:
            raise RecordInvalid(f"owner {contact.owner.username!r} is not in team {team.name!r}")
        contact.do_not_gift = _bool(record, "do_not_gift")
        contact.customer_since = (
            _date(record, "customer_since") if record.get("customer_since") is not None else None
        )
        contact.full_clean()
        contact.save()

    def _observation(self, record: Mapping[str, Any]) -> None:
        external_id = _str(record, "id", required=True)
        contact_id = _str(record, "contact", required=True)
        contact = Contact.objects.filter(external_id=contact_id).first()
        if contact is None:
            raise RecordInvalid(f"unknown contact {contact_id!r}")
        text = _str(record, "text", required=True).strip()
        if len(text) > MAX_TEXT_LENGTH:
            raise RecordInvalid(
                f"'text' is {len(text):,} characters long; at most {MAX_TEXT_LENGTH:,} are allowed"
            )
        noted_on = _date(record, "noted_on")
        if noted_on > timezone.localdate():
            raise RecordInvalid(f"'noted_on' {noted_on.isoformat()} is in the future")
        author = self._user(_str(record, "author", required=True), "author")
        observation = Observation.objects.filter(external_id=external_id).first()
        if observation is None:
            observation_create(
                contact=contact,
                author=author,
                text=text,
                noted_on=noted_on,
                external_id=external_id,
                rescan=False,
            )
        elif observation.contact_id != contact.pk:
            raise RecordInvalid(f"observation {external_id!r} belongs to another contact")
        elif (observation.text, observation.noted_on, observation.author_id) != (
            text,
            noted_on,
            author.pk,
        ):
            # Facts are recomputed only when the text or its date changed, so corrections
            # made in the app survive re-importing the same file.
            observation_update(
                observation=observation, text=text, noted_on=noted_on, author=author, rescan=False
            )

    def _gestures(self, records: list[Any]) -> None:
        self._each("gestures", records, self._gesture)

    def _gesture(self, record: Mapping[str, Any]) -> None:
        """A gesture done before (gift history, last touch). Gestures carry no id: the same
        contact, kind, date and item again is the same gesture, so a re-import adds nothing."""

        contact_id = _str(record, "contact", required=True)
        contact = Contact.objects.filter(external_id=contact_id).first()
        if contact is None:
            raise RecordInvalid(f"unknown contact {contact_id!r}")
        kind = _choice(record, "kind", Gesture.Kind.values, "")
        sku = _str(record, "gift_item")
        item = GiftItem.objects.filter(sku=sku).first() if sku else None
        if sku and item is None:
            raise RecordInvalid(f"unknown gift item {sku!r}")
        if kind == Gesture.Kind.GIFT and item is None and record.get("value_eur") is None:
            raise RecordInvalid("a gift needs its 'gift_item' or its 'value_eur'")
        gesture = Gesture(
            contact=contact,
            kind=kind,
            date=_date(record, "date"),
            gift_item=item,
            value_eur=_money(record, "value_eur"),
            card_text=_str(record, "card_text"),
            by=self._user(_str(record, "by", required=True), "by"),
        )
        if gesture.value_eur is None and item is not None:
            gesture.value_eur = item.price_eur
        gesture.full_clean()
        if not Gesture.objects.filter(
            contact=contact, kind=kind, date=gesture.date, gift_item=item
        ).exists():
            gesture.save()
            contact_touch(contact_id=contact.pk, on=gesture.date)


def import_data(data: object, *, base_dir: Path) -> dict[str, int]:
    """Import a parsed file; raises ImportFailed (nothing written) on any invalid record."""
    return Importer(base_dir=base_dir).run(data)


# -- export ---------------------------------------------------------------------------


def _external_id(obj: Contact | Observation | Organization, prefix: str) -> str:
    return obj.external_id or f"{prefix}-{obj.pk}"


def _money_out(amount: Decimal | None) -> str | None:
    return None if amount is None else f"{amount:.2f}"


def export_data(*, contact: Contact | None = None) -> dict[str, Any]:
    """Everything (or one contact's data, for a GDPR access request) in the import format,
    plus the facts."""
    contacts = Contact.objects.select_related("organization", "owner", "team").order_by("pk")
    if contact is not None:
        contacts = contacts.filter(pk=contact.pk)
    observations = (
        Observation.objects.filter(contact__in=contacts)
        .select_related("contact", "author")
        .order_by("contact_id", "noted_on", "pk")
    )
    facts = (
        Fact.objects.filter(observation__in=observations)
        .select_related("observation", "contact")
        .order_by("observation__contact_id", "observation__noted_on", "observation_id", "pk")
    )
    data: dict[str, Any] = {}
    if contact is None:
        data["teams"] = [
            {"name": team.name, "lead": team.lead.username if team.lead else None}
            for team in Team.objects.select_related("lead").order_by("name")
        ]
        data["users"] = [
            {
                "username": user.username,
                "name": user.get_full_name(),
                "email": user.email,
                "role": user.role,
                "team": user.team.name if user.team else None,
                "language": user.language,
            }
            for user in User.objects.select_related("team").order_by("username")
        ]
        organizations = Organization.objects.order_by("pk")
        data["tags"] = [
            {
                "slug": tag.slug,
                "name_en": tag.name_en,
                "name_de": tag.name_de,
                "synonyms_en": tag.synonyms_en,
                "synonyms_de": tag.synonyms_de,
            }
            for tag in Tag.objects.order_by("slug")
        ]

        data["catalog"] = [catalog_record_export(item) for item in GiftItem.objects.order_by("sku")]
    else:
        organizations = Organization.objects.filter(contacts__in=contacts).distinct().order_by("pk")
    data["organizations"] = [
        {
            "id": _external_id(org, "organization"),
            "name": org.name,
            "kind": org.kind,
            "gift_policy": org.gift_policy,
            "gift_limit_eur": _money_out(org.gift_limit_eur),
        }
        for org in organizations
    ]
    data["contacts"] = [
        {
            "id": _external_id(c, "contact"),
            "first_name": c.first_name,
            "last_name": c.last_name,
            "organization": _external_id(c.organization, "organization")
            if c.organization
            else None,
            "title": c.title,
            "email": c.email,
            "phone": c.phone,
            "language": c.language,
            "tier": c.tier,
            "address": c.address,
            "salutation": c.salutation,
            "owner": c.owner.username,
            "team": c.team.name,
            "do_not_gift": c.do_not_gift,
            "customer_since": c.customer_since.isoformat() if c.customer_since else None,
        }
        for c in contacts
    ]
    data["observations"] = [
        {
            "id": _external_id(o, "observation"),
            "contact": _external_id(o.contact, "contact"),
            "text": o.text,
            "noted_on": o.noted_on.isoformat(),
            "author": o.author.username,
        }
        for o in observations
    ]
    data["facts"] = [_fact_out(fact) for fact in facts]

    data["gestures"] = [
        {
            "contact": _external_id(g.contact, "contact"),
            "kind": g.kind,
            "date": g.date.isoformat(),
            "gift_item": g.gift_item.sku if g.gift_item else None,
            "value_eur": _money_out(g.value_eur),
            "card_text": g.card_text,
            "by": g.by.username,
        }
        for g in Gesture.objects.filter(contact__in=contacts)
        .select_related("contact", "gift_item", "by")
        .order_by("contact_id", "date", "pk")
    ]
    data["suggestions"] = suggestion_records(
        Suggestion.objects.filter(contact__in=contacts).order_by("contact_id", "event_date", "pk"),
        today=timezone.localdate(),
    )
    return data


def _fact_out(fact: Fact) -> dict[str, Any]:
    draft: FactDraft = fact_draft_from_model(fact)
    return {
        "observation": _external_id(fact.observation, "observation"),
        "contact": _external_id(fact.contact, "contact"),
        **draft.as_json(),
    }
