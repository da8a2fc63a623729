"""The weekly digest e-mail: what is in it, in the user's language, as text and HTML, sent
once per user and week, on Monday at 07:00, and through a real worker."""

import datetime as dt
import smtplib
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends import locmem
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_celery_beat.models import PeriodicTask

from gestures.digest import digests_send, week_of
from gestures.models import DigestDelivery
from gestures.tasks import send_weekly_digests
from relcrm.schedule import SCHEDULES, Daily
from tests.conftest import wait_until
from tests.factories import ContactFactory, UserFactory
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory, SuggestionFactory

BERLIN = ZoneInfo("Europe/Berlin")
MONDAY = dt.date(2026, 11, 23)
MONDAY_MORNING = dt.datetime(2026, 11, 23, 7, 0, tzinfo=BERLIN)
BASE_URL = "https://crm.example.com"


class RefusingBackend(locmem.EmailBackend):
    """A mail server that refuses one address, delivering the rest to the locmem outbox."""

    def send_messages(self, email_messages):
        for message in email_messages:
            if "refused@" in message.to[0]:
                raise smtplib.SMTPRecipientsRefused({message.to[0]: (550, b"no such user")})
        return super().send_messages(email_messages)


def due(contact, day, *, status="confirmed", **fields):
    return SuggestionFactory.create(
        contact=contact, status=status, event_date=day, due_date=day, expires_on=day, **fields
    )


@pytest.fixture(autouse=True)
def base_url(settings):
    settings.RELCRM_BASE_URL = BASE_URL


@pytest.fixture
def week(manager):
    """Anna's week of Monday 23 November 2026, and what must stay out of her digest."""
    anna = ContactFactory.create(first_name="Anna", last_name="Example", owner=manager)
    bert = ContactFactory.create(first_name="Bert", last_name="Beispiel", owner=manager)
    later = ContactFactory.create(first_name="Lara", last_name="Later", owner=manager)
    item = GiftItemFactory.create(name="Tea tasting box", name_de="Tee-Probierbox")
    rows = {
        "gift": GiftSuggestionFactory.create(
            contact=anna,
            gift_item=item,
            price_eur=Decimal("1234.50"),
            status="approved",
            event_date=dt.date(2026, 11, 27),
            due_date=dt.date(2026, 11, 24),
            expires_on=dt.date(2026, 11, 27),
        ),
        "note": due(bert, dt.date(2026, 11, 26), status="pending", occasion="anniversary"),
        "overdue": due(bert, dt.date(2026, 11, 20), kind="call"),
        "next_week": due(later, dt.date(2026, 11, 30)),
        "dismissed": due(later, dt.date(2026, 11, 25), status="dismissed"),
        "snoozed": due(
            later, dt.date(2026, 11, 25), status="snoozed", snoozed_until=dt.date(2026, 12, 1)
        ),
    }
    return rows


def only_message(outbox):
    assert len(outbox) == 1
    return outbox[0]


def html_of(message):
    ((html, mimetype),) = message.alternatives
    assert mimetype == "text/html"
    return html


@pytest.mark.django_db
def test_week_of_is_the_monday():
    assert week_of(dt.date(2026, 11, 23)) == MONDAY
    assert week_of(dt.date(2026, 11, 29)) == MONDAY
    assert week_of(dt.date(2026, 11, 30)) == dt.date(2026, 11, 30)


@pytest.mark.django_db
@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_digest_lists_this_weeks_gestures_by_day_in_english(manager, week, mailoutbox):
    send_weekly_digests()

    message = only_message(mailoutbox)
    text = message.body
    assert message.to == [manager.email]
    assert message.subject == "Your gestures for the week of 23 November 2026"
    assert "3 gestures for your contacts are due by Sunday, 29 November 2026:" in text
    # Overdue first, then day by day.
    assert text.index("Overdue") < text.index("Tuesday, 24 November 2026")
    assert text.index("Tuesday, 24 November 2026") < text.index("Thursday, 26 November 2026")
    assert (
        "- Anna Example: Birthday (27 November 2026) · Gift: Tea tasting box, €1,234.50 · Approved"
        in text
    )
    assert "- Bert Beispiel: Anniversary (26 November 2026) · Handwritten note · New" in text
    assert "- Bert Beispiel: Birthday (20 November 2026) · Call · To do · due 20 November 2026" in (
        text
    )
    assert f"{BASE_URL}{reverse('dashboard')}\n" in text
    assert f"{BASE_URL}/contacts/{week['gift'].contact_id}/" in text
    for left_out in ("Lara Later", "30 November", "25 November"):
        assert left_out not in text


@pytest.mark.django_db
@time_machine.travel(MONDAY_MORNING, tick=False)
def test_control_characters_in_stored_text_do_not_reach_the_mail(manager, week, mailoutbox):
    contact = week["gift"].contact
    contact.first_name = "An\x1b[31mna\x08"
    contact.save()

    send_weekly_digests()

    message = only_message(mailoutbox)
    for part in (message.body, html_of(message)):
        assert "\x1b" not in part and "\x08" not in part
        assert "An[31mna Example" in part


@pytest.mark.django_db
@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_html_part_says_the_same_with_links(manager, week, mailoutbox):
    send_weekly_digests()

    html = html_of(only_message(mailoutbox))
    assert html.lstrip().startswith("<!doctype html>")
    assert "Tuesday, 24 November 2026</h2>" in html
    assert "Tea tasting box, €1,234.50" in html
    assert f'href="{BASE_URL}{reverse("dashboard")}"' in html
    assert f'href="{BASE_URL}/contacts/{week["gift"].contact_id}/"' in html
    assert "Lara Later" not in html


@pytest.mark.django_db
@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_digest_is_in_the_users_language(manager, week, mailoutbox):
    manager.language = "de"
    manager.save()

    send_weekly_digests()

    message = only_message(mailoutbox)
    text, html = message.body, html_of(message)
    assert "23. November 2026" in message.subject
    for part in (text, html):
        assert "Dienstag, 24. November 2026" in part
        assert "Donnerstag, 26. November 2026" in part
        assert "Tee-Probierbox, 1.234,50\u00a0€" in part
        assert "Geburtstag (27. November 2026)" in part
        assert "Tuesday" not in part
        assert "€1,234.50" not in part
    assert '<html lang="de">' in html


@pytest.mark.django_db
def test_a_second_run_in_the_same_week_sends_nothing(manager, week, mailoutbox):
    first = digests_send(today=MONDAY)
    again = digests_send(today=MONDAY + dt.timedelta(days=2))

    assert (first.sent, again.sent, again.skipped) == (1, 0, 1)
    assert len(mailoutbox) == 1
    delivery = DigestDelivery.objects.get(user=manager)
    assert delivery.week_of == MONDAY
    assert delivery.sent_at is not None


@pytest.mark.django_db
def test_next_week_brings_a_new_digest(manager, week, mailoutbox):
    digests_send(today=MONDAY)
    digests_send(today=MONDAY + dt.timedelta(days=7))

    assert len(mailoutbox) == 2
    assert "Lara Later" in mailoutbox[1].body
    assert DigestDelivery.objects.filter(user=manager).count() == 2


@pytest.mark.django_db
def test_users_with_nothing_due_get_no_email(manager, colleague, outsider, week, mailoutbox):
    due(ContactFactory.create(owner=colleague), MONDAY + dt.timedelta(days=7))
    due(ContactFactory.create(owner=outsider), MONDAY, status="done")

    run = digests_send(today=MONDAY)

    assert run.sent == 1
    assert [m.to for m in mailoutbox] == [[manager.email]]
    assert not DigestDelivery.objects.exclude(user=manager).exists()


@pytest.mark.django_db
def test_each_user_gets_only_their_own_contacts(manager, colleague, outsider, mailoutbox):
    due(ContactFactory.create(first_name="Mine", owner=manager), MONDAY)
    due(ContactFactory.create(first_name="Colleagues", owner=colleague), MONDAY)
    due(ContactFactory.create(first_name="Outsiders", owner=outsider), MONDAY)

    digests_send(today=MONDAY)

    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert set(bodies) == {manager.email, colleague.email, outsider.email}
    assert "Mine" in bodies[manager.email]
    assert "Colleagues" not in bodies[manager.email]
    assert "Outsiders" not in bodies[colleague.email]


@pytest.mark.django_db
def test_inactive_users_and_users_without_an_address_get_none(team, mailoutbox):
    gone = UserFactory.create(username="gone", team=team, is_active=False)
    silent = UserFactory.create(username="silent", team=team, email="")
    for owner in (gone, silent):
        due(ContactFactory.create(owner=owner), MONDAY)

    run = digests_send(today=MONDAY)

    assert run.sent == 0
    assert mailoutbox == []
    assert not DigestDelivery.objects.exists()


@pytest.mark.django_db
def test_a_refused_digest_is_retried_and_the_others_are_not_resent(
    settings, manager, team, mailoutbox
):
    settings.EMAIL_BACKEND = "tests.gestures.test_digest.RefusingBackend"
    refused = UserFactory.create(username="refused", team=team)
    due(ContactFactory.create(owner=manager), MONDAY)
    due(ContactFactory.create(owner=refused), MONDAY)

    first = digests_send(today=MONDAY)

    assert (first.sent, first.failed) == (1, [refused.pk])
    assert not DigestDelivery.objects.filter(user=refused).exists()

    refused.email = "fixed@relcrm.example"
    refused.save()
    retry = digests_send(today=MONDAY)

    assert (retry.sent, retry.skipped, retry.failed) == (1, 1, [])
    assert [m.to for m in mailoutbox] == [[manager.email], ["fixed@relcrm.example"]]


# -- the schedule and the worker -----------------------------------------------------------


def test_the_digest_is_scheduled_on_mondays_at_seven():
    (entry,) = [e for e in SCHEDULES if e.task == "gestures.send_weekly_digests"]

    assert entry.when == Daily(hour=7, minute=0, day_of_week="1")


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("last_run", "next_run"),
    [
        pytest.param(
            dt.datetime(2026, 11, 23, 7, 0, 30, tzinfo=BERLIN),
            dt.datetime(2026, 11, 30, 7, 0, tzinfo=BERLIN),
            id="the Monday after",
        ),
        pytest.param(
            dt.datetime(2026, 10, 19, 7, 0, 30, tzinfo=BERLIN),
            dt.datetime(2026, 10, 26, 7, 0, tzinfo=BERLIN),
            id="still seven o'clock after the clocks go back",
        ),
        pytest.param(
            dt.datetime(2026, 12, 28, 7, 0, 30, tzinfo=BERLIN),
            dt.datetime(2027, 1, 4, 7, 0, tzinfo=BERLIN),
            id="across the year end",
        ),
    ],
)
def test_sync_schedules_installs_a_monday_seven_oclock_berlin_crontab(last_run, next_run):
    call_command("sync_schedules")

    task = PeriodicTask.objects.get(task="gestures.send_weekly_digests")
    assert task.enabled
    assert task.crontab is not None
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("0", "7", "1")
    assert str(task.crontab.timezone) == "Europe/Berlin"
    # Celery measures what remains from its own "now": pin it just after the last run.
    with time_machine.travel(last_run, tick=False):
        remaining = task.crontab.schedule.remaining_estimate(last_run)
        assert timezone.now() + remaining == next_run


@pytest.mark.celery
def test_a_real_worker_sends_the_digest(live_worker, manager, mailoutbox, ticking_clock):
    today = timezone.localdate()
    due(ContactFactory.create(first_name="Worker", last_name="Example", owner=manager), today)

    send_weekly_digests.delay()

    delivery = wait_until(
        lambda: DigestDelivery.objects.filter(user=manager, sent_at__isnull=False).first()
    )
    assert delivery.week_of == week_of(today)
    # The worker runs in a thread of this process: its mail lands in the same outbox.
    assert [m.to for m in mail.outbox] == [[manager.email]]
    assert "Worker Example" in mail.outbox[0].body


def gesture_two_weeks_ago(owner, first_name, *, days=14, **fields):
    from tests.factories import gesture_recorded

    contact = ContactFactory.create(first_name=first_name, last_name="Nachfrage", owner=owner)
    return gesture_recorded(
        contact=contact, date=MONDAY - dt.timedelta(days=days), by=owner, **fields
    )


@pytest.mark.django_db
@time_machine.travel(MONDAY_MORNING, tick=False)
def test_the_digest_asks_what_came_of_the_gestures_of_two_weeks_ago(manager, week, mailoutbox):
    from gestures.outcomes import gesture_outcome_record

    gesture_two_weeks_ago(manager, "Olga", kind="note")
    gesture_two_weeks_ago(
        manager, "Paul", days=20, kind="gift", gift_item=GiftItemFactory.create(name="Tea set")
    )
    gesture_two_weeks_ago(manager, "Rita", days=13, kind="call")  # not yet two weeks
    answered = gesture_two_weeks_ago(manager, "Sven", days=30, kind="call")
    gesture_outcome_record(gesture=answered, by=manager, result="thanked")

    send_weekly_digests()

    message = only_message(mailoutbox)
    text, html = message.body, html_of(message)
    assert (
        "What came of it? 2 gestures you made two weeks ago or longer wait for your answer:" in text
    )
    assert "- Paul Nachfrage: Gift: Tea set · done on 3 November 2026" in text
    assert "- Olga Nachfrage: Handwritten note · done on 9 November 2026" in text
    assert text.index("Paul Nachfrage") < text.index("Olga Nachfrage")
    assert "Rita" not in text and "Sven" not in text
    assert "<strong>Olga Nachfrage</strong>: Handwritten note" in html
    # The week's gestures are still there.
    assert "3 gestures for your contacts are due by Sunday, 29 November 2026:" in text


@pytest.mark.django_db
@time_machine.travel(MONDAY_MORNING, tick=False)
def test_a_user_with_only_an_outcome_to_give_gets_the_digest_in_german(colleague, mailoutbox):
    colleague.language = "de"
    colleague.save()
    gesture_two_weeks_ago(colleague, "Olga", kind="meeting")

    send_weekly_digests()

    message = only_message(mailoutbox)
    assert message.to == [colleague.email]
    assert "fällig" not in message.body.split("Was ist daraus geworden?")[0]
    assert "Was ist daraus geworden?" in message.body
    assert "- Olga Nachfrage: Treffen · erledigt am 9. November 2026" in message.body
