"""Note drafts end to end: what the scan stores, the spread of variants over a team in a
month, editing on the card (HTMX and plain POST, every role), the final text on the
gesture, the print view and `scan_gestures --json`."""

import datetime as dt
import io
import json

import pytest
import time_machine
from django.core.management import call_command
from django.urls import reverse

from contacts.models import Contact
from contacts.services import observation_create
from gestures.models import DraftVariantUse, Gesture, GestureOutcome, Suggestion
from gestures.rules.drafts import occasion_variants
from gestures.scan import contact_rescan, scan_day
from tests.factories import ContactFactory, gesture_recorded
from tests.gestures.factories import SuggestionFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("pinned_clock")]

TODAY = dt.date(2026, 11, 23)
HTMX = {"HTTP_HX_REQUEST": "true"}
BIRTHDAY_VARIANTS = {variant.key for variant in occasion_variants("birthday")}


@pytest.fixture
def pinned_clock():
    with time_machine.travel(dt.datetime(2026, 11, 23, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


def observe(contact, text, *, noted_on=TODAY):
    return observation_create(
        contact=contact, author=contact.owner, text=text, noted_on=noted_on, rescan=False
    )


def birthday_contact(owner, *, on="December 10th", interest=True, **fields):
    contact = ContactFactory.create(owner=owner, tier="B", **fields)
    gesture_recorded(contact=contact, kind="call", date=TODAY, by=owner)
    observe(contact, f"Her birthday is on {on}.", noted_on=dt.date(2026, 10, 6))
    if interest:
        observe(contact, "She loves hiking.", noted_on=dt.date(2026, 10, 8))
    return contact


def test_the_scan_drafts_a_note_in_the_contacts_language_and_form_of_address(manager):
    contact = birthday_contact(
        manager, first_name="Clara", last_name="Weiss", language="de", salutation="Frau"
    )

    scan_day(today=TODAY)

    suggestion = Suggestion.objects.get(contact=contact)
    assert suggestion.kind == "note"
    assert suggestion.draft_variant in BIRTHDAY_VARIANTS
    assert suggestion.draft.startswith("Liebe Frau Weiss,\n\n")
    assert "Geburtstag" in suggestion.draft
    assert "Wandern" in suggestion.draft or "Oktober" in suggestion.draft
    assert (
        DraftVariantUse.objects.get(
            team=manager.team, month=dt.date(2026, 11, 1), variant=suggestion.draft_variant
        ).uses
        == 1
    )


def test_scan_gestures_json_gives_the_draft_and_null_for_a_call(manager):
    note_for = birthday_contact(manager, first_name="Nora", last_name="Lang", address="informal")
    call_for = birthday_contact(manager, on="November 25th", first_name="Carl", last_name="Berg")
    out = io.StringIO()

    call_command("scan_gestures", "--today", "2026-11-23", "--json", stdout=out)

    records = {record["contact"]: record for record in json.loads(out.getvalue())["open"]}
    assert records[note_for.external_id]["kind"] == "note"
    assert records[note_for.external_id]["draft"].startswith("Dear Nora,\n\n")
    assert records[call_for.external_id]["kind"] == "call"
    assert records[call_for.external_id]["draft"] is None


def test_no_two_contacts_of_a_team_get_the_same_wording_in_a_month(manager, colleague, outsider):
    team = [
        birthday_contact(manager if i % 2 else colleague) for i in range(len(BIRTHDAY_VARIANTS))
    ]
    other_team = birthday_contact(outsider)

    scan_day(today=TODAY)

    variants = [Suggestion.objects.get(contact=c).draft_variant for c in team]
    assert sorted(variants) == sorted(BIRTHDAY_VARIANTS)
    # Another team counts for itself.
    assert DraftVariantUse.objects.filter(team=outsider.team).get().uses == 1
    assert Suggestion.objects.get(contact=other_team).draft_variant in BIRTHDAY_VARIANTS

    # Once every variant is used, the next contact gets one of the least used: still spread.
    latecomer = birthday_contact(manager, on="December 12th")
    contact_rescan(contact_id=latecomer.pk, today=TODAY)
    uses = dict(
        DraftVariantUse.objects.filter(team=manager.team, month=dt.date(2026, 11, 1)).values_list(
            "variant", "uses"
        )
    )
    assert sorted(uses.values()) == [1] * (len(BIRTHDAY_VARIANTS) - 1) + [2]


def test_a_variant_dismissed_as_inappropriate_is_not_used_for_that_contact_again(manager):
    contact = birthday_contact(manager)
    keep = sorted(BIRTHDAY_VARIANTS)[0]
    for index, variant in enumerate(sorted(BIRTHDAY_VARIANTS - {keep})):
        SuggestionFactory.create(
            contact=contact,
            occasion="milestone",
            source_ref=1000 + index,
            status="dismissed",
            reason="inappropriate",
            draft="…",
            draft_variant=variant,
        )

    scan_day(today=TODAY)

    assert Suggestion.objects.get(contact=contact, occasion="birthday").draft_variant == keep


def test_a_variant_whose_note_felt_wrong_is_not_used_for_that_contact_again(manager):
    contact = birthday_contact(manager)
    keep = sorted(BIRTHDAY_VARIANTS)[0]
    for index, variant in enumerate(sorted(BIRTHDAY_VARIANTS - {keep})):
        gesture = gesture_recorded(
            contact=contact,
            by=manager,
            kind="note",
            date=TODAY - dt.timedelta(days=400 + index),
            card_text="…",
            draft_variant=variant,
        )
        GestureOutcome.objects.create(
            gesture=gesture, result="felt_wrong", note="Too familiar.", recorded_by=manager
        )

    scan_day(today=TODAY)

    assert Suggestion.objects.get(contact=contact, occasion="birthday").draft_variant == keep


def test_nothing_of_a_special_category_observation_reaches_the_draft(manager):
    contact = birthday_contact(manager, language="de", interest=False)
    observe(contact, "Sie ist an Diabetes erkrankt. Sie liebt Wandern.", noted_on=TODAY)
    assert contact.facts.filter(sensitive=True).exists()

    scan_day(today=TODAY)

    for suggestion in Suggestion.objects.filter(contact=contact):
        assert "Diabetes" not in suggestion.draft
        assert "Wandern" not in suggestion.draft


# -- on the card ----------------------------------------------------------------------------


@pytest.fixture
def drafted(manager):
    contact = ContactFactory.create(owner=manager, first_name="Clara", last_name="Weiss")
    return SuggestionFactory.create(
        contact=contact,
        draft="Dear Clara Weiss,\n\nHappy birthday!\n\nWarm regards,",
        draft_variant="birthday.wishes",
    )


def test_the_card_shows_the_draft_with_its_editor_and_print_link(client, manager, drafted):
    client.force_login(manager)
    page = client.get(reverse("dashboard")).content.decode()
    assert "Happy birthday!" in page
    assert reverse("suggestion_draft", args=[drafted.pk]) in page
    assert reverse("suggestion_card_print", args=[drafted.pk]) in page


def test_editing_the_draft_with_htmx_answers_the_draft_block(client, manager, drafted):
    client.force_login(manager)
    response = client.post(
        reverse("suggestion_draft", args=[drafted.pk]),
        {"draft": "Liebe Clara,\r\n\r\nalles Gute!", "next": "/"},
        **HTMX,
    )
    assert response.status_code == 200
    assert 'class="suggestion-draft"' in response.content.decode()
    assert "alles Gute!" in response.content.decode()
    drafted.refresh_from_db()
    assert drafted.draft == "Liebe Clara,\n\nalles Gute!"


def test_editing_the_draft_without_javascript_redirects_back(client, manager, drafted):
    client.force_login(manager)
    response = client.post(
        reverse("suggestion_draft", args=[drafted.pk]),
        {"draft": "My own words.", "next": "/gestures/?kind=note"},
    )
    assert response.status_code == 302
    assert response["Location"] == "/gestures/?kind=note"
    drafted.refresh_from_db()
    assert drafted.draft == "My own words."


@pytest.mark.parametrize("who", ["colleague", "outsider"])
def test_nobody_else_edits_or_prints_the_draft(client, request, drafted, who):
    client.force_login(request.getfixturevalue(who))
    edit = client.post(reverse("suggestion_draft", args=[drafted.pk]), {"draft": "Hacked."})
    printed = client.get(reverse("suggestion_card_print", args=[drafted.pk]))
    assert (edit.status_code, printed.status_code) == (404, 404)
    drafted.refresh_from_db()
    assert drafted.draft.startswith("Dear Clara Weiss")


@pytest.mark.parametrize("who", ["lead", "admin_user"])
def test_the_team_lead_and_admins_may_edit_it_as_they_may_act_on_the_card(
    client, request, drafted, who
):
    client.force_login(request.getfixturevalue(who))
    response = client.post(reverse("suggestion_draft", args=[drafted.pk]), {"draft": "Edited."})
    assert response.status_code == 302
    drafted.refresh_from_db()
    assert drafted.draft == "Edited."


@pytest.mark.parametrize(
    ("status", "text", "message"),
    [
        ("pending", "   ", "This field is required."),
        ("pending", "x" * 2001, "at most 2000 characters"),
        ("dismissed", "Too late.", "can no longer be changed"),
    ],
)
def test_a_refused_edit_is_a_message_and_keeps_the_draft(
    client, manager, drafted, status, text, message
):
    Suggestion.objects.filter(pk=drafted.pk).update(status=status)
    client.force_login(manager)
    response = client.post(reverse("suggestion_draft", args=[drafted.pk]), {"draft": text}, **HTMX)
    assert response.status_code == 200
    assert message in response.content.decode()
    drafted.refresh_from_db()
    assert drafted.draft.startswith("Dear Clara Weiss")


def test_marking_done_stores_the_final_text_and_variant_on_the_gesture(client, manager, drafted):
    client.force_login(manager)
    client.post(reverse("suggestion_draft", args=[drafted.pk]), {"draft": "Final words."})
    client.post(reverse("suggestion_done", args=[drafted.pk]), {"date": "2026-11-23", "note": ""})
    gesture = Gesture.objects.get(suggestion=drafted)
    assert (gesture.card_text, gesture.draft_variant) == ("Final words.", "birthday.wishes")


def test_a_call_has_no_draft_and_its_gesture_no_card_text(client, manager):
    call = SuggestionFactory.create(contact=ContactFactory.create(owner=manager), kind="call")
    client.force_login(manager)
    edit = client.post(reverse("suggestion_draft", args=[call.pk]), {"draft": "Hello"}, **HTMX)
    assert "A call has no draft." in edit.content.decode()
    assert client.get(reverse("suggestion_card_print", args=[call.pk])).status_code == 404
    client.post(reverse("suggestion_done", args=[call.pk]), {"date": "2026-11-23"})
    assert Gesture.objects.get(suggestion=call).card_text == ""


def test_the_print_view_lays_the_text_out_on_an_a6_card(client, manager, drafted):
    client.force_login(manager)
    response = client.get(reverse("suggestion_card_print", args=[drafted.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert '<article class="card-a6" lang="en">' in page
    assert "<p>Dear Clara Weiss,</p>" in page and "<p>Happy birthday!</p>" in page
    assert "css/card-print" in page
    # Once done it prints the final text as stored on the gesture.
    client.post(reverse("suggestion_done", args=[drafted.pk]), {"date": "2026-11-23"})
    Suggestion.objects.filter(pk=drafted.pk).update(draft="changed afterwards")
    again = client.get(reverse("suggestion_card_print", args=[drafted.pk])).content.decode()
    assert "Happy birthday!" in again and "changed afterwards" not in again


def test_the_print_stylesheet_sets_an_a6_page():
    from django.contrib.staticfiles import finders

    path = finders.find("css/card-print.css")
    assert path is not None
    with open(path, encoding="utf-8") as css:
        text = css.read()
    assert "@page { size: A6 portrait" in text
    assert "@media print" in text


def test_the_form_of_address_is_on_the_contact_form(client, manager):
    contact = ContactFactory.create(owner=manager)
    client.force_login(manager)
    page = client.get(reverse("contact_edit", args=[contact.pk])).content.decode()
    assert 'name="address"' in page and 'name="salutation"' in page
    assert Contact._meta.get_field("address").default == "formal"
