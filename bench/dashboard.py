"""How fast the dashboard and its actions answer under load: 10 concurrent clients against
gunicorn and PostgreSQL, with 10,000 open suggestions in the team.

What it does:

1. (Re)creates its own PostgreSQL database (BENCH_DASHBOARD_DATABASE_URL, default
   postgres://postgres@127.0.0.1:5432/relcrm_bench_dashboard) and migrates it.
2. Creates a team with two account managers, 5,000 contacts and 10,000 open suggestions
   (a fifth of them gifts from a 300-item catalog, with some gift history; a few overdue;
   each account manager's first page a mix of notes and gifts, overdue and due this week),
   and a signed-in session per client.
3. Starts gunicorn (production settings, DEBUG off) on a free port and lets 10 client
   threads, each with its own keep-alive connection, load the dashboard page and confirm or
   dismiss suggestions (each client its own rows), twice: paced like people (about two
   seconds to read each answer), then at saturation (every client sends its next request
   at once, so on two cores each request waits for up to four others).
4. Prints the median and 95th percentile per request kind, against the targets (dashboard
   median <= 80 ms, actions median <= 40 ms): the server's time from gunicorn's access log,
   and the round trip the clients saw (which also pays for the clients' own share of the
   two cores).
5. Measures the page against its floor, a signed-in "hello" view behind the same
   middleware, settings and gunicorn (bench/dashboard_site/): in turns, all clients load
   the dashboard at saturation, then the hello view, at least three times; prints page /
   hello in server time (median and p95) and hello / page in throughput, each as the
   median over the turns with the least and greatest in brackets, and the dashboard's HTML
   size (20 cards), against the targets (page <= 6x hello, HTML <= 40 KB).

Run from the repository root: `python bench/dashboard.py` (or `make bench`). Needs a
reachable PostgreSQL whose user may create databases; exits 1 if there is none.
"""

from __future__ import annotations

import http.client
import os
import random
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
from psycopg import sql

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))  # allow `python bench/dashboard.py` without installing

DEFAULT_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/relcrm_bench_dashboard"
CLIENTS = 10
ROUNDS = 40  # per client, half paced like people, half at saturation
THINK_SECONDS = 2.0
KINDS = ("dashboard", "confirm", "dismiss")
CONTACTS = 5_000
SUGGESTIONS_PER_CONTACT = 2
TARGET_PAGE_MS = 80.0
TARGET_ACTION_MS = 40.0
TURNS = 3
REQUESTS_PER_TURN = 10  # per client and kind
TARGET_PAGE_OVER_HELLO = 6.0
TARGET_HTML_KB = 40.0
SETTINGS = "bench.dashboard_site.settings"


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


def data_create(today: date) -> tuple[list[str], dict[str, list[int]]]:
    """The team, its contacts and suggestions; one session per client, and the pending
    suggestions each client's user may act on."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from contacts.models import Contact, Team, User
    from gestures.models import Gesture, GiftItem, Suggestion

    team = Team.objects.create(name="Key Accounts")
    managers = [
        # No password: the clients come with sessions made here.
        User.objects.create_user(username=name, password=None, role="account_manager", team=team)
        for name in ("anna", "ben")
    ]
    items = GiftItem.objects.bulk_create(
        GiftItem(
            sku=f"BENCH-{n:03d}",
            name=f"Gift {n}",
            price_eur=Decimal(5 + n % 50),
            occasions=["any"],
            lead_time_days=n % 5,
        )
        for n in range(300)
    )
    contacts = Contact.objects.bulk_create(
        Contact(
            first_name=f"Person{n}",
            last_name=f"Example{n % 97}",
            owner=managers[n % 2],
            team=team,
            tier="ABC"[n % 3],
        )
        for n in range(CONTACTS)
    )
    Gesture.objects.bulk_create(
        Gesture(
            contact=contact,
            kind="gift",
            date=today - timedelta(days=30 + n % 200),
            gift_item=items[n % 300],
            value_eur=items[n % 300].price_eur,
            by=contact.owner,
        )
        for n, contact in enumerate(contacts[::5])
    )
    rows = []
    # Seeded, so every run has the same data: a fifth gifts, a few overdue, scores spread so
    # that the first page of each account manager mixes notes and gifts, overdue and due
    # this week, as a real one does.
    rng = random.Random(20261204)  # noqa: S311 - test data, not secrets
    for n, contact in enumerate(contacts):
        for k in range(SUGGESTIONS_PER_CONTACT):
            gift = rng.random() < 0.2
            event = today + timedelta(days=rng.randrange(-5, 35))
            due = event if rng.random() < 0.01 else max(event, today)
            item = items[(n + k) % 300] if gift else None
            rows.append(
                Suggestion(
                    contact=contact,
                    kind="gift" if gift else "note",
                    occasion="birthday" if k == 0 else "anniversary",
                    source_ref=n * 10 + k + 1,
                    event_date=event,
                    due_date=due,
                    expires_on=max(event, today) + timedelta(days=7),
                    gift_item=item,
                    price_eur=item.price_eur if item else None,
                    score=round(rng.uniform(40.0, 90.0), 1),
                    explanation={
                        "occasion": "birthday" if k == 0 else "anniversary",
                        "kind": "gift" if gift else "note",
                        "event_date": event.isoformat(),
                        "quotes": [
                            {
                                "text": "Her birthday is coming up; loves hiking.",
                                "noted_on": (today - timedelta(days=40)).isoformat(),
                                "author": contact.owner.username,
                            }
                        ],
                    },
                )
            )
    Suggestion.objects.bulk_create(rows, batch_size=2_000)

    cookies, work = [], {}
    for client in range(CLIENTS):
        user = managers[client % 2]
        session = SessionStore()
        session[SESSION_KEY] = str(user.pk)
        session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        session.create()
        csrf = secrets.token_hex(16)
        cookie = f"sessionid={session.session_key}; csrftoken={csrf}"
        cookies.append(cookie)
        owned = list(
            Suggestion.objects.filter(contact__owner=user, kind="note")
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        # Each client its own rows, so no action is refused for a status another changed.
        work[cookie] = owned[client // 2 :: CLIENTS // 2][: ROUNDS * 2 + 2]
    return cookies, work


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.2)
    sys.exit("gunicorn did not start")


def client_run(
    port: int,
    cookie: str,
    pks: list[int],
    timings: dict[str, list[float]],
    lock: threading.Lock,
    rounds: int = ROUNDS,
    think: float = 0.0,
) -> None:
    """One client: each round loads the page, confirms one suggestion and dismisses
    another, pausing `think` seconds (on average) after each request as a person reads."""
    csrf = cookie.split("csrftoken=")[1]
    pause = random.Random(cookie)  # noqa: S311 - pacing, not security
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    mine: dict[str, list[float]] = {"dashboard": [], "confirm": [], "dismiss": []}

    def request(kind: str, method: str, path: str, body: str = "") -> None:
        headers = {"Cookie": cookie, "Host": "127.0.0.1"}
        if method == "POST":
            headers.update(
                {
                    "X-CSRFToken": csrf,
                    "HX-Request": "true",
                    "Content-Type": "application/x-www-form-urlencoded",
                }
            )
        started = time.perf_counter()
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = (time.perf_counter() - started) * 1000
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: HTTP {response.status}")
        mine[kind].append(elapsed)
        if think:
            time.sleep(pause.uniform(0.5 * think, 1.5 * think))

    for round_ in range(rounds):
        request("dashboard", "GET", "/gestures/")
        confirm, dismiss = pks[2 * round_], pks[2 * round_ + 1]
        request("confirm", "POST", f"/suggestions/{confirm}/confirm/")
        request("dismiss", "POST", f"/suggestions/{dismiss}/dismiss/", "reason=not_relevant")
    connection.close()
    with lock:
        for kind, values in mine.items():
            timings[kind].extend(values)


def main() -> None:
    url = os.environ.get("BENCH_DASHBOARD_DATABASE_URL", DEFAULT_DATABASE_URL)
    database_recreate(url)
    secret = secrets.token_urlsafe(50)
    env = {
        **os.environ,
        "DATABASE_URL": url,
        "DEBUG": "false",
        "SECRET_KEY": secret,
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "false",
        "SECURE_HSTS_SECONDS": "0",
        # Collected static files (production serves hashed names) and the filesystem broker
        # that takes the rescans the actions send, away from a development setup's var/.
        "RELCRM_VAR_DIR": tempfile.mkdtemp(prefix="relcrm-bench-dashboard-"),
    }
    env["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command
    from django.utils import timezone

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    cookies, work = data_create(timezone.localdate())
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute("VACUUM ANALYZE")  # what autovacuum does soon after a bulk load
    print(f"data: {CONTACTS:,} contacts, {CONTACTS * SUGGESTIONS_PER_CONTACT:,} open suggestions")
    print(f"      created in {time.perf_counter() - started:.1f} s")

    port = free_port()
    workers = max(2, (os.cpu_count() or 1) + 1)
    access_log = Path(env["RELCRM_VAR_DIR"]) / "access.log"
    server = subprocess.Popen(  # noqa: S603 - our own interpreter and gunicorn
        [
            sys.executable,
            "-m",
            "gunicorn",
            "relcrm.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
            # The server's own time per request (%(D)s, microseconds): what the targets are
            # about, without the clients' share of the two cores.
            "--access-logfile",
            str(access_log),
            "--access-logformat",
            "%(m)s %(U)s %(s)s %(D)s",
        ],
        cwd=ROOT,
        env=env,
    )
    try:
        wait_for(port)
        lock = threading.Lock()
        # One warm-up round for two clients: connections, caches, the first template loads.
        warm: dict[str, list[float]] = {kind: [] for kind in KINDS}
        for cookie in cookies[:2]:
            client_run(port, cookie, work[cookie][:2], warm, lock, rounds=1)
            work[cookie] = work[cookie][2:]
        print(f"gunicorn: {workers} sync workers; {CLIENTS} concurrent clients")
        half = ROUNDS // 2
        for title, think, rounds in (
            (f"people: {THINK_SECONDS:.0f} s to read after each answer", THINK_SECONDS, half),
            ("saturation: every client sends its next request at once", 0.0, half),
        ):
            timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
            threads = [
                threading.Thread(
                    target=client_run,
                    args=(port, cookie, work[cookie][: 2 * rounds], timings, lock),
                    kwargs={"rounds": rounds, "think": think},
                )
                for cookie in cookies
            ]
            for cookie in cookies:
                work[cookie] = work[cookie][2 * rounds :]
            logged = access_log.stat().st_size if access_log.exists() else 0
            wall = time.perf_counter()
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            wall = time.perf_counter() - wall
            time.sleep(0.5)  # let the workers write their last log lines
            with access_log.open() as log:
                log.seek(logged)
                server_times = server_timings(log.read())
            print(f"\n{title}: {sum(map(len, timings.values()))} requests in {wall:.1f} s")
            report("server time (gunicorn)", server_times)
            report("round trip (clients)", timings)
        floor_compare(port, cookies, access_log)
    finally:
        server.terminate()
        server.wait(timeout=30)


def page_load(port: int, cookie: str, path: str, count: int, sizes: list[int]) -> None:
    """One client loading `path` `count` times on one keep-alive connection."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    for _ in range(count):
        connection.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
        response = connection.getresponse()
        body = response.read()
        if response.status != 200:
            raise RuntimeError(f"GET {path}: HTTP {response.status}")
        sizes.append(len(body))
    connection.close()


def saturate(
    port: int, cookies: list[str], path: str, access_log: Path
) -> tuple[list[float], float, int]:
    """Every client loads `path` REQUESTS_PER_TURN times at once: the server's times (ms),
    the requests per second, and the size of the last answer."""
    logged = access_log.stat().st_size if access_log.exists() else 0
    sizes: list[int] = []
    threads = [
        threading.Thread(target=page_load, args=(port, cookie, path, REQUESTS_PER_TURN, sizes))
        for cookie in cookies
    ]
    wall = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - wall
    time.sleep(0.5)  # let the workers write their last log lines
    with access_log.open() as log:
        log.seek(logged)
        times = [
            int(micros) / 1000
            for method, logged_path, _status, micros in (line.split() for line in log)
            if method == "GET" and logged_path == path
        ]
    return times, len(sizes) / wall, sizes[-1]


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[int(0.95 * (len(ordered) - 1))]


def spread(values: list[float], digits: int = 1) -> str:
    """The median, then the least and the greatest in brackets."""
    middle, low, high = statistics.median(values), min(values), max(values)
    return f"{middle:.{digits}f} ({low:.{digits}f}\N{EN DASH}{high:.{digits}f})"


def floor_compare(port: int, cookies: list[str], access_log: Path) -> None:
    """The dashboard against the hello view, in alternating turns."""
    medians, p95s, throughputs, html = [], [], [], 0
    print(f"\npage / hello: {TURNS} turns, {len(cookies)} clients at saturation, ")
    print(f"  {REQUESTS_PER_TURN} requests each per page and turn")
    for turn in range(1, TURNS + 1):
        page, page_rate, html = saturate(port, cookies, "/gestures/", access_log)
        hello, hello_rate, _size = saturate(port, cookies, "/bench/hello/", access_log)
        medians.append(statistics.median(page) / statistics.median(hello))
        p95s.append(p95(page) / p95(hello))
        throughputs.append(hello_rate / page_rate)
        print(
            f"  [{turn}/{TURNS}] page median {statistics.median(page):.1f} ms, p95 "
            f"{p95(page):.1f} ms, {page_rate:.1f}/s; hello median "
            f"{statistics.median(hello):.1f} ms, p95 {p95(hello):.1f} ms, {hello_rate:.1f}/s"
        )
    print("  median (least\N{EN DASH}greatest) over the turns:")
    print(f"  page / hello, server time median: {spread(medians)}")
    print(f"  page / hello, server time p95:    {spread(p95s)}")
    print(f"  hello / page, throughput:         {spread(throughputs)}")
    print(f"  dashboard HTML, 20 cards:         {html / 1000:.1f} KB")
    ratio = statistics.median(medians)
    for text, ok in (
        (
            f"page {ratio:.1f}x hello <= {TARGET_PAGE_OVER_HELLO:.0f}x",
            ratio <= TARGET_PAGE_OVER_HELLO,
        ),
        (f"HTML {html / 1000:.1f} KB <= {TARGET_HTML_KB:.0f} KB", html / 1000 <= TARGET_HTML_KB),
    ):
        print(f"  [{'PASS' if ok else 'FAIL'}] {text}")


def server_timings(log: str) -> dict[str, list[float]]:
    """Milliseconds per request kind from access log lines "METHOD PATH STATUS MICROSECONDS"."""
    timings: dict[str, list[float]] = {kind: [] for kind in KINDS}
    for line in log.splitlines():
        method, path, _status, micros = line.split()
        if method == "GET" and path == "/gestures/":
            timings["dashboard"].append(int(micros) / 1000)
        elif method == "POST" and path.endswith(("/confirm/", "/dismiss/")):
            timings[path.rstrip("/").rsplit("/", 1)[1]].append(int(micros) / 1000)
    return timings


def report(title: str, timings: dict[str, list[float]]) -> None:
    print(f"  {title:<20}{'n':>6}{'median ms':>12}{'p95 ms':>10}  target")
    for kind, target in (
        ("dashboard", TARGET_PAGE_MS),
        ("confirm", TARGET_ACTION_MS),
        ("dismiss", TARGET_ACTION_MS),
    ):
        values = sorted(timings[kind])
        median = statistics.median(values)
        p95 = values[int(0.95 * (len(values) - 1))]
        verdict = "ok" if median <= target else "MISSED"
        label = "GET /gestures/" if kind == "dashboard" else f"POST {kind}"
        line = f"  {label:<20}{len(values):>6}{median:>12.1f}{p95:>10.1f}"
        print(f"{line}  median <= {target:.0f} ms: {verdict}")


if __name__ == "__main__":
    main()
