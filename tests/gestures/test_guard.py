"""The appropriateness guard and attention balance through the real scan, the swap, the
catalog, the dashboard's cards and the team overview."""

import datetime as dt
import io
import json
from decimal import Decimal

import pytest
import time_machine
from django.core.management import call_command

from contacts.models import Fact
from contacts.services import observation_create
from gestures.models import Suggestion
from gestures.rules import Explanation
from gestures.scan import scan_day
from gestures.services import SuggestionTransitionError, suggestion_swap_gift
from tests.factories import ContactFactory, gesture_recorded
from tests.gestures.factories import GiftItemFactory, GiftSuggestionFactory, SuggestionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]

TODAY = dt.date(2026, 12, 3)


@pytest.fixture
def pinned_clock():
    with time_machine.travel(dt.datetime(2026, 12, 3, 9, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def wine():
    return GiftItemFactory.create(
        sku="WINE",
        name="Mosel Riesling",
        name_de="Mosel-Riesling",
        tags=["wine"],
        occasions=["birthday", "anniversary"],
        contains_alcohol=True,
        symbols=["celebratory", "alcohol"],
        price_eur=Decimal("38.00"),
    )


def observe(contact, text, *, noted_on):
    return observation_create(
        contact=contact, author=contact.owner, text=text, noted_on=noted_on, rescan=False
    )


@pytest.fixture
def helena(manager):
    contact = ContactFactory.create(
        owner=manager, team=manager.team, first_name="Helena", last_name="Vogt", tier="A"
    )
    observe(contact, "Her birthday is on December 7.", noted_on=dt.date(2026, 10, 1))
    observe(contact, "Loves a good wine.", noted_on=dt.date(2026, 10, 20))
    return contact


def test_the_scan_gives_the_wine_lover_wine_without_a_bereavement(helena, wine):
    scan_day(today=TODAY)
    birthday = Suggestion.objects.get(contact=helena, occasion="birthday")
    assert (birthday.kind, birthday.gift_item) == ("gift", wine)


def test_the_scan_after_her_mother_died_a_note_with_the_care_note_first(helena, wine):
    observe(helena, "Her mother passed away last week.", noted_on=dt.date(2026, 12, 2))

    scan_day(today=TODAY)

    suggestions = list(Suggestion.objects.filter(contact=helena).order_by("-score"))
    assert [(s.occasion, s.kind) for s in suggestions] == [
        ("life_event", "note"),
        ("birthday", "note"),
    ]
    birthday = suggestions[1]
    assert birthday.gift_item is None
    assert birthday.draft  # a personal note to write
    guard = Explanation.from_json(birthday.explanation).guard
    assert [(n.reason, n.sku) for n in guard] == [("care_period", ""), ("care_item", "WINE")]

    out = io.StringIO()
    call_command("scan_gestures", "--today", TODAY.isoformat(), "--json", stdout=out)
    records = {r["occasion"]: r for r in json.loads(out.getvalue())["open"]}
    assert records["birthday"]["gift_item"] is None
    assert records["birthday"]["excluded"] == [
        {
            "reason": "care_period",
            "gift_item": None,
            "what": ["bereavement"],
            "until": "2027-01-06",
        },
        {
            "reason": "care_item",
            "gift_item": "WINE",
            "what": ["celebratory", "alcohol"],
            "until": None,
        },
    ]
    assert records["life_event"]["excluded"] == []


def test_the_card_explains_the_care_period(client, helena, manager, wine):
    observe(helena, "Her mother passed away last week.", noted_on=dt.date(2026, 12, 2))
    scan_day(today=TODAY)
    client.force_login(manager)

    body = client.get("/gestures/").content.decode()
    assert "Left out with care" in body
    assert "a period of care runs until 6 January 2027" in body
    assert "Left out: Mosel Riesling (celebratory and alcohol)" in body


def test_the_month_s_budget_turns_a_gift_into_a_note_and_the_card_says_so(
    client, helena, manager, wine, settings
):
    settings.RELCRM_MONTHLY_GIFT_BUDGET_EUR = Decimal("40")
    other = ContactFactory.create(owner=manager, team=manager.team)
    GiftSuggestionFactory.create(
        contact=other, gift_item=GiftItemFactory.create(price_eur=Decimal("30.00")), due_date=TODAY
    )

    scan_day(today=TODAY)

    birthday = Suggestion.objects.get(contact=helena, occasion="birthday")
    assert (birthday.kind, birthday.gift_item) == ("note", None)
    client.force_login(manager)
    body = client.get("/gestures/").content.decode()
    assert "this month&#x27;s gift budget of €40.00 is spent (€10.00 left)" in body


def test_the_budget_off_by_default(helena, wine, manager):
    other = ContactFactory.create(owner=manager, team=manager.team)
    GiftSuggestionFactory.create(
        contact=other, gift_item=GiftItemFactory.create(price_eur=Decimal("30.00")), due_date=TODAY
    )
    scan_day(today=TODAY)
    assert Suggestion.objects.get(contact=helena, occasion="birthday").kind == "gift"


def test_the_swap_refuses_wine_during_the_care_period_and_a_disliked_item(helena, manager, wine):
    suggestion = GiftSuggestionFactory.create(
        contact=helena,
        gift_item=GiftItemFactory.create(tags=["wine"]),
        event_date=dt.date(2026, 12, 7),
        due_date=dt.date(2026, 12, 4),
    )
    golf_wine = GiftItemFactory.create(tags=["wine", "golf"], sku="GOLF-WINE")
    observe(helena, "Can't stand golf.", noted_on=dt.date(2026, 11, 1))

    with pytest.raises(SuggestionTransitionError, match="dislikes"):
        suggestion_swap_gift(suggestion=suggestion, by=manager, gift_item=golf_wine)

    observe(helena, "Her mother passed away last week.", noted_on=dt.date(2026, 12, 2))
    with pytest.raises(SuggestionTransitionError, match="period of care"):
        suggestion_swap_gift(suggestion=suggestion, by=manager, gift_item=wine)

    kept = Suggestion.objects.get(pk=suggestion.pk).gift_item
    assert kept is not None
    assert list(kept.tags.values_list("slug", flat=True)) == ["wine"]


def test_the_swap_options_on_the_card_leave_guarded_items_out(client, helena, manager, wine):
    observe(helena, "Her mother passed away last week.", noted_on=dt.date(2026, 12, 2))
    GiftItemFactory.create(tags=["wine"], sku="GLASSES", name="Wine glasses")
    suggestion = GiftSuggestionFactory.create(
        contact=helena,
        gift_item=GiftItemFactory.create(tags=["wine"], name="Wine book"),
        event_date=dt.date(2026, 12, 7),
        due_date=dt.date(2026, 12, 4),
    )
    client.force_login(manager)
    # The swap form is loaded when it is opened: into the card, or as a page of its own.
    url = f"/suggestions/{suggestion.pk}/swap/form/"
    for headers in ({"HTTP_HX_REQUEST": "true"}, {}):
        body = client.get(url, **headers).content.decode()
        assert "Wine glasses" in body
        assert "Mosel Riesling" not in body


def test_the_catalog_leaves_out_who_dislikes_it_or_is_in_a_period_of_care(
    client, helena, manager, wine
):
    golfer = ContactFactory.create(owner=manager, first_name="Gerd", last_name="Golfer")
    observe(golfer, "Loves wine but hates golf.", noted_on=dt.date(2026, 11, 1))
    golf_wine = GiftItemFactory.create(tags=["wine", "golf"], name="Golf & wine")
    client.force_login(manager)

    card = client.get(f"/catalog/{wine.pk}/").context["card"]
    assert [p.name for p in card.suits] == ["Gerd Golfer", "Helena Vogt"]
    card = client.get(f"/catalog/{golf_wine.pk}/").context["card"]
    assert [p.name for p in card.suits] == ["Helena Vogt"]
    assert [(p.name, p.why) for p in card.left_out] == [
        ("Gerd Golfer", "Left out: Golf & wine — recorded dislike: Golf.")
    ]

    observe(helena, "Her mother passed away last week.", noted_on=dt.date(2026, 12, 2))
    response = client.get(f"/catalog/{wine.pk}/")
    assert [p.name for p in response.context["card"].suits] == ["Gerd Golfer"]
    assert "Mosel Riesling (celebratory and alcohol) does not suit the period of care" in (
        response.content.decode()
    )
    # A tea set suits her still.
    tea = GiftItemFactory.create(tags=["wine"], name="Wine-themed tea")
    assert "Helena Vogt" in [
        p.name for p in client.get(f"/catalog/{tea.pk}/").context["card"].suits
    ]


def test_the_capture_review_shows_the_dislike(client, manager):
    contact = ContactFactory.create(owner=manager)
    client.force_login(manager)
    response = client.post(
        "/observations/preview/",
        {"contact": contact.pk, "noted_on": TODAY.isoformat(), "text": "Mag keine Schokolade."},
        HTTP_HX_REQUEST="true",
    )
    assert "Dislike: " in response.content.decode()
    assert Fact.objects.count() == 0


# -- attention balance ------------------------------------------------------------------------


@pytest.fixture
def konrad_twice(manager, colleague):
    """Konrad Albers kept by Ben and by Anna (the same e-mail), each with an open suggestion."""
    bens = ContactFactory.create(
        owner=colleague,
        team=colleague.team,
        first_name="Konrad",
        last_name="Albers",
        email="konrad@nordlicht.example",
    )
    annas = ContactFactory.create(
        owner=manager,
        team=manager.team,
        first_name="Konrad",
        last_name="Albers",
        email="Konrad@Nordlicht.example",
    )
    SuggestionFactory.create(contact=bens, occasion="birthday", due_date=dt.date(2026, 12, 10))
    SuggestionFactory.create(contact=annas, occasion="role_change", due_date=dt.date(2026, 12, 5))
    return bens, annas


def test_both_cards_name_the_colleague_s_gesture(client, manager, colleague, konrad_twice):
    bens, _annas = konrad_twice
    gesture_recorded(contact=bens, kind="call", date=dt.date(2026, 11, 30), by=manager)

    client.force_login(colleague)
    ben_card = client.get("/gestures/").content.decode()
    assert "Also in touch" in ben_card
    assert "Anna" in ben_card and "Role change, due 5 December 2026" in ben_card
    assert "Call on 30 November 2026" in ben_card

    client.force_login(manager)
    anna_card = client.get("/gestures/").content.decode()
    assert "Also in touch" in anna_card
    assert "Birthday, due 10 December 2026" in anna_card


def test_a_gesture_older_than_two_weeks_is_no_attention_conflict(client, manager, colleague):
    contact = ContactFactory.create(owner=colleague, team=colleague.team)
    SuggestionFactory.create(contact=contact)
    gesture_recorded(contact=contact, kind="call", date=dt.date(2026, 11, 10), by=manager)
    client.force_login(colleague)
    assert "Also in touch" not in client.get("/gestures/").content.decode()
    gesture_recorded(contact=contact, kind="call", date=dt.date(2026, 11, 25), by=manager)
    assert "Also in touch" in client.get("/gestures/").content.decode()


def test_the_lead_sees_the_attention_balance(client, lead, konrad_twice):
    client.force_login(lead)
    response = client.get("/team/overview/")
    (case,) = response.context["attention"]
    assert case.contact_name == "Konrad Albers"
    assert {entry.user_name.split()[0] for entry in case.entries} >= {"Anna", "Ben"} or len(
        {entry.user_id for entry in case.entries}
    ) == 2
    assert "Attention balance" in response.content.decode()


def test_the_cards_take_as_many_queries_with_attention_as_without(
    client, manager, colleague, django_assert_max_num_queries
):
    client.force_login(manager)
    first = ContactFactory.create(owner=manager, team=manager.team)
    SuggestionFactory.create(contact=first)
    with django_assert_max_num_queries(100) as few:
        client.get("/gestures/")
    for _n in range(6):
        contact = ContactFactory.create(owner=manager, team=manager.team)
        SuggestionFactory.create(contact=contact)
        gesture_recorded(contact=contact, kind="call", date=dt.date(2026, 12, 1), by=colleague)
    with django_assert_max_num_queries(len(few.captured_queries)):
        body = client.get("/gestures/").content.decode()
    assert body.count("Also in touch") == 6


def test_the_german_card_explains_the_care_period_in_german(client, helena, manager, wine):
    observe(helena, "Her mother passed away last week.", noted_on=dt.date(2026, 12, 2))
    scan_day(today=TODAY)
    manager.language = "de"
    manager.save()
    client.force_login(manager)

    body = client.get("/gestures/").content.decode()
    assert "a period of care" not in body
    assert "gilt bis 6. Januar 2027 eine Zeit der Rücksicht" in body
    assert "Weggelassen: Mosel-Riesling (festlich und Alkohol)" in body
    # The card as an action answers it with HTMX says it in German too.
    birthday = Suggestion.objects.get(contact=helena, occasion="birthday")
    card = client.post(
        f"/suggestions/{birthday.pk}/confirm/", {"next": "/gestures/"}, HTTP_HX_REQUEST="true"
    ).content.decode()
    assert "gilt bis 6. Januar 2027 eine Zeit der Rücksicht" in card


def test_the_card_names_the_dislike_that_left_an_item_out(client, manager):
    konrad = ContactFactory.create(
        owner=manager, team=manager.team, first_name="Konrad", last_name="Albers", tier="A"
    )
    observe(konrad, "His birthday is on December 15.", noted_on=dt.date(2026, 9, 1))
    observe(
        konrad,
        "He loves reading and history but cannot stand travel.",
        noted_on=dt.date(2026, 11, 13),
    )
    GiftItemFactory.create(name="World atlas", tags=["travel", "history", "reading"])
    GiftItemFactory.create(name="History book", tags=["history"])

    scan_day(today=TODAY)
    client.force_login(manager)
    body = client.get("/gestures/").content.decode()

    gift = Suggestion.objects.get(contact=konrad, occasion="birthday")
    assert gift.gift_item is not None and gift.gift_item.name == "History book"
    assert "Left out: World atlas — recorded dislike: Travel." in body
