"""Fuzzing at the edges: every page's query parameters, every form, the JSON import and image
uploads, with hypothesis. Whatever comes in: never a server error, and a request or an import
that is refused writes nothing. CI runs this on PostgreSQL, which is stricter than SQLite
(NUL bytes, integer ranges)."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from contacts.models import Contact, Fact, Observation, Organization, Tag, Team, User
from gestures.images import image_clean
from gestures.models import Gesture, GiftItem, Suggestion
from relcrm.exchange import ImportFailed, import_data
from tests.contacts.test_import_export import SAMPLE
from tests.gestures.admin_forms import upload
from tests.gestures.pictures import jpeg, png
from tests.relcrm.app_walk import route_kwargs, routes

pytestmark = pytest.mark.django_db

FUZZ = settings(
    max_examples=8,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Values that have broken web apps: huge and negative numbers, odd dates, control and
# invisible characters, long text, markup, and plain random text.
NASTY = st.sampled_from(
    [
        "99999999999999999999",
        "-1",
        "0",
        "1e309",
        "NaN",
        "²",
        "9999-12-31",
        "0000-00-00",
        "2026-02-30",
        "\x00",
        "a\x00b",
        "\u202e\u200b",
        "x" * 20_000,
        "<script>alert(1)</script>",
        "' OR 1=1 --",
        "../../etc/passwd",
        "%00",
        "",
    ]
)
VALUE = st.one_of(NASTY, st.text(max_size=40), st.integers().map(str))

QUERY_NAMES = [
    "q",
    "owner",
    "organization",
    "tier",
    "interest",
    "archived",
    "page",
    "contact",
    "contact_q",
    "who",
    "occasion",
    "kind",
    "due_from",
    "due_to",
    "price",
    "dietary",
    "month",
    "year",
    "team",
    "next",
]
FORM_NAMES = [
    *QUERY_NAMES,
    "first_name",
    "last_name",
    "title",
    "email",
    "phone",
    "language",
    "noted_on",
    "text",
    "action",
    "acknowledge_sensitive",
    "preview_of",
    "reason",
    "reason_text",
    "snooze",
    "until",
    "gift_item",
    "date",
    "value_eur",
    "note",
    "code",
    "fact-TOTAL_FORMS",
    "fact-INITIAL_FORMS",
    "fact-0-kind",
    "fact-0-month",
    "fact-0-day",
    "fact-0-year",
    "fact-0-date",
    "fact-0-tag",
    "fact-0-keep",
]
GIFT_ITEM_FIELDS = [
    "sku",
    "name",
    "name_de",
    "description",
    "price_eur",
    "tags",
    "occasions",
    "dietary",
    "lead_time_days",
    "stock",
    "supplier",
    "supplier_url",
    "active",
    "food",
]
# Signing out ends the session the walk runs in; the rest is fuzzed.
NOT_FUZZED = {"logout"}


def snapshot():
    """What a refused request must leave as it was."""
    return (
        [m.objects.count() for m in (Contact, Observation, Fact, Gesture, Organization, Team)],
        list(Suggestion.objects.order_by("pk").values_list("pk", "status", "reason_text")),
        list(Contact.objects.order_by("pk").values_list("pk", "first_name", "archived")),
        list(User.objects.order_by("pk").values_list("pk", "language")),
    )


def _app_routes(team_world):
    for name, converters in routes():
        if name not in NOT_FUZZED:
            yield name, reverse(name, kwargs=route_kwargs(name, converters, team_world))


@pytest.mark.page_walk
@pytest.mark.parametrize("role", ["manager", "lead", "admin_user"])
def test_no_query_parameter_makes_a_server_error(client, request, role, team_world):
    client.force_login(request.getfixturevalue(role))
    urls = [url for name, url in _app_routes(team_world) if name != "healthz"]

    @FUZZ
    @given(params=st.dictionaries(st.sampled_from(QUERY_NAMES), VALUE, max_size=5))
    def check(params):
        for url in urls:
            for headers in ({}, {"HX-Request": "true"}):
                response = client.get(url, params, headers=headers)
                assert response.status_code < 500, (url, params)

    check()


@pytest.mark.page_walk
@pytest.mark.parametrize("role", ["manager", "lead"])
def test_no_form_post_makes_a_server_error_or_a_partial_write(client, request, role, team_world):
    client.force_login(request.getfixturevalue(role))
    urls = [url for name, url in _app_routes(team_world) if name != "healthz"]

    @FUZZ
    @given(data=st.dictionaries(st.sampled_from(FORM_NAMES), VALUE, max_size=8))
    def check(data):
        for url in urls:
            before = snapshot()
            response = client.post(url, data)
            assert response.status_code < 500, (url, data)
            if response.status_code not in (301, 302):
                assert snapshot() == before, (url, data)

    check()


def gift_item_data():
    """A valid new gift item as the admin's form posts it."""
    return {
        "sku": "FUZZ-1",
        "name": "Fuzzed tea",
        "name_de": "Tee",
        "description": "",
        "description_de": "",
        "price_eur": "10.00",
        "tags": [],
        "occasions": ["any"],
        "dietary": [],
        "lead_time_days": "2",
        "stock": "",
        "supplier": "",
        "supplier_url": "",
        "active": "on",
        "_save": "Save",
    }


@FUZZ
@given(changes=st.dictionaries(st.sampled_from(GIFT_ITEM_FIELDS), VALUE))
def test_the_admins_gift_item_form_never_fails(client, admin_user, changes):
    client.force_login(admin_user)
    before = GiftItem.objects.count()
    data = {**gift_item_data(), **changes}

    response = client.post(reverse("admin:gestures_giftitem_add"), data)

    assert response.status_code < 500, data
    if response.status_code != 302:
        assert GiftItem.objects.count() == before


def test_a_bad_tag_value_in_the_gift_item_form_is_a_message(client, admin_user):
    client.force_login(admin_user)
    data = {**gift_item_data(), "tags": ["abc"]}

    response = client.post(reverse("admin:gestures_giftitem_add"), data)

    assert response.status_code == 200
    assert "“abc” is not a valid value." in response.content.decode()
    assert not GiftItem.objects.exists()


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | VALUE,
    lambda children: st.lists(children, max_size=3) | st.dictionaries(VALUE, children, max_size=3),
    max_leaves=8,
)


def _records_with(section, changes):
    data = json.loads(json.dumps(SAMPLE))
    for record in data.get(section, []):
        record.update(changes)
    return data


def import_counts():
    return [m.objects.count() for m in (Team, User, Organization, Tag, Contact, Observation, Fact)]


@FUZZ
@given(
    section=st.sampled_from(
        [
            "teams",
            "users",
            "organizations",
            "tags",
            "catalog",
            "contacts",
            "observations",
            "gestures",
        ]
    ),
    changes=st.dictionaries(
        st.sampled_from(
            [
                *sorted({key for records in SAMPLE.values() for r in records for key in r}),  # type: ignore[attr-defined]
                *["slug", "sku", "price_eur", "tags", "synonyms_en", "image", "stock"],
            ]
        ),
        JSON,
        max_size=4,
    ),
)
def test_an_import_is_all_or_nothing_whatever_it_holds(tmp_path, section, changes):
    data = _records_with(section, changes)
    if section in ("tags", "catalog"):
        data[section] = [changes]
    before = import_counts()
    try:
        import_data(data, base_dir=tmp_path)
    except ImportFailed as failure:
        reasons = [str(error) for error in failure.errors]
        assert reasons
        assert all(reasons)
        assert import_counts() == before


@FUZZ
@given(data=JSON)
def test_an_import_of_any_json_fails_cleanly(tmp_path, data):
    before = import_counts()
    try:
        import_data(data, base_dir=tmp_path)
    except ImportFailed:
        assert import_counts() == before


REAL_IMAGES = [jpeg((64, 48)), png((64, 48))]


@settings(max_examples=60, deadline=None)
@given(
    base=st.sampled_from(REAL_IMAGES),
    cut=st.integers(min_value=0, max_value=4000),
    garbage=st.binary(max_size=64),
)
def test_a_damaged_image_is_refused_with_a_message(base, cut, garbage):
    data = base[:cut] + garbage + base[cut + len(garbage) :]
    try:
        image_clean(data)
    except ValidationError as error:
        messages = error.messages
        assert messages


@FUZZ
@given(content=st.binary(max_size=2000), name=st.sampled_from(["a.jpg", "b.png", "c.svg", "d"]))
def test_an_upload_in_the_admin_never_fails(client, admin_user, content, name):
    client.force_login(admin_user)
    before = GiftItem.objects.count()
    data = gift_item_data()
    data["image_upload"] = upload(name, content)

    response = client.post(reverse("admin:gestures_giftitem_add"), data)

    assert response.status_code < 500
    if response.status_code != 302:
        assert GiftItem.objects.count() == before
