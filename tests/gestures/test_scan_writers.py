"""The scan's two writers store the same suggestions: COPY through a staging table, with the
observations' text read only for the quotes (PostgreSQL), and bulk_create with every text
read up front (the portable writer), compared field by field on the benchmark's data."""

import datetime as dt
import random

import pytest
import time_machine
from django.db import connection
from django.forms.models import model_to_dict

from bench import scan as bench
from gestures.models import DraftVariantUse, Suggestion
from gestures.rules.occasions import OCCASIONS
from gestures.scan import CHUNK_SIZE, ScanContext, _chunks, contacts_scan, due_contact_ids
from tests.conftest import skip_or_fail

pytestmark = pytest.mark.django_db

CONTACTS = 400
# Scanned on the benchmark's day, and on a day whose horizon reaches the year-end greetings.
DAYS = (bench.DAY, dt.date(2026, 12, 1))


@pytest.fixture
def world():
    if connection.vendor != "postgresql":
        skip_or_fail("the COPY writer needs PostgreSQL (set DATABASE_URL=postgres://…)")
    rng = random.Random(bench.SEED)  # noqa: S311 - test data
    world = bench.world_create(rng)
    bench.contacts_add(world, rng, up_to=CONTACTS)
    return world


def scan_with(writer, today):
    """Run the day's scan with `writer` from a state without suggestions; the stored rows."""
    bench.suggestions_clear()
    context = ScanContext.load(today)
    ids = due_contact_ids(today=today, settings=context.settings)
    created = sum(
        contacts_scan(contact_ids=chunk, context=context, writer=writer)
        for chunk in _chunks(ids, CHUNK_SIZE // 4)
    )
    rows = {
        (s.contact_id, s.occasion, s.source_ref, s.event_date): model_to_dict(s)
        | {"created_at": s.created_at, "updated_at": s.updated_at}
        for s in Suggestion.objects.all()
    }
    uses = sorted(DraftVariantUse.objects.values_list("team_id", "month", "variant", "uses"))
    return created, rows, uses


def test_copy_and_bulk_create_store_the_same_suggestions_for_every_occasion(world):
    occasions = set()
    for today in DAYS:
        with time_machine.travel(dt.datetime(today.year, today.month, today.day, 6), tick=False):
            old_created, old, old_uses = scan_with("bulk_create", today)
            new_created, new, new_uses = scan_with("copy", today)

        assert old_created == len(old) > 100
        assert new_created == old_created
        assert new.keys() == old.keys()
        for key, row in old.items():
            fields = {name: (value, new[key][name]) for name, value in row.items() if name != "id"}
            assert {name: pair for name, pair in fields.items() if pair[0] != pair[1]} == {}, key
        assert new_uses == old_uses
        assert any(row["explanation"]["quotes"] for row in new.values())
        occasions |= {occasion for _contact, occasion, _ref, _date in new}
    assert occasions == set(OCCASIONS)
