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


def gesture_recorded(**fields):
    """A Gesture row written directly (as history), with the contact's last touch moved as
    the services that record gestures move it."""
    from contacts.services import contact_touch
    from gestures.models import Gesture

    gesture = Gesture.objects.create(**fields)
    contact_touch(contact_id=gesture.contact_id, on=gesture.date)
    return gesture


def observation_recorded(**fields):
    """An Observation row written directly (without extraction), with the contact's last
    touch moved as contacts.services moves it."""
    from contacts.models import Observation
    from contacts.services import contact_touch

    observation = Observation.objects.create(**fields)
    contact_touch(contact_id=observation.contact_id, on=observation.noted_on)
    return observation
