"""suggest_for_contact as a whole: approval, idempotence, and properties over random data."""

import datetime as dt
import random
from decimal import Decimal

from hypothesis import HealthCheck, event, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from gestures.rules import (
    CLOSED_STATUSES,
    CatalogItem,
    ContactInfo,
    Explanation,
    FactInfo,
    GestureInfo,
    ObservationInfo,
    OpenSuggestion,
    ScanSettings,
    gift_ineligibility,
    render_explanation,
    suggest_for_contact,
)

from .factories import TODAY, hiker, item, make_contact, noted, stored_like, suggest


def birthday_gift(price: str, **contact_fields):
    contact = hiker(noted("birthday", month=3, day=10), tier="A", **contact_fields)
    [draft] = suggest(contact, catalog=[item(price=price)])
    assert draft.kind == "gift"
    return draft


def test_gift_at_the_threshold_needs_approval():
    assert birthday_gift("25.00").needs_approval is True
    assert birthday_gift("24.99").needs_approval is False


def test_gift_for_a_contact_under_compliance_review_needs_approval():
    assert birthday_gift("5.00", compliance_review=True).needs_approval is True


def test_notes_never_need_approval():
    contact = make_contact(noted("birthday", month=3, day=10), compliance_review=True)
    assert suggest(contact)[0].needs_approval is False


def test_gift_is_based_on_the_occasion_and_the_interest_observations():
    contact = hiker(noted("birthday", month=3, day=10), tier="A")
    [draft] = suggest(contact, catalog=[item()])
    birthday_fact = contact.facts_of("birthday")[0]
    interest_fact = contact.facts_of("interest")[0]
    assert draft.observation_ids == (birthday_fact.observation_id, interest_fact.observation_id)


def test_running_again_with_what_was_stored_creates_nothing():
    contact = hiker(
        noted("birthday", month=3, day=10),
        noted("milestone", date=TODAY, label="Go-live"),
        tier="A",
        last_touch=None,
    )
    first = suggest(contact, catalog=[item()])
    assert len(first) == 2
    assert (
        suggest(
            contact, catalog=[item()], existing=[stored_like(d, status="pending") for d in first]
        )
        == []
    )


def test_input_order_does_not_change_the_result():
    noted_facts = [
        noted("birthday", month=3, day=10),
        noted("milestone", date=TODAY, label="Go-live"),
        noted("anniversary", subject="work", month=3, day=5, year=2022),
        noted("interest", tag="hiking"),
        noted("interest", tag="coffee"),
    ]
    catalog = [
        item(f"G-{i}", tags=("hiking", "coffee")[: 1 + i % 2], price="10.00") for i in range(5)
    ]
    expected = suggest(make_contact(*noted_facts), catalog=catalog)
    shuffle = random.Random(7).shuffle  # noqa: S311 -- test data, not security
    for _ in range(5):
        shuffle(noted_facts)
        shuffle(catalog)
        assert suggest(make_contact(*noted_facts), catalog=catalog) == expected


# --- properties over random data -----------------------------------------------------------

INTERESTS = ("hiking", "coffee", "wine", "golf")
CONSTRAINTS = ("no_alcohol", "vegan", "vegetarian", "gluten_free", "lactose_free",
               "nut_allergy", "halal", "kosher", "no_gifts")  # fmt: skip
EVENTS = ("wedding", "birth", "move", "graduation", "retirement", "bereavement", "illness", "")
OCCASION_OF_KIND = {
    "birthday": "birthday",
    "anniversary": "anniversary",
    "role_change": "role_change",
    "life_event": "life_event",
    "milestone": "milestone",
}
ALL_STATUSES = ("pending", "confirmed", "awaiting_approval", "approved", "rejected", "snoozed",
                "dismissed", "done", "expired")  # fmt: skip

# Mostly near today, where the rules act; sometimes far off.
offsets = st.one_of(
    st.integers(min_value=-40, max_value=25), st.integers(min_value=-400, max_value=400)
)
rarely = st.sampled_from([False, False, False, True])


@st.composite
def yearly_dates(draw, today: dt.date) -> tuple[int | None, int | None]:
    """(month, day): mostly a real day near today, sometimes missing or impossible."""
    if draw(rarely):
        return (
            draw(st.one_of(st.none(), st.integers(min_value=0, max_value=13))),
            draw(st.one_of(st.none(), st.integers(min_value=0, max_value=32))),
        )
    if draw(rarely):
        return 2, 29
    near = today + dt.timedelta(days=draw(offsets))
    return near.month, near.day


@st.composite
def contacts(draw, today: dt.date, *, gift_friendly: bool) -> ContactInfo:
    """Random contacts; `gift_friendly` ones can get gifts (tier A, every interest, no
    exclusions), so the gift paths are exercised too."""
    facts, observations = [], {}
    kinds = st.sampled_from([*OCCASION_OF_KIND, "interest", "interest", "interest", "constraint"])
    for index in range(draw(st.integers(min_value=0, max_value=8))):
        observation = ObservationInfo(
            id=index + 1,
            text=draw(st.text(max_size=40)),
            noted_on=today + dt.timedelta(days=-abs(draw(offsets))),
            author_name=draw(st.sampled_from(["Anna Becker", "Jonas Weber"])),
        )
        observations[observation.id] = observation
        kind = draw(kinds)
        month, day = draw(yearly_dates(today))
        maybe_date = draw(st.one_of(st.none(), offsets))
        facts.append(
            FactInfo(
                id=100 + index,
                observation_id=observation.id,
                kind=kind,
                month=month,
                day=day,
                year=draw(st.one_of(st.none(), st.integers(min_value=1950, max_value=2040))),
                date=today + dt.timedelta(days=maybe_date) if maybe_date is not None else None,
                subject=draw(
                    st.sampled_from(["work", "company", "customer", "wedding", "other", ""])
                ),
                event=draw(st.sampled_from(EVENTS)),
                title=draw(st.sampled_from(["", "CFO", "cfo "])),
                label=draw(st.sampled_from(["", "Go-live"])),
                tag=draw(st.sampled_from(INTERESTS if kind == "interest" else CONSTRAINTS)),
                sensitive=draw(st.booleans()),
            )
        )
    if gift_friendly:
        observations[99] = ObservationInfo(99, "Loves everything.", today, "Anna Becker")
        facts += [
            FactInfo(id=900 + i, observation_id=99, kind="interest", tag=tag)
            for i, tag in enumerate(INTERESTS)
        ]
    last_touch = draw(st.one_of(st.none(), st.integers(min_value=-200, max_value=0)))
    return ContactInfo(
        id=1,
        first_name="Maria",
        last_name="Schmidt",
        language=draw(st.sampled_from(["en", "de"])),
        tier="A" if gift_friendly else draw(st.sampled_from(["A", "B", "C"])),
        do_not_gift=not gift_friendly and draw(rarely),
        compliance_review=draw(st.booleans()),
        organization_kind=draw(
            st.sampled_from(
                [None, "company", "nonprofit", *([] if gift_friendly else ["public_sector"])]
            )
        ),
        organization_gift_policy=draw(
            st.sampled_from([None, "allowed", *([] if gift_friendly else ["no_gifts"])])
        ),
        organization_gift_limit_eur=None
        if gift_friendly
        else draw(st.one_of(st.none(), st.decimals(min_value=0, max_value=80, places=2))),
        facts=tuple(facts),
        observations=observations,
        last_touch=today + dt.timedelta(days=last_touch) if last_touch is not None else None,
    )


@st.composite
def catalogs(draw, *, gift_friendly: bool) -> list[CatalogItem]:
    occasions = st.sampled_from(["any"] if gift_friendly else [*OCCASION_OF_KIND, "any"])
    labels = st.sampled_from(
        ["vegan", "vegetarian", "gluten_free", "lactose_free", "nut_free", "halal", "kosher"]
    )
    return [
        CatalogItem(
            id=500 + index,
            sku=f"SKU-{index}",
            name_en=f"Item {index}",
            name_de=f"Artikel {index}",
            price_eur=draw(
                st.decimals(min_value=1, max_value=30 if gift_friendly else 60, places=2)
            ),
            tags=frozenset(draw(st.sets(st.sampled_from(INTERESTS), min_size=1, max_size=3))),
            occasions=frozenset(draw(st.sets(occasions, min_size=1, max_size=3))),
            contains_alcohol=not gift_friendly and draw(rarely),
            food=not gift_friendly and draw(st.booleans()),
            dietary=frozenset(draw(st.sets(labels, max_size=3))),
            lead_time_days=draw(st.integers(min_value=0, max_value=5 if gift_friendly else 20)),
            stock=draw(st.one_of(st.none(), st.integers(min_value=0, max_value=2))),
            active=gift_friendly or not draw(rarely),
        )
        for index in range(draw(st.integers(min_value=1 if gift_friendly else 0, max_value=6)))
    ]


def check_invariants(drafts, *, contact, gestures, existing, catalog, settings, today):
    still_open = [s for s in existing if s.status not in CLOSED_STATUSES]
    stored_keys = {(s.occasion, s.source_fact_id, s.occurrence_date) for s in existing}
    keys = [d.key for d in drafts]
    assert len(keys) == len(set(keys))
    assert not set(keys) & stored_keys
    assert len(drafts) <= max(settings.max_open_per_contact - len(still_open), 0)
    open_gifts = sum(s.kind == "gift" for s in still_open)
    new_gifts = [d for d in drafts if d.kind == "gift"]
    assert len(new_gifts) <= max(settings.max_open_gifts_per_contact - open_gifts, 0)
    other_gifts = [g.date for g in gestures if g.kind == "gift"]
    other_gifts += [s.occurrence_date for s in still_open if s.kind == "gift"]
    for gift in new_gifts:
        others = other_gifts + [d.occurrence_date for d in new_gifts if d is not gift]
        assert all(
            abs((gift.occurrence_date - o).days) >= settings.gift_spacing_days for o in others
        )
        [chosen] = [i for i in catalog if i.id == gift.gift_item_id]
        assert (
            gift_ineligibility(
                chosen,
                contact=contact,
                gestures=gestures,
                settings=settings,
                occasion=gift.occasion,
                event_date=gift.occurrence_date,
                today=today,
            )
            is None
        )
        assert gift.price_eur == chosen.price_eur
        assert gift.needs_approval == (
            chosen.price_eur >= settings.approval_threshold_eur or contact.compliance_review
        )
    facts = {fact.id: fact for fact in contact.facts}
    for draft in drafts:
        assert draft.due_date >= today
        if draft.kind != "gift":
            assert (draft.gift_item_id, draft.needs_approval) == (None, False)
        if draft.occasion == "keep_in_touch":
            assert draft.source_fact_id is None
            assert not still_open
            assert len(drafts) == 1
        elif draft.occasion in ("year_end", "customer_anniversary"):
            # Occasions without a fact: a greeting for this year's notes, a customer's years.
            assert draft.source_fact_id is None
        else:
            fact = facts[draft.source_fact_id]
            assert OCCASION_OF_KIND[fact.kind] == draft.occasion
            if fact.kind == "life_event" and fact.event in ("bereavement", "illness"):
                assert draft.kind == "note"
        for language in ("en", "de"):
            assert render_explanation(
                draft.explanation, language=language, today=today, interest_names={}
            )
        assert Explanation.from_json(draft.explanation.as_json()) == draft.explanation
    assert [d.score for d in drafts] == sorted((d.score for d in drafts), reverse=True)


@hypothesis_settings(
    max_examples=300, deadline=None, database=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data())
def test_random_data_never_raises_and_never_breaks_the_caps(data):
    today = data.draw(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2035, 12, 31)))
    gift_friendly = data.draw(st.booleans())
    contact = data.draw(contacts(today, gift_friendly=gift_friendly))
    catalog = data.draw(catalogs(gift_friendly=gift_friendly))
    settings = ScanSettings(
        horizon_days=data.draw(st.sampled_from([0, 7, 21, 40])),
        max_open_per_contact=data.draw(st.sampled_from([0, 1, 2, 2, 3])),
        max_open_gifts_per_contact=data.draw(st.sampled_from([0, 1, 1, 2])),
        gift_spacing_days=data.draw(st.sampled_from([0, 30, 90, 120])),
    )
    gestures = [
        GestureInfo(
            kind=data.draw(st.sampled_from(["gift", "note", "call", "meeting"])),
            date=today + dt.timedelta(days=-abs(data.draw(offsets))),
            gift_item_id=data.draw(st.sampled_from([None, *(i.id for i in catalog)])),
            value_eur=data.draw(
                st.one_of(st.none(), st.decimals(min_value=0, max_value=60, places=2))
            ),
        )
        for _ in range(data.draw(st.integers(min_value=0, max_value=4)))
    ]

    def scan(existing: list[OpenSuggestion]):
        drafts = suggest_for_contact(
            contact=contact,
            gestures=gestures,
            existing=existing,
            catalog=catalog,
            settings=settings,
            today=today,
        )
        check_invariants(
            drafts,
            contact=contact,
            gestures=gestures,
            existing=existing,
            catalog=catalog,
            settings=settings,
            today=today,
        )
        return drafts

    first = scan([])
    assert first == scan([])  # deterministic
    for draft in first:
        event(f"{draft.occasion} {draft.kind}")
    # Store some of what was suggested, in any status, plus an unrelated open gift, and scan
    # again: stored keys never return and the caps still hold.
    existing = [
        stored_like(draft, status=data.draw(st.sampled_from(ALL_STATUSES)))
        for draft in first
        if data.draw(st.booleans())
    ]
    if data.draw(st.booleans()):
        existing.append(
            OpenSuggestion(
                occasion="life_event",
                source_fact_id=999,
                occurrence_date=today + dt.timedelta(days=data.draw(offsets)),
                kind="gift",
                status=data.draw(st.sampled_from(ALL_STATUSES)),
                gift_item_id=None,
                created_on=today,
                snoozed_until=None,
            )
        )
    scan(existing)


def test_value_free_gift_gestures_count_as_nothing_against_the_allowance():
    contact = hiker(noted("birthday", month=9, day=10), tier="A")
    earlier = GestureInfo(kind="gift", date=dt.date(2027, 1, 5), gift_item_id=None, value_eur=None)
    [draft] = suggest(
        contact,
        catalog=[item(price="50.00")],
        gestures=[earlier],
        today=dt.date(2027, 9, 1),
    )
    assert (draft.kind, draft.price_eur) == ("gift", Decimal("50.00"))


def test_a_birthday_suggestion_expires_on_the_birthday():
    [draft] = suggest(make_contact(noted("birthday", month=3, day=10)))
    assert draft.expires_on == dt.date(2027, 3, 10)


def test_a_role_change_heard_late_stays_timely_for_the_window_after_it_was_noted():
    contact = make_contact(
        noted(
            "role_change",
            title="CFO",
            date=dt.date(2027, 2, 1),
            noted_on=dt.date(2027, 2, 25),
        )
    )
    [draft] = suggest(contact)
    assert draft.occurrence_date == dt.date(2027, 2, 1)
    assert draft.expires_on == dt.date(2027, 3, 27)


def test_a_milestone_expires_a_week_after_its_date():
    [draft] = suggest(make_contact(noted("milestone", label="Go-live", date=dt.date(2027, 3, 5))))
    assert draft.expires_on == dt.date(2027, 3, 12)


def test_a_call_without_an_occasion_stays_two_weeks():
    [draft] = suggest(make_contact(last_touch=dt.date(2026, 9, 1)))
    assert (draft.occasion, draft.expires_on) == ("keep_in_touch", dt.date(2027, 3, 15))
