"""How fast the API answers the contact list and the suggestion list, against a floor.

What it does:

1. (Re)creates its own PostgreSQL database (BENCH_API_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/relcrm_bench_api) and migrates it.
2. Creates a team with an account manager who owns 5,000 contacts and 5,000 open
   suggestions, and a personal API token for them.
3. Sends the requests in-process through Django's WSGI handler (the whole middleware stack,
   token lookup and rate limit included, no network), alternating A/B: the floor — the
   authenticated trivial endpoint `GET /api/v1/me` — then a list, so that both see the same
   machine load. Each list is a first page of 50.
4. Prints the median and 95th percentile of each, and each list's median as a multiple of
   the floor's.

Run from the repository root: `python bench/api.py` (or `make bench`). Needs a reachable
PostgreSQL whose user may create databases; exits 1 if there is none.
"""

from __future__ import annotations

import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # allow `python bench/api.py` without installing

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/relcrm_bench_api"
CONTACTS = 5_000
ROUNDS = 300
WARMUP = 20
LISTS = {
    "contact list": "/api/v1/contacts?page_size=50",
    "suggestion list": "/api/v1/suggestions?page_size=50",
}
FLOOR = "/api/v1/me"


def database_recreate(url: str) -> None:
    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    try:
        with psycopg.connect(admin, autocommit=True) as connection:
            connection.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
            )
            connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    except psycopg.OperationalError as error:
        sys.exit(f"PostgreSQL is not reachable at {admin}: {error}")


def django_setup(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "relcrm.settings")
    # The benchmark measures latency, not the rate limit.
    os.environ["RELCRM_API_RATE_LIMIT"] = "1000000/m"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def data_create(today: date) -> str:
    from api.services import api_token_create
    from contacts.models import Contact, Organization, Team, User
    from gestures.models import Suggestion

    team = Team.objects.create(name="Bench")
    user = User.objects.create_user("bench", role="account_manager", team=team, language="de")
    organizations = Organization.objects.bulk_create(
        Organization(name=f"Organisation {n}") for n in range(50)
    )
    contacts = Contact.objects.bulk_create(
        Contact(
            first_name=f"Vorname{n}",
            last_name=f"Nachname{n:05d}",
            organization=organizations[n % len(organizations)],
            owner=user,
            team=team,
            email=f"person{n}@example.com",
        )
        for n in range(CONTACTS)
    )
    Suggestion.objects.bulk_create(
        Suggestion(
            contact=contact,
            kind=Suggestion.Kind.NOTE,
            occasion="birthday",
            source_ref=n + 1,
            event_date=today + timedelta(days=n % 20 + 1),
            due_date=today + timedelta(days=n % 20 + 1),
            expires_on=today + timedelta(days=n % 20 + 1),
            explanation={
                "occasion": "birthday",
                "kind": "note",
                "event_date": (today + timedelta(days=n % 20 + 1)).isoformat(),
                "quotes": [
                    {"text": "Her birthday is soon.", "noted_on": today.isoformat(), "author": "B"}
                ],
                "gift": None,
            },
        )
        for n, contact in enumerate(contacts)
    )
    _token, raw = api_token_create(user=user, name="bench")
    return raw


def timed(client: object, url: str, headers: dict[str, str]) -> float:
    started = time.perf_counter()
    response = client.get(url, **headers)  # type: ignore[attr-defined]
    elapsed = (time.perf_counter() - started) * 1000
    if response.status_code != 200:
        sys.exit(f"{url} answered {response.status_code}: {response.content[:200]!r}")
    return elapsed


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


def main() -> None:
    url = os.environ.get("BENCH_API_DATABASE_URL", DEFAULT_DATABASE_URL)
    print(f"database: {url} (re)created; {CONTACTS:,} contacts and open suggestions", flush=True)
    database_recreate(url)
    django_setup(url)
    from django.test import Client
    from django.utils import timezone

    raw = data_create(timezone.localdate())
    client = Client(HTTP_HOST="localhost")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    print(f"{ROUNDS} rounds, alternating floor ({FLOOR}) and list, in-process WSGI", flush=True)
    print(f"{'request':<18} {'median ms':>10} {'p95 ms':>8} {'x floor':>8}")
    for name, list_url in LISTS.items():
        floor: list[float] = []
        measured: list[float] = []
        for round_number in range(WARMUP + ROUNDS):
            a = timed(client, FLOOR, headers)
            b = timed(client, list_url, headers)
            if round_number >= WARMUP:
                floor.append(a)
                measured.append(b)
        floor_median = statistics.median(floor)
        print(f"{'  floor':<18} {floor_median:>10.2f} {p95(floor):>8.2f} {1:>8.2f}")
        median = statistics.median(measured)
        print(f"{name:<18} {median:>10.2f} {p95(measured):>8.2f} {median / floor_median:>8.2f}")


if __name__ == "__main__":
    main()
