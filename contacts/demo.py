"""Demo data for `manage.py demo`: one team with its people, and their contacts."""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import translation
from django.utils.dates import MONTHS

from .models import Contact, Organization, Team, User
from .services import team_ensure

DEMO_PASSWORD = "demo"  # noqa: S105 - printed on start; demo refuses to run in production
DEMO_TEAM = "Key Accounts"


@dataclass(frozen=True)
class DemoUser:
    username: str
    first_name: str
    last_name: str
    role: User.Role
    language: str


DEMO_USERS = (
    DemoUser("lena", "Lena", "Hoffmann", User.Role.TEAM_LEAD, "de"),
    DemoUser("anna", "Anna", "Becker", User.Role.ACCOUNT_MANAGER, "en"),
    DemoUser("ben", "Ben", "Schulz", User.Role.ACCOUNT_MANAGER, "en"),
    DemoUser("admin", "Ada", "Admin", User.Role.ADMIN, "en"),
)


@transaction.atomic
def demo_people_load() -> dict[str, User]:
    """Create the demo team and users once; a second run changes nothing."""
    team = team_ensure(name=DEMO_TEAM)
    users: dict[str, User] = {}
    for spec in DEMO_USERS:
        is_admin = spec.role == User.Role.ADMIN
        user, created = User.objects.get_or_create(
            username=spec.username,
            defaults={
                "first_name": spec.first_name,
                "last_name": spec.last_name,
                "email": f"{spec.username}@relcrm.example",
                "role": spec.role,
                "team": team,
                "language": spec.language,
                "is_staff": is_admin,
                "is_superuser": is_admin,
            },
        )
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save(update_fields=["password"])
        users[spec.username] = user
    team_ensure(name=DEMO_TEAM, lead=users["lena"])
    return users


def demo_team() -> Team:
    return Team.objects.get(name=DEMO_TEAM)


# -- demo contacts ------------------------------------------------------------------------

DEMO_ORGANIZATIONS = (
    ("demo-org-1", "Hanseatic Logistics GmbH", Organization.Kind.COMPANY, None),
    ("demo-org-2", "Bavaria Medical Devices AG", Organization.Kind.COMPANY, None),
    ("demo-org-3", "Stadtwerke Rheinfeld", Organization.Kind.PUBLIC_SECTOR, None),
    ("demo-org-4", "Nordlicht Software SE", Organization.Kind.COMPANY, None),
    ("demo-org-5", "Alpine Foods KG", Organization.Kind.COMPANY, Decimal("35.00")),
    ("demo-org-6", "Clearwater Consulting Ltd", Organization.Kind.COMPANY, None),
    ("demo-org-7", "Stiftung Kinderlachen", Organization.Kind.NONPROFIT, None),
    ("demo-org-8", "Meridian Energy plc", Organization.Kind.COMPANY, None),
)

_SALUTATIONS = {"de": ("Frau", "Herr"), "en": ("Ms", "Mr")}
FIRST_NAMES = [
    "Julia",
    "Markus",
    "Sophie",
    "Thomas",
    "Laura",
    "Stefan",
    "Katharina",
    "Michael",
    "Lena",
    "Andreas",
    "Emily",
    "James",
    "Hannah",
    "Oliver",
    "Charlotte",
    "Daniel",
    "Miriam",
    "Tobias",
    "Clara",
    "Felix",
    "Sarah",
    "Jonas",
    "Eva",
    "Paul",
    "Nina",
    "David",
    "Anja",
    "Lukas",
    "Marie",
    "Jan",
    "Petra",
    "Robert",
    "Sabine",
    "Martin",
    "Claire",
    "Henrik",
    "Ines",
    "Georg",
    "Olivia",
    "Max",
]
LAST_NAMES = [
    "Schneider",
    "Fischer",
    "Meyer",
    "Wagner",
    "Becker",
    "Hoffmann",
    "Koch",
    "Richter",
    "Klein",
    "Wolf",
    "Smith",
    "Taylor",
    "Brown",
    "Wilson",
    "Schröder",
    "Neumann",
    "Schwarz",
    "Zimmermann",
    "Braun",
    "Krüger",
    "Hofmann",
    "Hartmann",
    "Lange",
    "Schmitt",
    "Werner",
    "Krause",
    "Meier",
    "Lehmann",
    "Walker",
    "Köhler",
    "Maier",
    "Herrmann",
    "König",
    "Walter",
    "Evans",
    "Huber",
    "Kaiser",
    "Fuchs",
    "Peters",
    "Lang",
]
_TITLES_EN = ("Head of Procurement", "CFO", "Managing Director", "Head of IT", "COO")
_TITLES_DE = ("Einkaufsleiterin", "Geschäftsführer", "Vertriebsleiter", "IT-Leiterin", "CFO")
_INTERESTS_EN = (
    "Loves hiking in the Alps.",
    "Big fan of jazz, goes to concerts a lot.",
    "Plays tennis every weekend, hates golf.",
    "Passionate about photography.",
    "Enjoys a good whisky.",
    "Into road cycling, rides to work.",
    "Reads crime novels.",
    "Drinks tea, never coffee.",
    "Keen gardener, grows tomatoes.",
    "Loves cooking Italian food.",
)
_INTERESTS_DE = (
    "Wandert gern in den Bergen.",
    "Großer Jazz-Fan.",
    "Spielt leidenschaftlich Schach.",
    "Liest gern Krimis.",
    "Fährt Rennrad.",
    "Trinkt gern guten Wein.",
    "Ist begeisterte Seglerin.",
    "Mag keinen Kaffee, trinkt lieber Tee.",
    "Geht gern ins Theater.",
    "Hobbygärtner.",
)
_CONSTRAINTS_EN = ("Doesn't drink alcohol.", "Vegetarian.", "Allergic to nuts.")
_CONSTRAINTS_DE = ("Trinkt keinen Alkohol.", "Ist Vegetarierin.", "Hat eine Nussallergie.")
_PLAIN_EN = (
    "Long call about the renewal; very detail-oriented, prefers e-mail over calls.",
    "Met at the trade fair in Hanover, friendly and open.",
)
_PLAIN_DE = (
    "Langes Telefonat zur Vertragsverlängerung, sehr gründlich.",
    "Beim Messebesuch getroffen, sehr offen und herzlich.",
)


def _day_month(day: date, language: str) -> str:
    with translation.override(language):
        month = str(MONTHS[day.month])
    if language == "de":
        return f"{day.day}. {month}"
    return f"{month} {day.day}"


def _demo_observations(
    index: int, language: str, organization: str, today: date, rng: random.Random
) -> list[tuple[str, date]]:
    """Two to five observations for one demo contact, with dates that land in the coming weeks."""
    de = language == "de"
    notes: list[tuple[str, date]] = []
    birthday = today + timedelta(days=rng.randint(1, 40) if index % 3 else rng.randint(60, 300))
    noted = today - timedelta(days=rng.randint(20, 200))
    notes.append(
        (
            f"Hat am {_day_month(birthday, 'de')} Geburtstag."
            if de
            # Even indexes are women, odd ones men (see the salutations below).
            else f"His birthday is on {_day_month(birthday, 'en')}."
            if index % 2
            else f"Her birthday is {_day_month(birthday, 'en')}.",
            noted,
        )
    )
    interests = _INTERESTS_DE if de else _INTERESTS_EN
    notes.append((rng.choice(interests), today - timedelta(days=rng.randint(5, 150))))
    if index % 4 == 0:
        constraints = _CONSTRAINTS_DE if de else _CONSTRAINTS_EN
        notes.append((rng.choice(constraints), today - timedelta(days=rng.randint(30, 300))))
    if index % 5 == 1:
        anniversary = today + timedelta(days=rng.randint(3, 25))
        years = rng.choice((5, 10, 15, 3, 20))
        notes.append(
            (
                f"Feiert am {_day_month(anniversary, 'de')} {years}-jähriges Dienstjubiläum "
                f"bei {organization}."
                if de
                else f"Celebrates {years} years at {organization} on "
                f"{_day_month(anniversary, 'en')}.",
                today - timedelta(days=rng.randint(10, 60)),
            )
        )
    if index % 9 == 2:
        title = rng.choice(_TITLES_DE if de else _TITLES_EN)
        notes.append(
            (
                f"Ist jetzt {title}." if de else f"Just promoted to {title}!",
                today - timedelta(days=rng.randint(1, 10)),
            )
        )
    if index % 11 == 3:
        notes.append(
            (
                "Zieht in zwei Wochen um." if de else "Is moving house in two weeks.",
                today - timedelta(days=rng.randint(1, 5)),
            )
        )
    if index % 13 == 5:
        golive = today + timedelta(days=rng.randint(5, 12))
        notes.append(
            (
                f"Go-Live des Projekts am {golive.day}.{golive.month}."
                if de
                else f"Project go-live on {_day_month(golive, 'en')}.",
                today - timedelta(days=rng.randint(3, 20)),
            )
        )
    if len(notes) < 5 and index % 2 == 0:
        notes.append((rng.choice(_PLAIN_DE if de else _PLAIN_EN), today - timedelta(days=3)))
    return notes[:5]


@transaction.atomic
def demo_contacts_load(*, users: dict[str, User], today: date) -> int:
    """About 40 contacts in 8 organizations, with observations dated relative to `today`.

    Contacts are created once (by external id); a second run adds nothing.
    """
    from .services import observation_create

    team = Team.objects.get(name=DEMO_TEAM)
    organizations = []
    for external_id, name, kind, limit in DEMO_ORGANIZATIONS:
        organization, _created = Organization.objects.get_or_create(
            external_id=external_id,
            defaults={"name": name, "kind": kind, "gift_limit_eur": limit},
        )
        organizations.append(organization)
    rng = random.Random(20261121)  # noqa: S311 - demo data, not security
    created = 0
    for index in range(40):
        external_id = f"demo-contact-{index + 1:02d}"
        organization = organizations[index % len(organizations)]
        language = "de" if index % 3 else "en"
        owner = users["anna"] if index % 2 == 0 else users["ben"]
        domain = organization.name.split()[0].lower()
        contact, is_new = Contact.objects.get_or_create(
            external_id=external_id,
            defaults={
                "first_name": FIRST_NAMES[index],
                "last_name": LAST_NAMES[index],
                "organization": organization,
                "title": rng.choice(_TITLES_DE if language == "de" else _TITLES_EN),
                "email": f"{FIRST_NAMES[index].lower()}.{index + 1}@{domain}.example",
                "language": language,
                # The names alternate between women and men; every fifth is on first-name
                # terms ("du").
                "salutation": _SALUTATIONS[language][index % 2],
                "address": "informal" if index % 5 == 4 else "formal",
                "tier": "ABCB"[index % 4],
                "owner": owner,
                "team": team,
            },
        )
        if not is_new:
            continue
        created += 1
        for number, (text, noted_on) in enumerate(
            _demo_observations(index, language, organization.name.split()[0], today, rng)
        ):
            observation_create(
                contact=contact,
                author=owner,
                text=text,
                noted_on=noted_on,
                external_id=f"{external_id}-obs-{number + 1}",
                rescan=False,
            )
    return created
