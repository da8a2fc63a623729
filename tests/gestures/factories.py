"""factory_boy factories for the gift catalog (and interest tags)."""

from decimal import Decimal

import factory

from contacts.models import Tag
from gestures.models import GiftItem


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
