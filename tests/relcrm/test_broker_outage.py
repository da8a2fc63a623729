"""A broker that is away or hung: every write answers normally and what it asked for is
sent once the broker is back; /healthz and a write answer within seconds when Redis hangs.
A private redis-server the test stops, starts again and freezes (SIGSTOP)."""

import datetime as dt
import time

import pytest
from django.urls import reverse
from django.utils import timezone

from gestures.models import Gesture, Suggestion
from relcrm.models import OutboxTask
from relcrm.services import heartbeat_record
from tests.conftest import wait_until
from tests.factories import ContactFactory, gesture_recorded
from tests.gestures.factories import SuggestionFactory

pytestmark = [pytest.mark.celery, pytest.mark.django_db(transaction=True)]
HTMX = {"HTTP_HX_REQUEST": "true"}


def writes(client, manager, today):
    """Every write that asks for a rescan: observation (form and HTMX), dismiss, done, call."""
    birthday = ContactFactory.create(owner=manager, tier="B")
    gesture_recorded(contact=birthday, kind="call", date=today, by=manager)
    other = ContactFactory.create(owner=manager, tier="B")
    event = today + dt.timedelta(days=20)
    to_dismiss = SuggestionFactory.create(contact=other, event_date=event)
    to_do = SuggestionFactory.create(contact=other, event_date=event, occasion="anniversary")
    client.force_login(manager)
    save = {"noted_on": today.isoformat(), "action": "save"}
    return birthday, [
        client.post(
            reverse("observation_new"),
            {**save, "contact": birthday.pk, "text": "Her birthday is tomorrow."},
        ),
        client.post(
            reverse("observation_new"),
            {**save, "contact": other.pk, "text": "Loves hiking."},
            **HTMX,
        ),
        client.post(
            reverse("suggestion_dismiss", args=[to_dismiss.pk]), {"reason": "not_relevant"}, **HTMX
        ),
        client.post(
            reverse("suggestion_done", args=[to_do.pk]),
            {"date": today.isoformat(), "note": "Card sent."},
            **HTMX,
        ),
        client.post(
            reverse("gesture_log", args=[other.pk]),
            {"kind": "call", "date": today.isoformat(), "note": "Talked."},
            **HTMX,
        ),
    ]


def test_with_redis_stopped_every_write_answers_and_its_rescan_follows_when_it_is_back(
    client, manager, private_broker, worker_nodes, ticking_clock
):
    today = timezone.localdate()
    worker_nodes.start("outage", concurrency=1, OUTBOX_SWEEP_GRACE_SECONDS="0")
    private_broker.stop()

    birthday, responses = writes(client, manager, today)

    assert [r.status_code for r in responses] == [302, 200, 200, 200, 200]
    assert Gesture.objects.count() == 3  # the earlier call, done, the call logged
    assert OutboxTask.objects.filter(sent_at__isnull=True).count() == 5
    # The card actions say so in their answer (the saves on the page they lead to).
    notice = b"Suggestions will update shortly."
    assert [notice in r.content for r in responses[2:]] == [True, True, True]
    assert not Suggestion.objects.filter(contact=birthday).exists()

    private_broker.start()
    back = time.monotonic()
    suggestion = wait_until(
        lambda: Suggestion.objects.filter(contact=birthday).first(), timeout=120, interval=0.2
    )
    print(f"\nrescan delivered {time.monotonic() - back:.1f} s after Redis came back")
    assert (suggestion.occasion, suggestion.event_date) == ("birthday", today + dt.timedelta(1))
    wait_until(lambda: not OutboxTask.objects.filter(sent_at__isnull=True).exists(), timeout=30)


def test_with_redis_frozen_healthz_and_a_write_answer_within_five_seconds(
    client, manager, private_broker, ticking_clock
):
    today = timezone.localdate()
    heartbeat_record()
    contact = ContactFactory.create(owner=manager)
    suggestion = SuggestionFactory.create(contact=contact, event_date=today + dt.timedelta(20))
    client.force_login(manager)
    assert client.get(reverse("healthz")).status_code == 200
    private_broker.freeze()
    try:
        started = time.monotonic()
        health = client.get(reverse("healthz"))
        health_seconds = time.monotonic() - started

        started = time.monotonic()
        dismissed = client.post(
            reverse("suggestion_dismiss", args=[suggestion.pk]), {"reason": "not_relevant"}, **HTMX
        )
        write_seconds = time.monotonic() - started
    finally:
        private_broker.thaw()
    print(f"\nfrozen Redis: /healthz {health_seconds:.1f} s, dismiss {write_seconds:.1f} s")

    assert health.status_code == 503 and health_seconds < 5
    assert health.json()["problems"][0].startswith("broker unreachable")
    assert dismissed.status_code == 200 and write_seconds < 5
    assert Suggestion.objects.get(pk=suggestion.pk).status == "dismissed"
    assert OutboxTask.objects.filter(sent_at__isnull=True).count() == 1
