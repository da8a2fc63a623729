"""How long a 10,000-row contact import takes, against a floor measured in the same run.

What it does:

1. (Re)creates its own PostgreSQL database (BENCH_IMPORT_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/relcrm_bench_import) and migrates it.
2. Writes a 10,000-row CSV file as German Outlook does (cp1252, `;`): names with umlauts,
   e-mail, 500 companies, job title, birthday, and for every third row a note in English
   or German (interests, constraints, a role change, a life event).
3. Alternates, ROUNDS times each, from an empty team:
   - the import: read the file, propose the mapping, check and match every row, read the
     facts of every note, write organizations, contacts, observations, facts and the
     history in one transaction (what the background task runs);
   - the floor: the same contacts and organizations bulk-created directly from the parsed
     file, with no checks, matching, history, notes or facts.
4. Prints the median of each, the import's phases, and the ratio import / floor.

Run from the repository root: `python bench/contact_import.py` (or `make bench`). Needs a
reachable PostgreSQL whose user may create databases; exits 1 if there is none.
"""

from __future__ import annotations

import csv
import io
import os
import random
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # allow `python bench/contact_import.py` without installing

from bench.scan import database_drop, database_recreate, django_setup  # noqa: E402

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/relcrm_bench_import"
ROWS = 10_000
ROUNDS = 3

FIRST = ["Jörg", "Änne", "Jürgen", "Sören", "Anna", "Max", "Björn", "Zoë", "Luca", "Mia"]
LAST = ["Müller", "Schröder", "Weiß", "Groß", "Köhler", "Schmidt", "Bäcker", "Strauß"]
NOTES = [
    "Trinkt keinen Alkohol. Liebt Wandern und Jazz.",
    "Loves sailing and good coffee.",
    "Ist seit dem 1. Oktober Einkaufsleiterin.",
    "Her daughter graduates in June; she is a keen cyclist.",
    "Spielt gern Golf, mag aber keine Schokolade.",
    "Vegetarian, reads crime novels.",
]


def file_make(rng: random.Random) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        [
            "Anrede",
            "Vorname",
            "Nachname",
            "Firma",
            "Position",
            "Geburtstag",
            "E-Mail-Adresse",
            "Notizen",
        ]
    )
    for i in range(ROWS):
        writer.writerow(
            [
                rng.choice(["Frau", "Herr"]),
                rng.choice(FIRST),
                f"{rng.choice(LAST)}-{i}",
                f"Firma {i % 500} GmbH",
                rng.choice(["Einkauf", "CFO", "Vertriebsleiterin", ""]),
                f"{rng.randint(1, 28)}.{rng.randint(1, 12)}.{rng.randint(1950, 2000)}",
                f"person{i}@example.de",
                rng.choice(NOTES) if i % 3 == 0 else "",
            ]
        )
    return buffer.getvalue().encode("cp1252")


def main() -> None:
    url = os.environ.get("BENCH_IMPORT_DATABASE_URL", DEFAULT_DATABASE_URL)
    database_recreate(url)
    try:
        django_setup(url)
        run(file_make(random.Random(12)))  # noqa: S311 - test data, not secrets
    finally:
        from django.db import connections

        connections.close_all()
        database_drop(url)


def run(raw: bytes) -> None:
    from django.db import reset_queries, transaction
    from django.utils import timezone

    from contacts.contact_import.files import table_read
    from contacts.contact_import.plan import import_plan
    from contacts.contact_import.service import mapping_for
    from contacts.contact_import.write import plan_extract, plan_write
    from contacts.models import Contact, Fact, Observation, Organization, Team, User

    team = Team.objects.create(name="Bench")
    owner = User.objects.create_user("bench", role=User.Role.TEAM_LEAD, team=team)
    today = timezone.localdate()

    written: dict[str, int] = {}

    def empty() -> None:
        Contact.objects.filter(team=team).delete()
        Observation.history.all().delete()
        Organization.objects.all().delete()
        Contact.history.all().delete()
        Organization.history.all().delete()

    def the_import() -> dict[str, float]:
        phases: dict[str, float] = {}
        start = time.perf_counter()
        table = table_read(raw, filename="outlook.csv")
        plan = import_plan(table, mapping_for(table), team=team, default_owner=owner)
        phases["read and check"] = time.perf_counter() - start
        mark = time.perf_counter()
        plan_extract(plan, noted_on=today)
        phases["facts of the notes"] = time.perf_counter() - mark
        mark = time.perf_counter()
        plan_write(plan, by=owner, noted_on=today)
        phases["write"] = time.perf_counter() - mark
        phases["total"] = time.perf_counter() - start
        written["rows"] = (
            Contact.objects.count()
            + Contact.history.count()
            + Observation.objects.count()
            + Observation.history.count()
            + Fact.objects.count()
            + Organization.objects.count()
            + Organization.history.count()
        )
        if plan.count("created") != ROWS:
            sys.exit(f"the import created {plan.count('created')} contacts, not {ROWS}")
        return phases

    def the_floor() -> float:
        start = time.perf_counter()
        rows = list(csv.DictReader(io.StringIO(raw.decode("cp1252")), delimiter=";"))
        with transaction.atomic():
            organizations = {
                name: Organization(name=name) for name in sorted({r["Firma"] for r in rows})
            }
            Organization.objects.bulk_create(organizations.values(), batch_size=1000)
            Contact.objects.bulk_create(
                (
                    Contact(
                        first_name=r["Vorname"],
                        last_name=r["Nachname"],
                        email=r["E-Mail-Adresse"],
                        title=r["Position"],
                        organization=organizations[r["Firma"]],
                        owner=owner,
                        team=team,
                    )
                    for r in rows
                ),
                batch_size=1000,
            )
        return time.perf_counter() - start

    imports: list[dict[str, float]] = []
    floors: list[float] = []
    for round_number in range(1, ROUNDS + 1):
        empty()
        reset_queries()
        imports.append(the_import())
        empty()
        reset_queries()
        floors.append(the_floor())
        print(
            f"round {round_number}: import {imports[-1]['total']:.2f} s, floor {floors[-1]:.2f} s"
        )
    empty()
    median_import = statistics.median(i["total"] for i in imports)
    median_floor = statistics.median(floors)
    print(f"{ROWS:,} rows (a third with a note), medians of {ROUNDS} alternating rounds:")
    for phase in ("read and check", "facts of the notes", "write"):
        print(f"  import, {phase}: {statistics.median(i[phase] for i in imports):.2f} s")
    print(f"  import, total: {median_import:.2f} s ({ROWS / median_import:,.0f} rows/s)")
    print(
        f"  floor (bulk-create the same contacts directly): {median_floor:.2f} s "
        f"({ROWS + 500:,} rows written; the import writes {written['rows']:,}: contacts, "
        "observations, facts, organizations and their history)"
    )
    print(f"  ratio import / floor: {median_import / median_floor:.1f}")


if __name__ == "__main__":
    main()
