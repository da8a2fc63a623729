"""Need-to-know for Art. 9 notes on the contact page: the owner, the note's author, the
team lead and admins read it; another account manager of the team sees only that a
sensitive note exists, in the timeline and in the facts."""

import datetime as dt

import pytest
from django.urls import reverse

from contacts.services import observation_create
from tests.factories import ContactFactory, UserFactory

pytestmark = pytest.mark.django_db

SENSITIVE = "Clara is allergic to nuts, she told me at lunch."
PLAIN = "Clara loves hiking."


@pytest.fixture
def clara(manager, team):
    author = UserFactory.create(username="carl", team=team)
    clara = ContactFactory.create(first_name="Clara", owner=manager)
    observation_create(contact=clara, author=author, text=SENSITIVE, noted_on=dt.date(2026, 5, 1))
    observation_create(contact=clara, author=manager, text=PLAIN, noted_on=dt.date(2026, 5, 2))
    return clara


def page(client, user, contact):
    client.force_login(user)
    response = client.get(reverse("contact_detail", args=[contact.pk]))
    assert response.status_code == 200
    return response.content.decode()


def test_a_colleague_sees_that_a_sensitive_note_exists_not_what_it_says(client, clara, colleague):
    html = page(client, colleague, clara)

    assert "lunch" not in html and "Nut allergy" not in html
    assert "A sensitive note (GDPR Art. 9) exists." in html
    assert PLAIN in html


@pytest.mark.parametrize("who", ["anna", "carl", "lena", "admin"])
def test_owner_author_team_lead_and_admin_read_it(client, clara, lead, admin_user, who):
    from contacts.models import User

    html = page(client, User.objects.get(username=who), clara)

    assert SENSITIVE in html
    assert "A sensitive note (GDPR Art. 9) exists." not in html
