"""factory_boy factories for the gift catalog (and interest tags) and suggestions."""

import datetime as dt
from decimal import Decimal

import factory
from django.utils import timezone

from contacts.models import Tag
from gestures.models import GiftItem, Suggestion
from tests.factories import ContactFactory


class TagFactory(factory.django.DjangoModelFactory[Tag]):
    class Meta:
        model = Tag
        django_get_or_create = ("slug",)

    slug = factory.Sequence(lambda n: f"interest-{n}")
    name_en = factory.LazyAttribute(lambda t: t.slug.replace("_", " ").capitalize())
    name_de = factory.LazyAttribute(lambda t: f"{t.name_en} (de)")


class GiftItemFactory(factory.django.DjangoModelFactory[GiftItem]):
    class Meta:
        model = GiftItem
        django_get_or_create = ("sku",)
        skip_postgeneration_save = True

    sku = factory.Sequence(lambda n: f"GIFT-{n:04d}")
    name = factory.Sequence(lambda n: f"Gift {n:04d}")
    name_de = factory.LazyAttribute(lambda g: f"Geschenk {g.sku}")
    description = "A fine gift."
    description_de = "Ein feines Geschenk."
    price_eur = Decimal("24.90")
    occasions = factory.LazyFunction(lambda: ["any"])
    dietary = factory.LazyFunction(list)
    lead_time_days = 3
    active = True

    @factory.post_generation
    def tags(self, create, extracted, **kwargs):
        if create and extracted:
            self.tags.set(
                [t if isinstance(t, Tag) else TagFactory.create(slug=t) for t in extracted]
            )


def _gift_reason(suggestion):
    item = getattr(suggestion, "gift_item", None)
    if suggestion.kind != Suggestion.Kind.GIFT or item is None:
        return None
    return {
        "sku": item.sku,
        "name_en": item.name,
        "name_de": item.name_de,
        "price_eur": str(item.price_eur),
        "matched_interests": [tag.slug for tag in item.tags.all()],
        "allowance_year": suggestion.event_date.year,
        "allowance_limit_eur": "50.00",
        "remaining_allowance_eur": "50.00",
    }


class SuggestionFactory(factory.django.DjangoModelFactory[Suggestion]):
    """A new note suggestion for a birthday in a week; `kind="gift"` needs a `gift_item`
    (GiftSuggestionFactory brings one). The explanation is the scan's JSON shape."""

    class Meta:
        model = Suggestion

    contact = factory.SubFactory(ContactFactory)
    kind = Suggestion.Kind.NOTE
    occasion = Suggestion.Occasion.BIRTHDAY
    source_ref = factory.Sequence(lambda n: n + 1)
    event_date = factory.LazyFunction(lambda: timezone.localdate() + dt.timedelta(days=7))
    due_date = factory.LazyAttribute(lambda s: s.event_date)
    expires_on = factory.LazyAttribute(lambda s: s.event_date)
    status = Suggestion.Status.PENDING
    explanation = factory.LazyAttribute(
        lambda s: {
            "occasion": s.occasion,
            "kind": s.kind,
            "event_date": s.event_date.isoformat(),
            "quotes": [
                {
                    "text": "Her birthday is coming up soon.",
                    "noted_on": (s.event_date - dt.timedelta(days=30)).isoformat(),
                    "author": "Anna Example",
                }
            ],
            "gift": _gift_reason(s),
        }
    )


class GiftSuggestionFactory(SuggestionFactory):
    kind = Suggestion.Kind.GIFT
    gift_item = factory.SubFactory(GiftItemFactory)
    price_eur = factory.LazyAttribute(lambda s: s.gift_item.price_eur)
