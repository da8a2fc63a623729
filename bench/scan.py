"""How the daily scan compares with the least it could do, and how much memory it needs,
over 100,000 and 200,000 contacts in PostgreSQL.

What it does:

1. (Re)creates its own PostgreSQL database (BENCH_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/relcrm_bench) and migrates it.
2. Generates teams and account managers, about 5,000 organizations (some public sector,
   some with a no-gifts policy or a lower gift limit), a 300-item gift catalog, and
   contacts with five observations each: English and German notes about birthdays,
   anniversaries, role changes, life events, project milestones, interests, dietary and
   gift constraints, and plain meeting notes, spread over the two years before the scanned
   day. Facts come from the real extractor (results cached per text, or per text and
   `noted_on` where a note's dates depend on the day it was written). Some contacts got
   a gift, a call or a meeting in the past year.
3. For each size, one warm-up scan (it makes the suggestions the floor writes), then turns
   (--alternations, default 3), each from a state without suggestions after VACUUM
   ANALYZE: the floor, `manage.py scan_gestures --today DAY` in a child process (the one
   worker), timed from start to exit, and the same day again in a new process (the
   rerun). The floor is measured on the same database in the same turn: one `COPY` out of
   exactly the rows the loaders read for the contacts the scan selects (and the text of
   the observations its suggestions quote), plus one `COPY` in of the suggestions it
   creates into a temporary table of the same columns.
4. Prints first scan / floor and rerun / floor (the rerun against the same floor: it is
   the day's scan a second time), median (min-max) over the turns, and the peak RSS,
   against the targets: first scan <= 4x, rerun <= 1.5x, memory flat from one size to the
   next. Missing a target is reported loudly, but the exit status stays 0: this is a
   measurement, not a test. The peak RSS is the child's own (scan_in_child says why not
   ru_maxrss).

The child runs with DEBUG off, as in production (with DEBUG on Django keeps the text of
every query, which inflates memory).

Run from the repository root:

    python bench/scan.py                      # 100,000 then 200,000 contacts
    python bench/scan.py --contacts 50000     # one smaller size
    python bench/scan.py --keep               # leave the database for EXPLAIN / profiling
    python bench/scan.py --reuse              # measure a kept database again
    python bench/scan.py --reuse --checkout ../other   # another checkout's scan, same data

Needs a reachable PostgreSQL whose user may create databases; exits 1 if there is none.
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
# Where the scanned manage.py is: this checkout, or another one given with --checkout (to
# compare two versions of the scan on the same data).
SCAN_ROOT = ROOT
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # allow `python bench/scan.py` without installing

from gestures.rules.explain import MONTHS  # noqa: E402 - pure: no Django needed yet

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/relcrm_bench"
DAY = date(2026, 11, 23)  # the scanned day; all data is generated relative to it
SEED = 20261123
DEFAULT_SIZES = (100_000, 200_000)
OBSERVATIONS_PER_CONTACT = 5
ORGANIZATIONS = 5_000
CATALOG_ITEMS = 300
TEAMS = 8
MANAGERS_PER_TEAM = 7
CONTACT_BATCH = 2_000
# A text cached without its noted_on is re-extracted with the real date now and then, to
# show that its facts indeed do not depend on the day it was written.
CACHE_CHECK_EVERY = 25

# Times as multiples of the floor measured in the same turn (floor_measure): absolute times
# on a shared machine vary several-fold, the ratio much less.
TARGET_FIRST = 4.0
TARGET_RERUN = 1.5
# Flat memory: the peak at the larger size over the peak at the smaller one, with slack.
TARGET_RSS_GROWTH = 1.2

SCAN_OUTPUT = re.compile(
    r"Scan of (?P<day>\S+): (?P<contacts>\d+) contacts looked at, "
    r"(?P<created>\d+) suggestions created"
)


# --- the database ---------------------------------------------------------------------------


def database_recreate(url: str) -> None:
    """DROP and CREATE the bench database through the `postgres` maintenance database."""
    name = urlsplit(url).path.lstrip("/")
    if not name:
        sys.exit(f"BENCH_DATABASE_URL {url!r} names no database")
    maintenance = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    try:
        with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        print(
            f"PostgreSQL is not reachable at {url} ({str(error).strip()}).\n"
            "Start PostgreSQL or set BENCH_DATABASE_URL=postgres://USER@HOST:PORT/DBNAME "
            "(the user needs CREATEDB).",
            file=sys.stderr,
        )
        sys.exit(1)


def database_drop(url: str) -> None:
    name = urlsplit(url).path.lstrip("/")
    maintenance = psycopg.conninfo.make_conninfo(url, dbname="postgres")
    with psycopg.connect(maintenance, autocommit=True, connect_timeout=5) as connection:
        connection.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relcrm.settings")
    os.environ.setdefault("DEBUG", "true")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# --- what the notes say ---------------------------------------------------------------------

DASH = "\N{EN DASH}"  # as people type it in notes
MONTHS_EN = list(MONTHS["en"])
MONTHS_DE_LIST = list(MONTHS["de"])
CITIES = ("Hamburg", "Munich", "Berlin", "Cologne", "Frankfurt", "Leipzig", "Vienna", "Zurich")
UNIVERSITIES = ("ETH", "TU Munich", "Heidelberg", "Oxford", "RWTH Aachen", "LMU")
TITLES_EN = (
    "CFO",
    "CTO",
    "Head of Procurement",
    "Managing Director",
    "VP Sales",
    "Head of IT",
    "Chief Digital Officer",
    "Key Account Director",
)
TITLES_DE = (
    "Geschäftsführer",
    "Vertriebsleiterin",
    "Leiter Einkauf",
    "Abteilungsleiterin",
    "Bereichsleiter",
    "Teamleiterin",
    "CFO",
)
ORG_PREFIXES = [
    "Hanseatic",
    "Bavaria",
    "Nordlicht",
    "Alpine",
    "Clearwater",
    "Meridian",
    "Rheinland",
    "Elbe",
    "Isar",
    "Baltic",
    "Taunus",
    "Schwarzwald",
    "Harz",
    "Spree",
    "Main",
    "Weser",
    "Bodensee",
    "Allgäu",
    "Eifel",
    "Mosel",
]
ORG_SECTORS = [
    "Logistics",
    "Medical",
    "Software",
    "Foods",
    "Consulting",
    "Energy",
    "Chemicals",
    "Insurance",
    "Bank",
    "Automotive",
    "Retail",
    "Pharma",
    "Textiles",
    "Media",
    "Systems",
    "Robotics",
    "Solar",
    "Water",
    "Steel",
    "Freight",
]
ORG_FORMS = ("GmbH", "AG", "SE", "KG", "Ltd", "plc", "GmbH & Co. KG")

INTEREST_EN = (
    "Loves {a}.",
    "Really into {a}, talks about it all the time.",
    "Passionate about {a}.",
    "Big fan of {a}.",
    "Loves {a} and {b}.",
    "Hates {x}, prefers {a}.",
    "Spends most weekends on {a}; also likes {b}.",
)
INTEREST_DE = (
    "Begeistert sich für {a}.",
    "Interessiert sich sehr für {a}.",
    "Großer Fan von {a}.",
    "Liebt {a} und {b}.",
    "Hobby: {a}.",
)
INTEREST_FIXED_EN = (
    "Loves hiking and spends most weekends in the Alps.",
    "Big jazz fan, went to the Montreux festival.",
    "She collects single malt whisky.",
    "Avid reader, mostly crime novels.",
    "Passionate about photography, shoots with a Leica.",
    "Plays chess online every evening.",
    f"Cat person {DASH} has three cats.",
    "Is a huge Bayern Munich supporter.",
    "goes sailing on Lake Constance every summer",
    "Into baking sourdough bread lately.",
    "Loves cooking Italian food for friends.",
    "Yoga every morning before work.",
    "Fly fishing is his thing.",
    f"Board game nerd {DASH} Catan, Carcassonne.",
    "Goes to the opera in Vienna twice a year.",
    "Loves modern art and visits galleries.",
    "Restores classic cars in his garage.",
    "Goes to the gym four times a week.",
    "Loves chocolate, especially dark.",
    "Listens to classical music while working.",
    "Craft beer enthusiast.",
    "Enjoys a good Rioja.",
    "Keen gardener, grows tomatoes.",
    "Drinks tea, never coffee.",
    "Used to play golf, now mostly cycling.",
    "Runs marathons, did Berlin in 2024.",
    f"Coffee snob {DASH} only drinks espresso.",
)
INTEREST_FIXED_DE = (
    "Wandert gern in den Alpen.",
    "Hasst Golf, spielt lieber Tennis.",
    "Trinkt Tee, nie Kaffee.",
    "Großer Jazz-Fan.",
    "Fährt jedes Wochenende Rennrad.",
    "Liest gern Krimis.",
    "Weinliebhaber, besonders Riesling.",
    "Hobbygärtner mit großem Garten.",
    "Spielt seit Jahren Schach im Verein.",
    "Hat zwei Hunde und einen Garten.",
    "Katzenliebhaberin.",
    "Segelt im Sommer auf der Ostsee.",
    "Fährt im Winter Ski in Tirol.",
    "Kocht leidenschaftlich gern italienisch.",
    "Backt am Wochenende Brot.",
    "Whisky-Sammler, vor allem Islay.",
    "Trinkt gern ein gutes Bier.",
)
CONSTRAINT_EN = (
    "Doesn't drink alcohol.",
    "Teetotal, prefers sparkling water.",
    f"Allergic to nuts {DASH} careful with chocolate gifts.",
    "Eats halal.",
    "Keeps kosher.",
    "Has celiac disease.",
    "Lactose intolerant, no cheese platters.",
    "Vegan since 2019.",
    "Vegetarian, loves Indian food.",
    "Company policy: no gifts.",
    "Can't accept any gifts (public sector compliance).",
    "Non-drinker, don't bring wine.",
    "Muslim, so no alcohol and only halal food.",
)
CONSTRAINT_DE = (
    "Trinkt keinen Alkohol.",
    "Ist Vegetarierin.",
    "Hat eine Nussallergie.",
    "Lebt vegan.",
    "Isst nur halal.",
    "Darf keine Geschenke annehmen.",
    "Hat Zöliakie, also glutenfrei.",
)
PLAIN_EN = (
    "Long call about the renewal; very detail-oriented, prefers e-mail over calls.",
    "Met at the trade fair in Hanover, friendly and open.",
    "Good meeting, discussed Q1 pricing.",
    "Sent the proposal, waiting for feedback.",
    "Asked for a reference customer in the automotive sector.",
    "Budget is tight this year, wants to start small.",
    "Lunch with the whole procurement team, good atmosphere.",
    "Complained about the delivery delays, escalated internally.",
    "Very happy with the support team, mentioned it twice.",
    "Wants a demo of the reporting module for the board.",
)
PLAIN_DE = (
    "Langes Telefonat zur Vertragsverlängerung, sehr gründlich.",
    "Beim Messebesuch getroffen, sehr offen und herzlich.",
    "Angebot geschickt, wartet auf Freigabe vom Einkauf.",
    "Gutes Gespräch über die Preise für das erste Quartal.",
    "Sehr zufrieden mit dem Support, will die Zusammenarbeit ausbauen.",
    "Hat nach einer Referenz aus der Automobilbranche gefragt.",
    "Budget ist dieses Jahr knapp, möchte schrittweise einführen.",
    "Mittagessen mit dem Team, angenehme Atmosphäre.",
)


def ordinal(day: int) -> str:
    suffix = "th" if 11 <= day % 100 <= 13 else {1: "st", 2: "nd", 3: "rd"}.get(day % 10, "th")
    return f"{day}{suffix}"


@dataclass(frozen=True, slots=True)
class Note:
    text: str
    noted_on: date
    # Whether the facts read in the text depend on `noted_on` (relative dates, a year
    # worked out from "turns 50" or "10 years"): then it is cached per text and date.
    dated: bool


@dataclass(frozen=True, slots=True)
class Tagged:
    slug: str
    name_en: str
    name_de: str


class NoteWriter:
    """Five observations for a contact, in the contact's language."""

    def __init__(self, rng: random.Random, tags: Sequence[Tagged]) -> None:
        self.rng = rng
        self.tags = tags

    def _some_day(self, back_min: int, back_max: int) -> date:
        return DAY - timedelta(days=self.rng.randint(back_min, back_max))

    def _ordinary_noted_on(self) -> date:
        # Most notes are recent-ish, a long tail reaches two years back.
        return DAY - timedelta(days=1 + int(729 * self.rng.random() ** 1.4))

    def birthday(self, de: bool) -> Note:
        rng = self.rng
        born = date(2000, 1, 1) + timedelta(days=rng.randrange(366))  # Feb 29 included
        year = rng.randint(1955, 1998)
        noted = self._ordinary_noted_on()
        month_en, month_de = MONTHS_EN[born.month - 1], MONTHS_DE_LIST[born.month - 1]
        pick = rng.random()
        if de:
            if pick < 0.35:
                return Note(f"Hat am {born.day}. {month_de} Geburtstag.", noted, False)
            if pick < 0.55:
                return Note(f"Geburtstag: {born.day:02d}.{born.month:02d}.", noted, False)
            if pick < 0.75:
                city = rng.choice(CITIES)
                text = f"Geboren am {born.day:02d}.{born.month:02d}.{year} in {city}."
                return Note(text, noted, False)
            if pick < 0.9:
                age = rng.randint(30, 65)
                text = f"Wird am {born.day}. {month_de} {age}, vielleicht etwas Besonderes."
                return Note(text, noted, True)
            return Note(f"Feiert am {born.day}. {month_de} seinen 50. Geburtstag.", noted, True)
        if pick < 0.3:
            return Note(f"Her birthday is {month_en} {ordinal(born.day)}.", noted, False)
        if pick < 0.5:
            return Note(f"His birthday is on {month_en} {born.day}.", noted, False)
        if pick < 0.65:
            return Note(f"Quick call. His bday is {month_en[:3]} {born.day}.", noted, False)
        if pick < 0.8:
            text = f"Born on {born.day} {month_en} {year}, mentioned he hates surprise parties."
            return Note(text, noted, False)
        if pick < 0.9:
            return Note(
                f"DOB {year}-{born.month:02d}-{born.day:02d} (from the speaker bio)", noted, False
            )
        age = rng.randint(30, 65)
        text = f"Turns {age} on {month_en} {born.day} {DASH} maybe something special."
        return Note(text, noted, True)

    def anniversary(self, de: bool, organization: str) -> Note:
        rng = self.rng
        when = date(2001, 1, 1) + timedelta(days=rng.randrange(365))
        month_en, month_de = MONTHS_EN[when.month - 1], MONTHS_DE_LIST[when.month - 1]
        years = rng.choice((1, 2, 3, 5, 5, 7, 10, 10, 12, 15, 20, 25, 30))
        noted = self._ordinary_noted_on()
        pick = rng.random()
        if de:
            if pick < 0.45:
                text = (
                    f"Feiert am {when.day}. {month_de} {years}-jähriges Dienstjubiläum "
                    f"bei {organization}."
                )
                return Note(text, noted, True)
            if pick < 0.6:
                text = (
                    f"Am {when.day:02d}.{when.month:02d}. ist sie {years} Jahre bei {organization}."
                )
                return Note(text, noted, True)
            if pick < 0.75:
                return Note(f"Hochzeitstag am {when.day}. {month_de}.", noted, False)
            if pick < 0.9:
                return Note(f"Firmenjubiläum am {when.day}. {month_de}.", noted, False)
            founded = rng.randint(1900, 2015)
            text = f"Das Unternehmen wurde am {when.day}. {month_de} {founded} gegründet."
            return Note(text, noted, False)
        if pick < 0.35:
            text = f"Celebrates {years} years at {organization} on {month_en} {when.day}."
            return Note(text, noted, True)
        if pick < 0.55:
            text = (
                f"{years} years at {organization} on {month_en} {when.day} "
                f"{DASH} should send something."
            )
            return Note(text, noted, True)
        if pick < 0.7:
            return Note(
                f"Wedding anniversary on {month_en} {when.day}, {years} years!", noted, True
            )
        if pick < 0.85:
            text = f"Company anniversary on {month_en} {ordinal(when.day)}, {years * 5} years."
            return Note(text, noted, True)
        founded = rng.randint(1900, 2015)
        return Note(f"Their firm was founded on {when.day} {month_en} {founded}.", noted, False)

    def role_change(self, de: bool) -> Note:
        rng = self.rng
        noted = self._some_day(1, 150)
        pick = rng.random()
        if de:
            title = rng.choice(TITLES_DE)
            if pick < 0.4:
                return Note(f"Ist jetzt {title}.", noted, False)
            if pick < 0.6:
                return Note(f"Wurde zum {title} befördert.", noted, False)
            if pick < 0.8:
                return Note(f"Neue Rolle als {title} seit letzter Woche.", noted, True)
            return Note(f"Sie wurde gestern zur {title} ernannt.", noted, True)
        title = rng.choice(TITLES_EN)
        if pick < 0.35:
            return Note(f"Just promoted to {title}!", noted, False)
        if pick < 0.55:
            city = rng.choice(CITIES)
            return Note(f"Was appointed {title} of the {city} branch.", noted, False)
        if pick < 0.7:
            return Note(f"She's now the new {title} of the group.", noted, False)
        if pick < 0.85:
            return Note(f"Got promoted to {title} yesterday, very proud.", noted, True)
        return Note(f"New role as {title} since last week.", noted, True)

    def life_event(self, de: bool) -> Note:
        rng = self.rng
        noted = self._some_day(1, 200)
        pick = rng.random()
        if de:
            options: tuple[str, ...] = (
                "Ihre Mutter ist letzte Woche gestorben.",
                "Sein Vater ist verstorben.",
                "Hat letzte Woche einen Sohn bekommen.",
                "Zieht in zwei Wochen um.",
                "Hat letzte Woche promoviert.",
                "Wurde vorgestern operiert.",
                "Ist nach der OP noch krankgeschrieben.",
                "Umzug nach Berlin nächsten Monat.",
            )
            if pick < 0.15:
                wedding = noted + timedelta(days=rng.randint(5, 60))
                month = MONTHS_DE_LIST[wedding.month - 1]
                return Note(f"Heiratet am {wedding.day}. {month}.", noted, True)
            if pick < 0.25:
                month = MONTHS_DE_LIST[(noted.month + rng.randint(0, 3)) % 12]
                return Note(f"Geht Ende {month} in Rente.", noted, True)
            return Note(rng.choice(options), noted, True)
        options = (
            "Her father passed away last week, be considerate.",
            "His mother died on Sunday.",
            f"Had a baby boy last week {DASH} Max.",
            "Is recovering from surgery, back in two weeks.",
            "Was off sick for three weeks with a burnout.",
            "Became a grandfather for the first time!",
            "Son finished his PhD in chemistry.",
        )
        if pick < 0.12:
            university = rng.choice(UNIVERSITIES)
            return Note(f"His daughter graduated from {university} yesterday.", noted, True)
        if pick < 0.24:
            city = rng.choice(CITIES)
            return Note(f"They are moving to {city} in two weeks.", noted, True)
        if pick < 0.36:
            wedding = noted + timedelta(days=rng.randint(5, 60))
            month = MONTHS_EN[wedding.month - 1]
            return Note(f"Getting married on {wedding.day} {month}!", noted, True)
        if pick < 0.46:
            month = MONTHS_EN[(noted.month + rng.randint(0, 3)) % 12]
            return Note(f"Retiring at the end of {month}.", noted, True)
        return Note(rng.choice(options), noted, True)

    def milestone(self, de: bool) -> Note:
        rng = self.rng
        when = DAY + timedelta(days=rng.randint(-40, 60))
        noted = min(when, DAY) - timedelta(days=rng.randint(3, 60))
        month_en, month_de = MONTHS_EN[when.month - 1], MONTHS_DE_LIST[when.month - 1]
        city = rng.choice(CITIES)
        if de:
            return Note(
                rng.choice(
                    (
                        f"Go-Live des Projekts am {when.day}.{when.month}.",
                        f"Eröffnung des neuen Standorts in {city} am {when.day}. {month_de}.",
                        f"Markteinführung des neuen Produkts am {when.day}. {month_de}.",
                        f"Vertragsunterzeichnung am {when.day}. {month_de}.",
                    )
                ),
                noted,
                True,
            )
        return Note(
            rng.choice(
                (
                    f"Project go-live on {month_en} {when.day}.",
                    f"Opening of their new office in {city} on {when.day} {month_en}.",
                    f"Product launch on {month_en[:3]} {ordinal(when.day)}.",
                    f"Signed the framework agreement on {when.day} {month_en}.",
                )
            ),
            noted,
            True,
        )

    def interest(self, de: bool) -> Note:
        rng = self.rng
        noted = self._ordinary_noted_on()
        if rng.random() < 0.35:
            return Note(rng.choice(INTEREST_FIXED_DE if de else INTEREST_FIXED_EN), noted, False)
        first, second, other = rng.sample(list(self.tags), 3)
        if de:
            template = rng.choice(INTEREST_DE)
            text = template.format(a=first.name_de, b=second.name_de, x=other.name_de)
        else:
            template = rng.choice(INTEREST_EN)
            text = template.format(
                a=first.name_en.lower(), b=second.name_en.lower(), x=other.name_en.lower()
            )
        return Note(text, noted, False)

    def constraint(self, de: bool) -> Note:
        return Note(
            self.rng.choice(CONSTRAINT_DE if de else CONSTRAINT_EN),
            self._ordinary_noted_on(),
            False,
        )

    def plain(self, de: bool) -> Note:
        return Note(self.rng.choice(PLAIN_DE if de else PLAIN_EN), self._ordinary_noted_on(), False)

    def notes(self, *, de: bool, organization: str) -> list[Note]:
        rng = self.rng
        first: list[Note] = []
        if rng.random() < 0.75:
            first.append(self.birthday(de))
        rest = [self.interest(de)]
        if rng.random() < 0.6:
            rest.append(self.interest(de))
        if rng.random() < 0.25:
            rest.append(self.anniversary(de, organization))
        if rng.random() < 0.18:
            rest.append(self.constraint(de))
        if rng.random() < 0.07:
            rest.append(self.role_change(de))
        if rng.random() < 0.07:
            rest.append(self.life_event(de))
        if rng.random() < 0.06:
            rest.append(self.milestone(de))
        rng.shuffle(rest)
        notes = (first + rest)[:OBSERVATIONS_PER_CONTACT]
        while len(notes) < OBSERVATIONS_PER_CONTACT:
            notes.append(self.plain(de))
        return notes


# --- facts through the real extractor, cached -----------------------------------------------

FACT_CONTENT = ("kind", "month", "day", "year", "date", "subject", "event", "title", "label", "tag")


@dataclass
class ExtractionCache:
    """The extractor's facts per text (per text and noted_on for dated notes), cleaned and
    de-duplicated as contacts.services stores them."""

    taxonomy: Any
    interest_tags: frozenset[str]
    runs: int = 0
    hits: int = 0
    checked: int = 0
    seconds: float = 0.0
    dropped: int = 0
    mismatches: list[str] = field(default_factory=list)
    _results: dict[tuple[str, date | None], tuple[str, tuple[Any, ...]]] = field(
        default_factory=dict
    )

    def _extract(self, text: str, noted_on: date) -> tuple[str, tuple[Any, ...]]:
        from django.core.exceptions import ValidationError

        from contacts.extraction import extract
        from contacts.facts import fact_draft_clean, fact_draft_from_extracted

        started = time.perf_counter()
        result = extract(text, noted_on=noted_on, taxonomy=self.taxonomy, language=None)
        wanted: dict[tuple[object, ...], Any] = {}
        for fact in result.facts:
            try:
                clean = fact_draft_clean(
                    fact_draft_from_extracted(fact), interest_tags=self.interest_tags
                )
            except ValidationError:
                self.dropped += 1
                continue
            wanted.setdefault(tuple(getattr(clean, name) for name in FACT_CONTENT), clean)
        self.runs += 1
        self.seconds += time.perf_counter() - started
        return result.language, tuple(wanted.values())

    def facts(self, note: Note) -> tuple[str, tuple[Any, ...]]:
        key = (note.text, note.noted_on if note.dated else None)
        found = self._results.get(key)
        if found is None:
            found = self._extract(note.text, note.noted_on)
            self._results[key] = found
            return found
        self.hits += 1
        if not note.dated and self.hits % CACHE_CHECK_EVERY == 0:
            self.checked += 1
            if self._extract(note.text, note.noted_on) != found:
                self.mismatches.append(f"{note.text!r} noted on {note.noted_on}")
        return found


# --- the data set ---------------------------------------------------------------------------


@dataclass
class World:
    """What the contacts are generated against (ids of rows made once)."""

    managers: dict[int, list[int]]  # team id -> account manager ids
    organizations: list[tuple[int, str]]  # id, short name for notes
    gifts: list[tuple[int, Decimal]]  # active catalog items: id, price
    tags: list[Tagged]
    cache: ExtractionCache
    fact_kinds: Counter[str] = field(default_factory=Counter)
    contacts: int = 0
    generation_seconds: float = 0.0


def people_create(rng: random.Random) -> dict[int, list[int]]:
    from contacts.demo import FIRST_NAMES, LAST_NAMES
    from contacts.models import Team, User

    teams = Team.objects.bulk_create(Team(name=f"Bench team {n + 1}") for n in range(TEAMS))
    managers: dict[int, list[int]] = {}
    for team in teams:
        users = [
            User(
                username=f"bench-{team.pk}-{n}",
                first_name=rng.choice(FIRST_NAMES),
                last_name=rng.choice(LAST_NAMES),
                email=f"bench-{team.pk}-{n}@relcrm.example",
                role=User.Role.TEAM_LEAD if n == 0 else User.Role.ACCOUNT_MANAGER,
                team=team,
                language=rng.choice(("en", "de")),
                password="!",  # noqa: S106 - an unusable password: nobody logs in
            )
            for n in range(MANAGERS_PER_TEAM + 1)
        ]
        User.objects.bulk_create(users)
        team.lead = users[0]
        managers[team.pk] = [user.pk for user in users[1:]]
    Team.objects.bulk_update(teams, ["lead"])
    return managers


def organizations_create(rng: random.Random) -> list[tuple[int, str]]:
    from contacts.models import Organization

    rows = []
    for n in range(ORGANIZATIONS):
        prefix = rng.choice(ORG_PREFIXES)
        name = f"{prefix} {rng.choice(ORG_SECTORS)} {rng.choice(ORG_FORMS)}"
        roll = rng.random()
        kind = (
            Organization.Kind.PUBLIC_SECTOR
            if roll < 0.08
            else Organization.Kind.NONPROFIT
            if roll < 0.12
            else Organization.Kind.COMPANY
        )
        policy = (
            Organization.GiftPolicy.NO_GIFTS
            if rng.random() < 0.05
            else Organization.GiftPolicy.ALLOWED
        )
        limit = (
            Decimal(rng.choice(("20.00", "25.00", "30.00", "35.00")))
            if rng.random() < 0.1
            else None
        )
        rows.append(
            Organization(
                external_id=f"bench-org-{n + 1}",
                name=name,
                kind=kind,
                gift_policy=policy,
                gift_limit_eur=limit,
            )
        )
    created = Organization.objects.bulk_create(rows, batch_size=1000)
    return [(org.pk, org.name.split()[0]) for org in created]


FOOD_TAGS = {"chocolate", "coffee", "tea", "baking", "cooking"}
ALCOHOL_TAGS = {"wine", "whisky", "beer"}
ITEM_KINDS = ("gift box", "set", "voucher", "book", "accessory", "tasting", "kit", "print")
ITEM_ADJECTIVES = ("Premium", "Classic", "Artisan", "Compact", "Deluxe", "Regional", "Eco")
OCCASIONS = ("birthday", "anniversary", "role_change", "life_event", "milestone")
DIETARY = ("vegan", "vegetarian", "gluten_free", "lactose_free", "nut_free", "halal", "kosher")


def catalog_create(rng: random.Random) -> list[tuple[int, Decimal]]:
    from contacts.models import Tag
    from gestures.models import GiftItem

    tag_ids = dict(Tag.objects.values_list("slug", "pk"))
    slugs = sorted(tag_ids)
    items: list[GiftItem] = []
    item_tags: list[list[str]] = []
    for n in range(CATALOG_ITEMS):
        slug = slugs[n % len(slugs)]
        tags = [slug]
        if rng.random() < 0.4:
            tags.append(rng.choice([s for s in slugs if s != slug]))
        alcohol = slug in ALCOHOL_TAGS
        food = slug in FOOD_TAGS or (alcohol and rng.random() < 0.3)
        dietary = sorted(rng.sample(DIETARY, rng.randint(0, 4))) if food else []
        occasions = (
            ["any"] if rng.random() < 0.3 else sorted(rng.sample(OCCASIONS, rng.randint(1, 3)))
        )
        label = slug.replace("_", " ")
        kind = rng.choice(ITEM_KINDS)
        roll = rng.random()
        stock = None if roll < 0.7 else 0 if roll < 0.78 else rng.randint(1, 500)
        items.append(
            GiftItem(
                sku=f"BENCH-{n + 1:04d}",
                name=f"{rng.choice(ITEM_ADJECTIVES)} {label} {kind}",
                name_de=f"{label.capitalize()}-{kind} ({n + 1})",
                description=f"A {kind} for people who love {label}.",
                price_eur=Decimal(rng.randint(500, 6000)) / 100,
                occasions=occasions,
                contains_alcohol=alcohol,
                food=food,
                dietary=dietary,
                lead_time_days=rng.choice((1, 2, 3, 3, 5, 7, 10, 14)),
                stock=stock,
                active=rng.random() < 0.92,
            )
        )
        item_tags.append(tags)
    created = GiftItem.objects.bulk_create(items)
    through = GiftItem.tags.through
    through.objects.bulk_create(
        through(giftitem_id=item.pk, tag_id=tag_ids[slug])
        for item, tags in zip(created, item_tags, strict=True)
        for slug in tags
    )
    return [
        (item.pk, item.price_eur)
        for item in created
        if item.active and (item.stock is None or item.stock > 0)
    ]


def world_create(rng: random.Random) -> World:
    from contacts.models import Tag
    from contacts.selectors import taxonomy_current

    managers = people_create(rng)
    organizations = organizations_create(rng)
    gifts = catalog_create(rng)
    tags = [
        Tagged(*row)
        for row in Tag.objects.order_by("slug").values_list("slug", "name_en", "name_de")
    ]
    taxonomy = taxonomy_current()
    cache = ExtractionCache(taxonomy=taxonomy, interest_tags=frozenset(taxonomy.slugs))
    return World(managers, organizations, gifts, tags, cache)


def _batches(start: int, stop: int, size: int) -> Iterator[range]:
    for low in range(start, stop, size):
        yield range(low, min(low + size, stop))


def contacts_add(world: World, rng: random.Random, *, up_to: int) -> None:
    """Add contacts (with observations, facts and gestures) until there are `up_to`."""
    from django.db import reset_queries, transaction

    from contacts.demo import FIRST_NAMES, LAST_NAMES
    from contacts.models import Contact, Fact, Observation
    from gestures.models import Gesture
    from gestures.services import contacts_last_touch_recompute

    writer = NoteWriter(rng, world.tags)
    teams = sorted(world.managers)
    started = time.perf_counter()
    for batch in _batches(world.contacts, up_to, CONTACT_BATCH):
        contacts: list[Contact] = []
        organization_names: list[str] = []
        for index in batch:
            team = rng.choice(teams)
            organization_id, organization_name = rng.choice(world.organizations)
            first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
            contacts.append(
                Contact(
                    external_id=f"bench-contact-{index + 1}",
                    first_name=first,
                    last_name=last,
                    organization_id=organization_id,
                    email=f"{first.lower()}.{index + 1}@example.com",
                    language="de" if rng.random() < 0.6 else "en",
                    tier=rng.choices("ABC", weights=(15, 45, 40))[0],
                    owner_id=rng.choice(world.managers[team]),
                    team_id=team,
                    do_not_gift=rng.random() < 0.03,
                    compliance_review=rng.random() < 0.05,
                    archived=rng.random() < 0.01,
                    customer_since=customer_since(rng),
                )
            )
            organization_names.append(organization_name)
        with transaction.atomic():
            Contact.objects.bulk_create(contacts, batch_size=1000)
            observations: list[Observation] = []
            drafts: list[tuple[Any, ...]] = []
            for contact, organization_name in zip(contacts, organization_names, strict=True):
                for note in writer.notes(
                    de=contact.language == "de", organization=organization_name
                ):
                    language, facts = world.cache.facts(note)
                    observations.append(
                        Observation(
                            contact_id=contact.pk,
                            author_id=contact.owner_id,
                            text=note.text,
                            noted_on=note.noted_on,
                            language=language,
                        )
                    )
                    drafts.append(facts)
            Observation.objects.bulk_create(observations, batch_size=2000)
            fact_rows = [
                Fact(
                    observation_id=observation.pk,
                    contact_id=observation.contact_id,
                    sensitive=draft.sensitive,
                    evidence=draft.evidence[:2000],
                    **{name: getattr(draft, name) for name in FACT_CONTENT},
                )
                for observation, facts in zip(observations, drafts, strict=True)
                for draft in facts
            ]
            world.fact_kinds.update(fact.kind for fact in fact_rows)
            Fact.objects.bulk_create(fact_rows, batch_size=2000)
            Gesture.objects.bulk_create(gestures_for(contacts, world, rng), batch_size=2000)
            # Written in bulk past the services, so the last touch is set here.
            contacts_last_touch_recompute(
                contacts=Contact.objects.filter(pk__in=[c.pk for c in contacts])
            )
        reset_queries()  # DEBUG keeps every query's text otherwise
        world.contacts = batch.stop
        if world.contacts % 10_000 == 0:
            print(
                f"  {world.contacts:,} contacts generated ({time.perf_counter() - started:.0f} s)",
                flush=True,
            )
    world.generation_seconds += time.perf_counter() - started


def customer_since(rng: random.Random) -> date | None:
    """When a third of the contacts became customers, up to 16 years before the scanned day."""
    if rng.random() >= 1 / 3:
        return None
    return DAY - timedelta(days=rng.randint(200, 16 * 365))


def gestures_for(contacts: Sequence[Any], world: World, rng: random.Random) -> Iterator[Any]:
    """Gifts in the past year for some contacts (allowances, spacing), calls and meetings
    for others (last touch)."""
    from gestures.models import Gesture

    for contact in contacts:
        if rng.random() < 0.12:
            item_id, price = rng.choice(world.gifts)
            yield Gesture(
                contact_id=contact.pk,
                kind=Gesture.Kind.GIFT,
                date=DAY - timedelta(days=rng.randint(1, 330)),
                gift_item_id=item_id,
                value_eur=price,
                by_id=contact.owner_id,
            )
        if rng.random() < 0.25:
            yield Gesture(
                contact_id=contact.pk,
                kind=rng.choice((Gesture.Kind.CALL, Gesture.Kind.MEETING, Gesture.Kind.NOTE)),
                date=DAY - timedelta(days=rng.randint(1, 200)),
                by_id=contact.owner_id,
            )


# --- measuring ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Run:
    seconds: float  # the whole process, start-up included
    rss_mb: float  # the process's own peak (VmHWM), see scan_in_child
    contacts: int
    created: int
    scan_seconds: float  # the ScanRun's own start-to-finish, without process start-up


@dataclass(frozen=True, slots=True)
class Floor:
    read_seconds: float
    write_seconds: float
    read_bytes: int
    write_bytes: int

    @property
    def seconds(self) -> float:
        return self.read_seconds + self.write_seconds


@dataclass(slots=True)
class Step:
    contacts: int
    observations: int
    facts: int
    gestures: int
    floors: list[Floor] = field(default_factory=list)
    firsts: list[Run] = field(default_factory=list)
    reruns: list[Run] = field(default_factory=list)


def suggestions_clear() -> None:
    """Delete every suggestion and scan run, so the next scan is a first scan."""
    from django.db import connection

    from gestures.models import DraftVariantUse, Gesture, ScanRun, Suggestion, SuggestionTransition

    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {Gesture._meta.db_table} SET suggestion_id = NULL "  # noqa: S608
            "WHERE suggestion_id IS NOT NULL"
        )
        for model in (SuggestionTransition, Suggestion, ScanRun, DraftVariantUse):
            cursor.execute(f"DELETE FROM {model._meta.db_table}")  # noqa: S608


def vacuum_analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")


def _vm_hwm_kib(pid: int) -> int | None:
    try:
        with open(f"/proc/{pid}/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:  # gone, or not Linux
        return None
    return None


def scan_in_child(url: str) -> Run:
    """`manage.py scan_gestures --today DAY` in a new process: wall time and peak RSS.

    The peak is the child's own VmHWM, read from /proc/<pid>/status while it runs (it only
    grows, so the last reading is the peak up to a few milliseconds before exit). Not
    `ru_maxrss` from wait4: Python starts a child with vfork/posix_spawn, so until exec
    the child runs in this (generator) process's address space, and at exec Linux keeps
    the larger of the old address space's peak and the new one's in the child's maxrss.
    Started from a 300 MB parent, even /bin/true reports 310 MB that way.
    """
    from django.db.models import F

    from gestures.models import ScanRun

    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": "bench-only-not-a-secret-" + "x" * 40,
        "ALLOWED_HOSTS": "localhost",
    }
    peak_kib = 0
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        started = time.perf_counter()
        child = subprocess.Popen(  # noqa: S603 - our own interpreter and manage.py
            [sys.executable, "manage.py", "scan_gestures", "--today", DAY.isoformat()],
            cwd=SCAN_ROOT,
            env=env,
            stdout=out,
            stderr=err,
        )
        while True:
            pid, status = os.waitpid(child.pid, os.WNOHANG)
            if pid:
                break
            peak_kib = max(peak_kib, _vm_hwm_kib(child.pid) or 0)
            time.sleep(0.02)
        seconds = time.perf_counter() - started
        child.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        stdout = out.read().decode("utf-8", "replace")
        stderr = err.read().decode("utf-8", "replace")
    if child.returncode != 0:
        print(stdout, stderr, sep="\n", file=sys.stderr)
        raise SystemExit(f"scan_gestures failed with exit status {child.returncode}")
    match = SCAN_OUTPUT.search(stdout)
    if match is None:
        raise SystemExit(f"unexpected output of scan_gestures: {stdout!r}")
    last = (
        ScanRun.objects.filter(finished_at__isnull=False)
        .annotate(took=F("finished_at") - F("started_at"))
        .order_by("-pk")
        .values_list("took", flat=True)
        .first()
    )
    return Run(
        seconds=seconds,
        rss_mb=peak_kib / 1024,
        contacts=int(match["contacts"]),
        created=int(match["created"]),
        scan_seconds=last.total_seconds() if last is not None else float("nan"),
    )


# --- the floor ------------------------------------------------------------------------------


def floor_read_statement() -> str:
    """One statement for every row the scan's loaders read for the selected contacts
    (gestures.loaders: the contacts with their organisation, observations without text,
    facts, gestures with their outcome, stored suggestions), plus the text of the
    observations the new suggestions quote: each row as one text column."""
    from gestures import loaders

    parts = [
        loaders.CONTACTS_SQL,
        loaders.OBSERVATIONS_SQL,
        loaders.FACTS_SQL,
        loaders.GESTURES_SQL,
        loaders.EXISTING_SQL,
        "SELECT id, text FROM contacts_observation WHERE id = ANY(%s)",
    ]
    return " UNION ALL ".join(f"SELECT q::text FROM ({part}) q" for part in parts)  # noqa: S608


def floor_measure(url: str, *, contact_ids: list[int], suggestions: bytes) -> Floor:
    """The least a scan could do with the same data, on the same database: one COPY out of
    the rows it reads, one COPY in of the suggestions it makes (into a temporary table of
    the suggestions' shape)."""
    from gestures.loaders import HISTORY_DAYS
    from gestures.models import Suggestion

    recent = DAY - timedelta(days=HISTORY_DAYS)
    quoted = sorted(
        {
            int(pk)
            for line in suggestions.splitlines()
            for pk in json.loads(line.split(b"\t")[0].decode()) or ()
        }
    )
    ids = contact_ids
    params = [ids, ids, ids, ids, ids, sorted(Suggestion.CLOSED), recent, quoted]
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        cursor.execute("SET jit = off")  # as the scan does
        read = 0
        started = time.perf_counter()
        with cursor.copy(f"COPY ({floor_read_statement()}) TO STDOUT", params) as copy:
            for block in copy:
                read += len(block)
        read_seconds = time.perf_counter() - started
        # The columns the scan writes, as in its own staging table.
        cursor.execute(
            f"CREATE TEMPORARY TABLE floor_suggestion AS SELECT {FLOOR_COLUMNS} "  # noqa: S608
            "FROM gestures_suggestion WITH NO DATA"
        )
        started = time.perf_counter()
        with cursor.copy(f"COPY floor_suggestion ({FLOOR_COLUMNS}) FROM STDIN") as copy:
            copy.write(suggestions)
        connection.commit()
        write_seconds = time.perf_counter() - started
    return Floor(read_seconds, write_seconds, read, len(suggestions))


# observation_ids first: floor_measure reads the quoted observations from it.
FLOOR_COLUMNS = (
    "observation_ids, contact_id, kind, occasion, source_fact_id, source_ref, event_date, "
    "due_date, expires_on, gift_item_id, price_eur, score, needs_approval, explanation, "
    "draft, draft_variant, status, reason, reason_text, created_at, updated_at"
)


def suggestions_copied(url: str) -> bytes:
    """The stored suggestions as COPY text, the floor's write."""
    chunks: list[bytes] = []
    with psycopg.connect(url) as connection, connection.cursor() as cursor:
        statement = f"COPY (SELECT {FLOOR_COLUMNS} FROM gestures_suggestion) TO STDOUT"  # noqa: S608
        with cursor.copy(statement) as copy:
            chunks.extend(bytes(block) for block in copy)
    return b"".join(chunks)


def due_contacts(day: date) -> list[int]:
    """The contacts the scan selects on a first scan of `day` (run before it)."""
    from gestures.loaders import scan_settings
    from gestures.scan import due_contact_ids

    return due_contact_ids(today=day, settings=scan_settings())


def step_measure(url: str, *, alternations: int) -> Step:
    from django.db import connections

    from contacts.models import Contact, Fact, Observation
    from gestures.models import Gesture

    step = Step(
        Contact.objects.count(),
        Observation.objects.count(),
        Fact.objects.count(),
        Gesture.objects.count(),
    )
    # A scan ahead of the turns, for the suggestions the floor writes (and warm caches).
    suggestions_clear()
    vacuum_analyze()
    contact_ids = due_contacts(DAY)
    connections.close_all()
    print(f"  warm-up scan of {step.contacts:,} contacts ...", flush=True)
    scan_in_child(url)
    suggestions = suggestions_copied(url)
    for turn in range(1, alternations + 1):
        # Each turn from the state of a first scan: no suggestions, fresh statistics. The
        # floor reads what the first scan's loaders read then (no stored suggestions).
        suggestions_clear()
        vacuum_analyze()
        connections.close_all()  # nothing of ours in the way of the child
        floor = floor_measure(url, contact_ids=contact_ids, suggestions=suggestions)
        print(
            f"  [{turn}/{alternations}] floor {floor.seconds:.2f} s (read "
            f"{floor.read_bytes / 1e6:.0f} MB in {floor.read_seconds:.2f} s, write "
            f"{floor.write_bytes / 1e6:.0f} MB in {floor.write_seconds:.2f} s)",
            flush=True,
        )
        first = scan_in_child(url)
        print(f"    first scan {first.seconds:.1f} s, {first.rss_mb:.0f} MB, {first.created:,} new")
        rerun = scan_in_child(url)
        print(f"    rerun {rerun.seconds:.2f} s, {rerun.rss_mb:.0f} MB, {rerun.created} created")
        step.firsts.append(first)
        step.reruns.append(rerun)
        step.floors.append(floor)
    return step


# --- the report -----------------------------------------------------------------------------


def spread(values: Sequence[float], digits: int = 2) -> str:
    """The median, then the least and the greatest in brackets."""
    return (
        f"{statistics.median(values):.{digits}f} "
        f"({min(values):.{digits}f}{DASH}{max(values):.{digits}f})"
    )


def verdict(ok: bool) -> str:
    return "PASS" if ok else "FAIL"


def ratios(runs: Sequence[Run], floors: Sequence[Floor]) -> list[float]:
    """Each run over the floor measured in the same turn."""
    return [run.seconds / floor.seconds for run, floor in zip(runs, floors, strict=True)]


def report(steps: Sequence[Step]) -> bool:
    rows = [
        ("contacts", lambda s: f"{s.contacts:,}"),
        ("observations", lambda s: f"{s.observations:,}"),
        ("facts", lambda s: f"{s.facts:,}"),
        ("gestures", lambda s: f"{s.gestures:,}"),
        ("due contacts (first scan)", lambda s: f"{s.firsts[0].contacts:,}"),
        ("suggestions created", lambda s: f"{s.firsts[0].created:,}"),
        ("floor, s (COPY read + write)", lambda s: spread([f.seconds for f in s.floors])),
        ("first scan, s (process)", lambda s: spread([r.seconds for r in s.firsts], 1)),
        ("  the scan itself, s", lambda s: spread([r.scan_seconds for r in s.firsts], 1)),
        ("first scan / floor", lambda s: spread(ratios(s.firsts, s.floors), 1)),
        ("rerun, s (process)", lambda s: spread([r.seconds for r in s.reruns])),
        ("rerun / floor", lambda s: spread(ratios(s.reruns, s.floors))),
        ("peak RSS first scan, MB", lambda s: spread([r.rss_mb for r in s.firsts], 0)),
        ("peak RSS rerun, MB", lambda s: spread([r.rss_mb for r in s.reruns], 0)),
    ]
    width = max(len(label) for label, _ in rows) + 2
    column = 24
    print()
    print(
        f"Daily scan of {DAY.isoformat()}, one worker process (a child running scan_gestures); "
        f"median (min{DASH}max) over {len(steps[0].floors)} turns"
    )
    print("-" * (width + column * len(steps)))
    for label, cell in rows:
        print(f"{label:<{width}}" + "".join(f"{cell(s):>{column}}" for s in steps))
    print("-" * (width + column * len(steps)))

    checks: list[tuple[str, bool]] = []
    for s in steps:
        n = f"{s.contacts:,}"
        first = statistics.median(ratios(s.firsts, s.floors))
        rerun = statistics.median(ratios(s.reruns, s.floors))
        checks.append(
            (
                f"{n}: first scan {first:.1f}x the floor <= {TARGET_FIRST:.0f}x",
                first <= TARGET_FIRST,
            )
        )
        checks.append(
            (f"{n}: rerun {rerun:.2f}x the floor <= {TARGET_RERUN}x", rerun <= TARGET_RERUN)
        )
    for small, large in itertools.pairwise(steps):
        peak_small = max(r.rss_mb for r in small.firsts + small.reruns)
        peak_large = max(r.rss_mb for r in large.firsts + large.reruns)
        checks.append(
            (
                f"memory {small.contacts:,} -> {large.contacts:,} contacts: peak "
                f"{peak_small:.0f} -> {peak_large:.0f} MB (flat: at most x{TARGET_RSS_GROWTH})",
                peak_large <= peak_small * TARGET_RSS_GROWTH,
            )
        )
    for text, ok in checks:
        print(f"  [{verdict(ok)}] {text}")
    passed = all(ok for _, ok in checks)
    print()
    if passed:
        print("All targets met.")
    else:
        print("!!! TARGETS MISSED: " + "; ".join(text for text, ok in checks if not ok) + " !!!")
    return passed


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument(
        "--contacts",
        default=",".join(str(n) for n in DEFAULT_SIZES),
        help="contact counts to measure at, ascending, comma-separated (default 100000,200000)",
    )
    parser.add_argument(
        "--alternations",
        type=int,
        default=3,
        help="turns of first scan, rerun and floor at each size (default 3)",
    )
    parser.add_argument("--keep", action="store_true", help="keep the database at the end")
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="measure the database a --keep run left, at its size, without generating",
    )
    parser.add_argument(
        "--checkout",
        type=Path,
        help="run the scan of this other checkout of the repository (same migrations)",
    )
    args = parser.parse_args(argv)
    if args.checkout is not None:
        global SCAN_ROOT
        SCAN_ROOT = args.checkout.resolve()
    try:
        sizes = sorted({int(part) for part in args.contacts.split(",") if part.strip()})
    except ValueError:
        parser.error(f"--contacts {args.contacts!r}: expected numbers like 100000,200000")
    if not sizes or sizes[0] <= 0:
        parser.error("--contacts needs at least one positive number")
    if args.alternations < 1:
        parser.error("--alternations needs at least 1")

    url = os.environ.get("BENCH_DATABASE_URL", DEFAULT_DATABASE_URL)
    steps: list[Step] = []
    if args.reuse:
        print(f"database: {url} reused; scanned day {DAY.isoformat()}", flush=True)
        django_setup(url)
        steps.append(step_measure(url, alternations=args.alternations))
    else:
        print(f"database: {url} (re)created; scanned day {DAY.isoformat()}", flush=True)
        database_recreate(url)
        django_setup(url)
        rng = random.Random(SEED)  # noqa: S311 - benchmark data, not security
        started = time.perf_counter()
        world = world_create(rng)
        world.generation_seconds = time.perf_counter() - started
        for size in sizes:
            print(f"generating contacts up to {size:,} ...", flush=True)
            contacts_add(world, rng, up_to=size)
            cache = world.cache
            print(
                f"  generation so far {world.generation_seconds:.0f} s; extractor ran "
                f"{cache.runs:,} times ({cache.seconds:.0f} s) for "
                f"{cache.runs + cache.hits - cache.checked:,} observations, "
                f"{cache.hits:,} cache hits, {cache.checked:,} re-checked, "
                f"{len(cache.mismatches)} mismatches, {cache.dropped} invalid facts dropped",
                flush=True,
            )
            if cache.mismatches:
                print(
                    "  !!! cached by text but date-dependent:", *cache.mismatches[:5], sep="\n    "
                )
            print(
                "  facts by kind: "
                + ", ".join(f"{k} {v:,}" for k, v in sorted(world.fact_kinds.items()))
            )
            steps.append(step_measure(url, alternations=args.alternations))

    report(steps)
    from django.db import connections

    connections.close_all()
    if args.keep or args.reuse:
        print(f"database kept: {url}")
    else:
        database_drop(url)
        print("database dropped (use --keep to keep it)")


if __name__ == "__main__":
    main()
