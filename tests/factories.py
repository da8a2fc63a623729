"""factory_boy factories for relcrm's models."""

import factory

from contacts.models import Contact, Organization, Team, User


class TeamFactory(factory.django.DjangoModelFactory[Team]):
    class Meta:
        model = Team
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Team {n}")


class UserFactory(factory.django.DjangoModelFactory[User]):
    class Meta:
        model = User
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}")
    first_name = factory.LazyAttribute(lambda u: u.username.capitalize())
    last_name = "Example"
    email = factory.LazyAttribute(lambda u: f"{u.username}@relcrm.example")
    role = User.Role.ACCOUNT_MANAGER
    team = factory.SubFactory(TeamFactory)
    language = "en"
    password = factory.django.Password("correct horse battery staple")


class OrganizationFactory(factory.django.DjangoModelFactory[Organization]):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n} GmbH")
    external_id = factory.Sequence(lambda n: f"org-{n}")


class ContactFactory(factory.django.DjangoModelFactory[Contact]):
    class Meta:
        model = Contact

    first_name = factory.Sequence(lambda n: f"Person{n}")
    last_name = "Muster"
    organization = factory.SubFactory(OrganizationFactory)
    owner = factory.SubFactory(UserFactory)
    team = factory.LazyAttribute(lambda c: c.owner.team)
    external_id = factory.Sequence(lambda n: f"contact-ext-{n}")
    tier = "B"
    language = "en"
