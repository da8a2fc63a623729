"""Quick capture: the contact picker, the fact preview, and saving with or without JS."""

from datetime import date

import pytest
import time_machine
from django.urls import reverse

from contacts.forms import text_fingerprint
from contacts.models import Fact, Observation
from contacts.services import observation_create
from tests.factories import ContactFactory

TODAY = date(2026, 11, 21)
TEXT = "Her birthday is March 3rd. Loves hiking."


@pytest.fixture(autouse=True)
def pinned_day():
    with time_machine.travel("2026-11-21 10:00 +01:00", tick=False):
        yield


@pytest.fixture
def julia(manager):
    return ContactFactory(first_name="Julia", last_name="Schneider", owner=manager)


@pytest.fixture
def foreign_contact(outsider):
    return ContactFactory(first_name="Otto", last_name="Fremd", owner=outsider)


def reviewed_post(contact, text, facts, **extra):
    """What the browser posts after the preview: the facts as the person left them."""
    data = {
        "contact": contact.pk,
        "noted_on": TODAY.isoformat(),
        "text": text,
        "preview_of": text_fingerprint(text, TODAY),
        "action": "save",
        "fact-TOTAL_FORMS": len(facts),
        "fact-INITIAL_FORMS": len(facts),
    }
    for index, fact in enumerate(facts):
        for key, value in fact.items():
            if value is not None and value is not False:
                data[f"fact-{index}-{key}"] = value
    data.update(extra)
    return data


def test_the_capture_page_defaults_to_today_and_preselects_the_contact(client, manager, julia):
    client.force_login(manager)

    response = client.get(reverse("observation_new"), {"contact": julia.pk})

    body = " ".join(response.content.decode().split())
    assert 'name="noted_on" id="id_noted_on" required value="2026-11-21"' in body
    assert f'name="contact" value="{julia.pk}" required checked>' in body
    assert response.context["choices"] == [julia]


def test_the_picker_searches_the_team_as_you_type(client, manager, julia, foreign_contact):
    client.force_login(manager)

    response = client.get(reverse("contact_picker"), {"contact_q": "jul"}, HTTP_HX_REQUEST="true")

    body = response.content.decode()
    assert body.lstrip().startswith('<div id="contact-choices"')
    assert "Julia Schneider" in body
    assert (
        "Otto" not in client.get(reverse("contact_picker"), {"contact_q": "otto"}).content.decode()
    )


def test_the_preview_lists_the_facts_the_text_gives(client, manager, julia):
    client.force_login(manager)

    response = client.post(
        reverse("observation_preview"),
        {"contact": julia.pk, "noted_on": "2026-11-21", "text": TEXT},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert body.lstrip().startswith('<section id="fact-preview"')
    assert "Birthday: 3 March" in body
    assert "Interest: Hiking" in body
    assert 'name="fact-TOTAL_FORMS" value="2"' in body
    assert not Observation.objects.exists()


def test_a_sensitive_fact_in_the_preview_asks_for_acknowledgement(client, manager, julia):
    client.force_login(manager)

    response = client.post(
        reverse("observation_preview"),
        {"noted_on": "2026-11-21", "text": "Allergic to nuts."},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert "GDPR Art. 9" in body
    assert 'name="acknowledge_sensitive"' in body


def test_saving_without_javascript_keeps_every_extracted_fact(client, manager, julia):
    client.force_login(manager)

    response = client.post(
        reverse("observation_new"),
        {"contact": julia.pk, "noted_on": "2026-11-21", "text": TEXT, "action": "save"},
    )

    observation = Observation.objects.get()
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("contact_detail", args=[julia.pk]))
    assert (observation.author, observation.noted_on, observation.language) == (
        manager,
        TODAY,
        "en",
    )
    assert sorted(observation.facts.values_list("kind", flat=True)) == ["birthday", "interest"]


def test_saving_the_reviewed_facts_drops_and_corrects_them(client, manager, julia):
    client.force_login(manager)
    facts = [
        {"keep": "on", "kind": "birthday", "month": 3, "day": 4},  # corrected from the 3rd
        {"keep": False, "kind": "interest", "tag": "hiking"},  # dropped
    ]

    response = client.post(reverse("observation_new"), reviewed_post(julia, TEXT, facts))

    assert response.status_code == 302
    fact = Fact.objects.get()
    assert (fact.kind, fact.month, fact.day, fact.contact) == ("birthday", 3, 4, julia)


def test_a_preview_for_other_text_is_not_trusted(client, manager, julia):
    client.force_login(manager)
    facts = [{"keep": "on", "kind": "interest", "tag": "golf"}]
    data = reviewed_post(julia, TEXT, facts, preview_of=text_fingerprint("older text", TODAY))

    client.post(reverse("observation_new"), data)

    assert sorted(Fact.objects.values_list("kind", flat=True)) == ["birthday", "interest"]
    assert not Fact.objects.filter(tag="golf").exists()


def test_sensitive_facts_are_not_saved_without_acknowledgement(client, manager, julia):
    client.force_login(manager)
    data = {
        "contact": julia.pk,
        "noted_on": "2026-11-21",
        "text": "Allergic to nuts.",
        "action": "save",
    }

    refused = client.post(reverse("observation_new"), data)

    assert refused.status_code == 200
    assert "acknowledge_sensitive" in refused.context["form"].errors
    assert not Observation.objects.exists()

    client.post(reverse("observation_new"), {**data, "acknowledge_sensitive": "on"})
    fact = Fact.objects.get()
    assert (fact.tag, fact.sensitive) == ("nut_allergy", True)


def test_a_tampered_sensitive_flag_does_not_skip_the_acknowledgement(client, manager, julia):
    client.force_login(manager)
    facts = [{"keep": "on", "kind": "constraint", "tag": "halal", "sensitive": False}]

    response = client.post(
        reverse("observation_new"), reviewed_post(julia, "Eats halal only.", facts)
    )

    assert response.status_code == 200
    assert not Observation.objects.exists()


def test_bad_input_is_refused_with_messages_and_nothing_saved(
    client, manager, julia, foreign_contact
):
    client.force_login(manager)

    response = client.post(
        reverse("observation_new"),
        {"contact": foreign_contact.pk, "noted_on": "2026-12-24", "text": "  ", "action": "save"},
    )

    errors = response.context["form"].errors
    assert response.status_code == 200
    assert set(errors) == {"contact", "noted_on", "text"}
    assert not Observation.objects.exists()


def test_a_reviewed_fact_with_an_impossible_date_is_refused(client, manager, julia):
    client.force_login(manager)
    facts = [{"keep": "on", "kind": "birthday", "month": 2, "day": 31}]

    response = client.post(reverse("observation_new"), reviewed_post(julia, TEXT, facts))

    assert response.status_code == 200
    assert not Observation.objects.exists()


def test_the_author_edits_and_the_facts_are_recomputed(client, manager, julia):
    observation = observation_create(
        contact=julia, author=manager, text="Loves golf.", noted_on=TODAY
    )
    client.force_login(manager)

    response = client.post(
        reverse("observation_edit", args=[observation.pk]),
        {"contact": julia.pk, "noted_on": "2026-11-20", "text": "Loves tennis.", "action": "save"},
    )

    assert response.status_code == 302
    observation.refresh_from_db()
    assert observation.text == "Loves tennis."
    assert list(observation.facts.values_list("tag", flat=True)) == ["tennis"]
    assert observation.history.count() == 2


def test_only_the_author_or_the_lead_may_edit_or_delete(client, manager, colleague, lead, julia):
    observation = observation_create(
        contact=julia, author=manager, text="Loves golf.", noted_on=TODAY
    )

    client.force_login(colleague)
    assert client.get(reverse("observation_edit", args=[observation.pk])).status_code == 404
    assert client.post(reverse("observation_delete", args=[observation.pk])).status_code == 404

    client.force_login(lead)
    assert client.get(reverse("observation_edit", args=[observation.pk])).status_code == 200
    assert client.post(reverse("observation_delete", args=[observation.pk])).status_code == 302
    assert not Observation.objects.exists()
    assert not Fact.objects.exists()


def test_another_team_cannot_see_or_log_for_a_contact(client, outsider, julia):
    observation = observation_create(
        contact=julia, author=julia.owner, text="Loves golf.", noted_on=TODAY
    )
    client.force_login(outsider)

    assert client.get(reverse("observation_edit", args=[observation.pk])).status_code == 404
    response = client.post(
        reverse("observation_new"),
        {"contact": julia.pk, "noted_on": "2026-11-21", "text": "x", "action": "save"},
    )
    assert "contact" in response.context["form"].errors
    assert Observation.objects.count() == 1


def test_an_htmx_save_redirects_the_browser_to_the_contact(client, manager, julia):
    client.force_login(manager)

    response = client.post(
        reverse("observation_new"),
        {"contact": julia.pk, "noted_on": "2026-11-21", "text": TEXT, "action": "save"},
        HTTP_HX_REQUEST="true",
    )

    assert response.status_code == 200
    assert response["HX-Redirect"].startswith(reverse("contact_detail", args=[julia.pk]))
    assert Observation.objects.get().facts.count() == 2


@pytest.mark.parametrize("role", ["lead", "admin_user", "colleague"])
def test_everyone_of_the_team_and_admins_may_log_for_a_team_contact(client, request, role, julia):
    user = request.getfixturevalue(role)
    client.force_login(user)

    response = client.post(
        reverse("observation_new"),
        {"contact": julia.pk, "noted_on": "2026-11-21", "text": TEXT, "action": "save"},
    )

    assert response.status_code == 302
    assert Observation.objects.get().author == user


def test_editing_keeps_the_observation_with_its_contact(client, manager, julia):
    other = ContactFactory.create(first_name="Other", owner=manager)
    observation = observation_create(
        contact=julia, author=manager, text="Loves golf.", noted_on=TODAY
    )
    client.force_login(manager)

    client.post(
        reverse("observation_edit", args=[observation.pk]),
        {"contact": other.pk, "noted_on": "2026-11-21", "text": "Loves chess.", "action": "save"},
    )

    observation.refresh_from_db()
    assert (observation.contact, observation.text) == (julia, "Loves chess.")


def test_a_fact_that_survives_an_edit_keeps_its_identity(client, manager, julia):
    observation = observation_create(
        contact=julia, author=manager, text="Her birthday is March 3rd. Loves golf.", noted_on=TODAY
    )
    birthday = Fact.objects.get(kind="birthday")
    client.force_login(manager)

    client.post(
        reverse("observation_edit", args=[observation.pk]),
        {
            "contact": julia.pk,
            "noted_on": "2026-11-21",
            "action": "save",
            "text": "Her birthday is March 3rd. Loves tennis.",
        },
    )

    assert Fact.objects.get(kind="birthday").pk == birthday.pk
    assert list(Fact.objects.filter(kind="interest").values_list("tag", flat=True)) == ["tennis"]


def test_the_preview_shows_whose_fact_it_is_and_dislikes(client, manager, julia):
    client.force_login(manager)

    response = client.post(
        reverse("observation_preview"),
        {"noted_on": "2026-11-21", "text": "Her husband is a big golf fan. Hates opera."},
        HTTP_HX_REQUEST="true",
    )

    body = response.content.decode()
    assert "Interest: Golf (Partner)" in body
    assert "Dislike: Opera" in body
    assert '<option value="partner" selected>' in body


def test_the_author_corrects_whose_fact_it_is(client, manager, julia):
    client.force_login(manager)
    text = "Her husband is a big golf fan."
    facts = [{"keep": "on", "kind": "interest", "tag": "golf", "person": "child"}]

    response = client.post(reverse("observation_new"), reviewed_post(julia, text, facts))

    assert response.status_code == 302
    fact = Fact.objects.get()
    assert (fact.kind, fact.tag, fact.person) == ("interest", "golf", "child")


def test_an_unknown_relative_is_refused(client, manager, julia):
    client.force_login(manager)
    text = "Her husband is a big golf fan."
    facts = [{"keep": "on", "kind": "interest", "tag": "golf", "person": "neighbour"}]

    response = client.post(reverse("observation_new"), reviewed_post(julia, text, facts))

    assert response.status_code == 200
    assert not Observation.objects.exists()
