"""Retention review: on a pinned day observations and sensitive facts come up for review
after the configured months, the owner keeps (reconfirms) or deletes them on the Review
page, with and without htmx; a protective constraint keeps protecting while it is due;
a card built on a fact past its review says so; the digest counts what is due; the access
log is pruned after its retention time."""

import datetime as dt
from decimal import Decimal
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.contrib.admin.models import CHANGE, LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import translation

from contacts.models import Fact, Observation
from contacts.services import observation_create, observation_update
from gestures.digest import digests_send
from gestures.models import Suggestion
from gestures.scan import scan_day
from gestures.selectors import suggestion_cards
from privacy.models import AccessLogEntry, ObservationReview, RetentionSettings
from privacy.retention import months_between, months_earlier, observations_due, review_scope
from privacy.services import access_log_prune
from privacy.tasks import access_log_prune as access_log_prune_task
from relcrm.schedule import SCHEDULES, Daily
from tests.factories import ContactFactory, UserFactory
from tests.gestures.factories import GiftItemFactory, SuggestionFactory

pytestmark = pytest.mark.django_db

BERLIN = ZoneInfo("Europe/Berlin")
TODAY = dt.date(2026, 11, 23)
MORNING = dt.datetime(2026, 11, 23, 9, 0, tzinfo=BERLIN)

OLD_PLAIN = "Clara plays the cello in an orchestra."
RECENT_PLAIN = "Clara moved her office to the third floor."
OLD_SENSITIVE = "Clara is allergic to nuts."
RECENT_SENSITIVE = "Clara eats halal."


@pytest.fixture(autouse=True)
def pinned_clock():
    with time_machine.travel(MORNING, tick=False):
        yield


@pytest.fixture
def clara(manager):
    clara = ContactFactory.create(first_name="Clara", last_name="Quast", owner=manager)
    for text, noted_on in (
        (OLD_PLAIN, dt.date(2024, 10, 1)),  # 25 months: due after 24
        (RECENT_PLAIN, dt.date(2025, 1, 10)),  # 22 months: not yet
        (OLD_SENSITIVE, dt.date(2025, 10, 1)),  # Art. 9, 13 months: due after 12
        (RECENT_SENSITIVE, dt.date(2026, 1, 5)),  # Art. 9, 10 months: not yet
    ):
        observation_create(contact=clara, author=manager, text=text, noted_on=noted_on)
    return clara


def retention(**months):
    settings = RetentionSettings.current()
    for name, value in months.items():
        setattr(settings, name, value)
    settings.save()


def due_texts(user, today=TODAY):
    return [o.text for o in observations_due(review_scope(user), today=today)]


def observation(text):
    return Observation.objects.get(text=text)


def test_months_are_calendar_months_with_short_months_clamped():
    assert months_earlier(dt.date(2026, 3, 31), 1) == dt.date(2026, 2, 28)
    assert months_earlier(dt.date(2028, 2, 29), 12) == dt.date(2027, 2, 28)
    assert months_earlier(dt.date(2026, 1, 15), 24) == dt.date(2024, 1, 15)
    assert months_between(dt.date(2024, 9, 24), dt.date(2026, 11, 23)) == 25
    assert months_between(dt.date(2024, 9, 23), dt.date(2026, 11, 23)) == 26


def test_the_defaults_are_24_months_and_12_for_sensitive_facts():
    settings = RetentionSettings.current()
    assert (settings.observation_review_months, settings.sensitive_review_months) == (24, 12)


def test_a_pinned_day_makes_old_observations_and_old_sensitive_facts_due(clara, manager):
    assert observation(OLD_SENSITIVE).facts.filter(sensitive=True).exists()
    assert due_texts(manager) == [OLD_PLAIN, OLD_SENSITIVE]


def test_the_months_come_from_the_settings(clara, manager):
    retention(observation_review_months=60, sensitive_review_months=6)
    assert due_texts(manager) == [OLD_SENSITIVE, RECENT_SENSITIVE]


def test_each_account_manager_reviews_their_own_contacts_a_team_lead_the_teams(
    clara, manager, colleague, lead, outsider
):
    theirs = ContactFactory.create(owner=colleague)
    observation_create(
        contact=theirs, author=colleague, text="Ben's note.", noted_on=dt.date(2020, 1, 1)
    )
    assert due_texts(manager) == [OLD_PLAIN, OLD_SENSITIVE]
    assert due_texts(colleague) == ["Ben's note."]
    assert due_texts(lead) == ["Ben's note.", OLD_PLAIN, OLD_SENSITIVE]
    assert due_texts(outsider) == []


def test_the_review_page_lists_what_is_due_with_its_age_and_a_count(client, clara, manager):
    client.force_login(manager)
    html = client.get(reverse("review")).content.decode()

    assert OLD_PLAIN in html and OLD_SENSITIVE in html
    assert RECENT_PLAIN not in html and RECENT_SENSITIVE not in html
    assert "2 observations are due for review." in html
    assert "last confirmed 25 months ago" in html
    # A protective constraint is not deleted lightly.
    assert "keeps protecting while it waits for review" in html
    # Reading Art. 9 notes is recorded.
    assert AccessLogEntry.objects.filter(user=manager, contact=clara, action="view").exists()


def test_the_navigation_shows_the_review_count(client, clara, manager):
    client.force_login(manager)
    home = client.get(reverse("contact_list")).content.decode()
    assert reverse("review") in home and reverse("review_counter") in home

    counter = client.get(reverse("review_counter"), headers={"HX-Request": "true"})
    assert 'data-counter="review_due"' in counter.content.decode()
    assert ">2<" in counter.content.decode()


def test_the_review_page_is_in_german_for_german_users(client, clara, manager):
    manager.language = "de"
    manager.save()
    client.force_login(manager)
    html = client.get(reverse("review")).content.decode()
    assert "2 Beobachtungen sind zur Prüfung fällig." in html
    assert "Behalten: stimmt noch" in html


def test_keep_reconfirms_today_and_records_who(client, clara, manager):
    client.force_login(manager)
    old = observation(OLD_PLAIN)

    response = client.post(reverse("observation_review_keep", args=[old.pk]))

    assert response.status_code == 302 and response["Location"] == reverse("review")
    review = ObservationReview.objects.get(observation=old)
    assert (review.reviewed_by, review.reviewed_on) == (manager, TODAY)
    assert due_texts(manager) == [OLD_SENSITIVE]
    # Kept today, it is due again after the full period.
    assert OLD_PLAIN in due_texts(manager, today=dt.date(2028, 11, 23))
    assert OLD_PLAIN not in due_texts(manager, today=dt.date(2028, 11, 22))


def test_keep_with_htmx_swaps_the_row_and_refreshes_the_count(client, clara, manager):
    client.force_login(manager)
    old = observation(OLD_SENSITIVE)

    response = client.post(
        reverse("observation_review_keep", args=[old.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "Kept: confirmed as still true today." in response.content.decode()
    assert "<html" not in response.content.decode()
    assert "review-changed" in response["HX-Trigger"]
    assert due_texts(manager) == [OLD_PLAIN]


def test_delete_removes_the_observation_its_facts_history_and_quotes(client, clara, manager):
    client.force_login(manager)
    old = observation(OLD_SENSITIVE)
    fact_ids = list(old.facts.values_list("pk", flat=True))
    suggestion = SuggestionFactory.create(contact=clara, observation_ids=[old.pk])
    suggestion.explanation = {
        **suggestion.explanation,
        "quotes": [{"text": OLD_SENSITIVE, "noted_on": "2025-10-01", "author": "Anna"}],
    }
    suggestion.save()
    # A suggestion made before the note was corrected quotes its earlier version.
    observation_update(
        observation=old, text=OLD_SENSITIVE + " Also to almonds.", noted_on=old.noted_on
    )
    old.refresh_from_db()
    fact_ids = list(old.facts.values_list("pk", flat=True))
    LogEntry.objects.create(
        user=manager,
        content_type=ContentType.objects.get_for_model(Observation),
        object_id=str(old.pk),
        object_repr=str(old),
        action_flag=CHANGE,
    )
    assert Observation.history.filter(id=old.pk).exists()

    response = client.post(
        reverse("observation_review_delete", args=[old.pk]), headers={"HX-Request": "true"}
    )

    assert response.status_code == 200
    assert "Deleted, with its facts and its history." in response.content.decode()
    assert not Observation.objects.filter(pk=old.pk).exists()
    assert not Fact.objects.filter(pk__in=fact_ids).exists()
    assert not Observation.history.filter(id=old.pk).exists()
    assert not LogEntry.objects.filter(object_id=str(old.pk)).exists()
    suggestion.refresh_from_db()
    assert suggestion.observation_ids == []
    assert suggestion.explanation["quotes"] == []
    assert due_texts(manager) == [OLD_PLAIN]


def test_delete_without_javascript_redirects_with_a_message(client, clara, manager):
    client.force_login(manager)
    response = client.post(
        reverse("observation_review_delete", args=[observation(OLD_PLAIN).pk]), follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("review")
    assert "Deleted, with its facts and its history." in response.content.decode()
    assert not Observation.objects.filter(text=OLD_PLAIN).exists()


@pytest.mark.parametrize("who", ["ben", "otto"])
def test_a_colleague_or_another_team_cannot_keep_or_delete(
    client, clara, manager, colleague, outsider, who
):
    client.force_login(colleague if who == "ben" else outsider)
    old = observation(OLD_SENSITIVE)
    for name in ("observation_review_keep", "observation_review_delete"):
        assert client.post(reverse(name, args=[old.pk])).status_code == 404
    assert Observation.objects.filter(pk=old.pk).exists()
    assert not ObservationReview.objects.exists()
    html = client.get(reverse("review")).content.decode()
    assert OLD_SENSITIVE not in html and OLD_PLAIN not in html


def test_the_team_lead_and_an_admin_may_review_the_teams_observations(
    client, clara, lead, admin_user
):
    for user, text in ((lead, OLD_PLAIN), (admin_user, OLD_SENSITIVE)):
        client.force_login(user)
        assert text in client.get(reverse("review")).content.decode()
        response = client.post(reverse("observation_review_keep", args=[observation(text).pk]))
        assert response.status_code == 302
    assert ObservationReview.objects.count() == 2


def test_keep_and_delete_need_post(client, clara, manager):
    client.force_login(manager)
    old = observation(OLD_PLAIN)
    assert client.get(reverse("observation_review_keep", args=[old.pk])).status_code == 405
    assert client.get(reverse("observation_review_delete", args=[old.pk])).status_code == 405


def test_a_due_nut_allergy_still_excludes_nut_chocolate(manager):
    """Never drop a safety constraint by age alone: the allergy noted three years ago and
    never reviewed is due, and the gift is still the nut-free one."""
    nut = GiftItemFactory.create(
        name="Hazelnut pralines", price_eur=Decimal("9.90"), food=True, tags=["chocolate"]
    )
    nut_free = GiftItemFactory.create(
        name="Nut-free dark chocolate",
        price_eur=Decimal("19.90"),
        food=True,
        dietary=["nut_free"],
        tags=["chocolate"],
    )
    allergic, control = (
        ContactFactory.create(first_name=name, tier="A", owner=manager) for name in ("Ada", "Bo")
    )
    for contact in (allergic, control):
        observation_create(
            contact=contact,
            author=manager,
            text="Birthday on 1 December, loves chocolate.",
            noted_on=dt.date(2026, 11, 1),
        )
    observation_create(
        contact=allergic,
        author=manager,
        text="She is allergic to nuts.",
        noted_on=dt.date(2023, 11, 1),
    )
    assert "She is allergic to nuts." in due_texts(manager)

    scan_day(today=TODAY)

    gift_of = {
        s.contact_id: s.gift_item_id for s in Suggestion.objects.filter(kind=Suggestion.Kind.GIFT)
    }
    assert gift_of[control.pk] == nut.pk  # the cheaper one, when nothing forbids it
    assert gift_of[allergic.pk] == nut_free.pk


def _birthday_card(manager, noted_on, language="en"):
    contact = ContactFactory.create(owner=manager)
    source = observation_create(
        contact=contact, author=manager, text="Birthday on 1 December.", noted_on=noted_on
    )
    suggestion = SuggestionFactory.create(
        contact=contact, source_fact=source.facts.get(), observation_ids=[source.pk]
    )
    return suggestion_cards(suggestions=[suggestion], language=language, today=TODAY)[0]


def test_a_card_based_on_a_fact_past_its_review_says_so(client, manager):
    card = _birthday_card(manager, dt.date(2024, 9, 20))
    assert card.stale_months == 26
    assert _birthday_card(manager, dt.date(2025, 9, 20)).stale_months is None

    client.force_login(manager)
    html = client.get(reverse("dashboard")).content.decode()
    assert "Noted 26 months ago, still true?" in html
    assert html.count("still true?") == 1


def test_the_stale_note_on_a_card_is_translated(client, manager):
    _birthday_card(manager, dt.date(2024, 9, 20))
    manager.language = "de"
    manager.save()
    client.force_login(manager)
    html = client.get(reverse("dashboard")).content.decode()
    with translation.override("de"):
        assert "Vor 26 Monaten notiert, stimmt das noch?" in html


def test_the_weekly_digest_says_how_many_are_due(clara, manager, mailoutbox, settings):
    settings.RELCRM_BASE_URL = "https://crm.example.com"
    SuggestionFactory.create(
        contact=clara, status="confirmed", event_date=TODAY, due_date=TODAY, expires_on=TODAY
    )

    digests_send(today=TODAY)

    (message,) = mailoutbox
    assert "2 observations about your contacts are due for review" in message.body
    assert "https://crm.example.com/review/" in message.body
    assert OLD_SENSITIVE not in message.body
    html, _mimetype = message.alternatives[0]
    assert "2 observations about your contacts are due for review" in html


def test_a_digest_without_anything_due_for_review_does_not_mention_it(
    manager, mailoutbox, settings
):
    contact = ContactFactory.create(owner=manager)
    SuggestionFactory.create(
        contact=contact, status="confirmed", event_date=TODAY, due_date=TODAY, expires_on=TODAY
    )
    digests_send(today=TODAY)
    assert "due for review" not in mailoutbox[0].body


def test_old_access_log_entries_are_pruned_after_the_configured_months(clara, manager):
    def entry(at):
        return AccessLogEntry.objects.create(user=manager, contact=clara, action="view", at=at)

    old = entry(dt.datetime(2024, 11, 22, 23, 0, tzinfo=BERLIN))
    kept = entry(dt.datetime(2024, 11, 23, 0, 30, tzinfo=BERLIN))

    assert access_log_prune() == 1
    assert list(AccessLogEntry.objects.values_list("pk", flat=True)) == [kept.pk]
    assert not AccessLogEntry.objects.filter(pk=old.pk).exists()

    retention(access_log_months=1)
    assert access_log_prune_task.apply().get() == 1
    assert not AccessLogEntry.objects.exists()


def test_pruning_runs_every_night_from_the_schedule():
    (entry,) = [s for s in SCHEDULES if s.task == "privacy.access_log_prune"]
    assert entry.when == Daily(hour=3, minute=30)


def test_retention_settings_are_one_row_edited_in_the_admin(client, admin_user):
    client.force_login(admin_user)
    RetentionSettings.current()
    url = reverse("admin:privacy_retentionsettings_change", args=[1])
    response = client.post(
        url,
        {"observation_review_months": 36, "sensitive_review_months": 6, "access_log_months": 12},
    )
    assert response.status_code == 302
    settings = RetentionSettings.current()
    assert (settings.observation_review_months, settings.sensitive_review_months) == (36, 6)
    refused = client.post(
        url, {"observation_review_months": 0, "sensitive_review_months": 6, "access_log_months": 1}
    )
    assert refused.status_code == 200
    assert RetentionSettings.current().observation_review_months == 36
    assert client.get(reverse("admin:privacy_retentionsettings_add")).status_code == 403


def test_an_account_manager_cannot_reach_the_retention_settings(client, manager):
    client.force_login(UserFactory.create(username="amy", team=manager.team))
    response = client.get(reverse("admin:privacy_retentionsettings_changelist"))
    assert response.status_code == 302


def test_the_review_page_takes_as_many_queries_for_many_rows_as_for_few(
    client, manager, django_assert_max_num_queries
):
    def add(count):
        for n in range(count):
            contact = ContactFactory.create(owner=manager)
            observation_create(
                contact=contact,
                author=manager,
                text=f"Allergic to nuts, loves hiking ({n}).",
                noted_on=dt.date(2020, 1, 1),
            )

    client.force_login(manager)
    add(2)
    client.get(reverse("review"))  # settings and sessions settle
    with django_assert_max_num_queries(40) as few:
        assert client.get(reverse("review")).status_code == 200
    add(8)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(reverse("review")).status_code == 200


@pytest.mark.parametrize("where", ["contact page", "admin"])
def test_an_observation_deleted_anywhere_takes_its_quotes_along(
    client, clara, manager, admin_user, where
):
    old = observation(OLD_PLAIN)
    kept_quote = {"text": RECENT_PLAIN, "noted_on": "2025-01-10", "author": "Anna"}
    suggestion = SuggestionFactory.create(
        contact=clara, observation_ids=[old.pk, observation(RECENT_PLAIN).pk]
    )
    suggestion.explanation = {
        **suggestion.explanation,
        "quotes": [{"text": OLD_PLAIN, "noted_on": "2024-10-01", "author": "Anna"}, kept_quote],
    }
    suggestion.save()

    if where == "admin":
        client.force_login(admin_user)
        url = reverse("admin:contacts_observation_delete", args=[old.pk])
        response = client.post(url, {"post": "yes"})
    else:
        client.force_login(manager)
        response = client.post(reverse("observation_delete", args=[old.pk]))

    assert response.status_code == 302
    assert not Observation.objects.filter(pk=old.pk).exists()
    suggestion.refresh_from_db()
    assert suggestion.observation_ids == [observation(RECENT_PLAIN).pk]
    assert suggestion.explanation["quotes"] == [kept_quote]
