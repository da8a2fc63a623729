"""import_json / export_json / extract_facts: the exchange format, all or nothing."""

import datetime as dt
import io
import json
import time

import pytest
import time_machine
from django.core.management import CommandError, call_command

from contacts.models import Contact, Fact, Observation, Organization, Team, User
from gestures.models import Gesture

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def fixed_day():
    """Observations noted in the future are refused: the sample's dates are in the past."""
    with time_machine.travel(dt.datetime(2026, 11, 23, 12, 0, tzinfo=dt.UTC), tick=False):
        yield


SAMPLE = {
    "teams": [{"name": "Key Accounts", "lead": "lena"}],
    "users": [
        {
            "username": "lena",
            "name": "Lena Hoffmann",
            "email": "lena@example.com",
            "role": "team_lead",
            "team": "Key Accounts",
            "language": "de",
        },
        {
            "username": "anna",
            "name": "Anna Becker",
            "email": "anna@example.com",
            "role": "account_manager",
            "team": "Key Accounts",
            "language": "en",
        },
    ],
    "organizations": [
        {
            "id": "org-1",
            "name": "Hanseatic Logistics",
            "kind": "company",
            "gift_policy": "allowed",
            "gift_limit_eur": None,
        },
        {
            "id": "org-2",
            "name": "Stadtwerke",
            "kind": "public_sector",
            "gift_policy": "no_gifts",
            "gift_limit_eur": "0.00",
        },
    ],
    "contacts": [
        {
            "id": "c-1",
            "first_name": "Julia",
            "last_name": "Schneider",
            "organization": "org-1",
            "title": "CFO",
            "email": "julia@hanse.example",
            "phone": "+49 40 123",
            "language": "de",
            "address": "informal",
            "salutation": "Frau Dr.",
            "tier": "A",
            "owner": "anna",
            "team": "Key Accounts",
            "do_not_gift": False,
        },
        {
            "id": "c-2",
            "first_name": "Markus",
            "last_name": "Fischer",
            "organization": "org-2",
            "title": "",
            "email": "",
            "phone": "",
            "language": "en",
            "tier": "C",
            "owner": "anna",
            "team": "Key Accounts",
            "do_not_gift": True,
        },
    ],
    "observations": [
        {
            "id": "o-1",
            "contact": "c-1",
            "text": "Hat am 3. März Geburtstag, wandert gern.",
            "noted_on": "2026-10-01",
            "author": "anna",
        },
        {
            "id": "o-2",
            "contact": "c-2",
            "text": "Just promoted to CFO. Allergic to nuts.",
            "noted_on": "2026-11-02",
            "author": "anna",
        },
    ],
    "gestures": [
        {
            "contact": "c-1",
            "kind": "call",
            "date": "2026-10-15",
            "gift_item": None,
            "value_eur": None,
            "card_text": "",
            "by": "anna",
        },
        {
            "contact": "c-2",
            "kind": "gift",
            "date": "2026-06-01",
            "gift_item": None,
            "value_eur": "19.90",
            "card_text": "",
            "by": "anna",
        },
    ],
}


def run_import(data, tmp_path):
    path = tmp_path / "import.json"
    path.write_text(json.dumps(data) if not isinstance(data, str) else data)
    out, err = io.StringIO(), io.StringIO()
    call_command("import_json", str(path), stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def export(*args):
    out = io.StringIO()
    call_command("export_json", *args, stdout=out)
    return json.loads(out.getvalue())


def counts():
    return [
        model.objects.count()
        for model in (Team, User, Organization, Contact, Observation, Fact, Gesture)
    ]


def test_import_creates_everything_and_extracts_facts_as_if_typed(tmp_path):
    out, _err = run_import(SAMPLE, tmp_path)

    julia = Contact.objects.get(external_id="c-1")
    assert julia.organization is not None
    assert (julia.owner.username, julia.team.name, julia.organization.name) == (
        "anna",
        "Key Accounts",
        "Hanseatic Logistics",
    )
    assert Team.objects.values_list("lead__username", flat=True).get() == "lena"
    facts = {(f.contact.external_id, f.kind, f.tag or f.title) for f in Fact.objects.all()}
    assert facts == {
        ("c-1", "birthday", ""),
        ("c-1", "interest", "hiking"),
        ("c-2", "role_change", "CFO"),
        ("c-2", "constraint", "nut_allergy"),
    }
    assert Fact.objects.get(tag="nut_allergy").sensitive
    assert "Imported" in out


def test_importing_the_same_file_twice_changes_nothing(tmp_path):
    run_import(SAMPLE, tmp_path)
    before = counts()
    fact_ids = sorted(Fact.objects.values_list("pk", flat=True))

    run_import(SAMPLE, tmp_path)

    assert counts() == before
    assert sorted(Fact.objects.values_list("pk", flat=True)) == fact_ids


def test_an_import_upserts_changed_records(tmp_path):
    run_import(SAMPLE, tmp_path)
    changed = json.loads(json.dumps(SAMPLE))
    changed["contacts"][0]["title"] = "CEO"
    changed["observations"][0]["text"] = "Spielt Golf."

    run_import(changed, tmp_path)

    assert Contact.objects.get(external_id="c-1").title == "CEO"
    assert list(Observation.objects.get(external_id="o-1").facts.values_list("tag", flat=True)) == [
        "golf"
    ]


@pytest.mark.parametrize(
    ("section", "index", "change", "reason"),
    [
        ("observations", 1, {"noted_on": "2026-02-30"}, "'noted_on' is not a date"),
        ("observations", 0, {"contact": "c-404"}, "unknown contact 'c-404'"),
        ("contacts", 1, {"tier": 3}, "'tier' must be a string, not int"),
        ("contacts", 1, {"address": "casual"}, "'address' must be one of"),
        ("contacts", 0, {"owner": "nobody"}, "unknown owner 'nobody'"),
        ("contacts", 1, {"do_not_gift": "yes"}, "'do_not_gift' must be true or false"),
        ("organizations", 1, {"gift_limit_eur": "lots"}, "'gift_limit_eur' is not an amount"),
        ("users", 1, {"role": "boss"}, "'role' must be one of"),
        ("gestures", 0, {"kind": "email"}, "'kind' must be one of"),
        ("gestures", 1, {"value_eur": None}, "a gift needs its 'gift_item' or its 'value_eur'"),
        ("gestures", 0, {"by": "nobody"}, "unknown by 'nobody'"),
        ("gestures", 1, {"gift_item": "NOPE"}, "unknown gift item 'NOPE'"),
    ],
)
def test_a_malformed_file_writes_nothing_and_names_the_record(
    tmp_path, section, index, change, reason
):
    bad = json.loads(json.dumps(SAMPLE))
    bad[section][index].update(change)
    before = counts()

    with pytest.raises(CommandError) as failure:
        run_import(bad, tmp_path)

    assert failure.value.returncode == 1
    assert "nothing was imported" in str(failure.value)
    assert counts() == before


def test_the_errors_are_reported_per_record_on_stderr(tmp_path):
    bad = json.loads(json.dumps(SAMPLE))
    bad["observations"][1]["noted_on"] = "yesterday"
    bad["contacts"][0]["owner"] = "nobody"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(bad))
    err = io.StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("import_json", str(path), stderr=err)

    assert failure.value.returncode == 1
    lines = err.getvalue().splitlines()
    assert "contacts[0]: unknown owner 'nobody'" in lines
    assert "observations[1]: 'noted_on' is not a date (YYYY-MM-DD): 'yesterday'" in lines
    assert counts() == [0, 0, 0, 0, 0, 0, 0]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("{not json", "is not valid JSON"),
        ("[]", "file[0]: the top level must be a JSON object"),
        ('{"contacts": {}}', "contacts[0]: must be a list of records"),
        ('{"people": []}', "people[0]: unknown section 'people'"),
    ],
)
def test_a_broken_file_is_refused_with_a_clear_message(tmp_path, content, message):
    path = tmp_path / "broken.json"
    path.write_text(content)
    err = io.StringIO()

    with pytest.raises(CommandError) as failure:
        call_command("import_json", str(path), stderr=err)

    assert message in f"{failure.value}\n{err.getvalue()}"
    assert counts() == [0, 0, 0, 0, 0, 0, 0]


def test_export_import_export_is_identical(tmp_path):
    run_import(SAMPLE, tmp_path)
    first = export()
    for model in (Gesture, Fact, Observation, Contact, Organization):
        model.objects.all().delete()
    Team.objects.update(lead=None)
    User.objects.all().delete()
    Team.objects.all().delete()

    run_import(first, tmp_path)

    assert export() == first


def test_export_includes_facts_with_iso_dates_and_integer_days(tmp_path):
    run_import(SAMPLE, tmp_path)

    facts = export()["facts"]

    birthday = next(f for f in facts if f["kind"] == "birthday")
    assert birthday == {
        "observation": "o-1",
        "contact": "c-1",
        "kind": "birthday",
        "month": 3,
        "day": 3,
        "year": None,
        "sensitive": False,
    }


def test_a_per_contact_export_holds_only_that_persons_data(tmp_path):
    run_import(SAMPLE, tmp_path)

    data = export("--contact", "c-2")

    assert [c["id"] for c in data["contacts"]] == ["c-2"]
    assert [o["id"] for o in data["observations"]] == ["o-2"]
    assert {f["contact"] for f in data["facts"]} == {"c-2"}
    assert [o["id"] for o in data["organizations"]] == ["org-2"]
    assert "users" not in data


def test_exporting_an_unknown_contact_fails(tmp_path):
    with pytest.raises(CommandError, match="no contact with id 'c-9'"):
        export("--contact", "c-9")


def stdin(data: bytes) -> io.TextIOWrapper:
    return io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")


def test_extract_facts_prints_one_json_object_per_line(monkeypatch):
    monkeypatch.setattr(
        "sys.stdin", stdin(b"Her birthday is March 3rd.\n\nzieht in zwei Wochen um\n")
    )
    out = io.StringIO()

    call_command("extract_facts", "--today", "2026-11-21", stdout=out)

    lines = [json.loads(line) for line in out.getvalue().splitlines()]
    assert lines == [
        {
            "text": "Her birthday is March 3rd.",
            "language": "en",
            "facts": [{"kind": "birthday", "month": 3, "day": 3, "year": None, "sensitive": False}],
        },
        {
            "text": "zieht in zwei Wochen um",
            "language": "de",
            "facts": [
                {"kind": "life_event", "event": "move", "date": "2026-12-05", "sensitive": False}
            ],
        },
    ]


def test_extract_facts_prints_whose_fact_it_is_and_dislikes(monkeypatch):
    monkeypatch.setattr(
        "sys.stdin", stdin(b"Her husband can not stand golf.\nIhr Sohn spielt Fu\xc3\x9fball.\n")
    )
    out = io.StringIO()

    call_command("extract_facts", "--today", "2026-11-21", stdout=out)

    assert [json.loads(line)["facts"] for line in out.getvalue().splitlines()] == [
        [{"kind": "dislike", "tag": "golf", "person": "partner", "sensitive": False}],
        [{"kind": "interest", "tag": "football", "person": "child", "sensitive": False}],
    ]


def test_extract_facts_honours_a_forced_language(monkeypatch):
    monkeypatch.setattr("sys.stdin", stdin(b"Golf\n"))
    out = io.StringIO()

    call_command("extract_facts", "--lang", "de", "--today", "2026-11-21", stdout=out)

    assert json.loads(out.getvalue())["language"] == "de"


def test_extract_facts_refuses_a_bad_date():
    with pytest.raises(CommandError, match=r"--today '21\.11\.2026' is not a date"):
        call_command("extract_facts", "--today", "21.11.2026")


def test_gestures_are_imported_once_and_exported_with_the_suggestions(tmp_path):
    run_import(SAMPLE, tmp_path)
    run_import(SAMPLE, tmp_path)

    assert Gesture.objects.count() == 2
    gift = Gesture.objects.get(kind="gift")
    assert (gift.contact.external_id, str(gift.value_eur), gift.by.username) == (
        "c-2",
        "19.90",
        "anna",
    )
    exported = export("--contact", "c-2")
    gestures = SAMPLE["gestures"]
    assert isinstance(gestures, list)
    assert exported["gestures"] == [gestures[1]]
    assert exported["suggestions"] == []


def test_extract_facts_never_echoes_invalid_utf8(monkeypatch):
    monkeypatch.setattr("sys.stdin", stdin(b"Loves golf \xff\xfe and \xed\xa0\x80 tea\n"))
    out = io.StringIO()

    call_command("extract_facts", "--today", "2026-11-21", stdout=out)

    line = out.getvalue().splitlines()[0]
    line.encode("utf-8")  # a lone surrogate would raise here
    payload = json.loads(line)
    assert payload["text"].startswith("Loves golf \ufffd\ufffd and ")
    assert {fact["tag"] for fact in payload["facts"]} == {"golf", "tea"}


def test_extract_facts_refuses_a_line_longer_than_an_observation(monkeypatch):
    # CPU time, so a busy machine does not decide: reading the long line must not be quadratic.
    started = time.process_time()
    monkeypatch.setattr("sys.stdin", stdin(b"x" * 1_000_000 + b"\nLoves golf.\n"))
    out, err = io.StringIO(), io.StringIO()

    with pytest.raises(CommandError, match="1 line"):
        call_command("extract_facts", "--today", "2026-11-21", stdout=out, stderr=err)

    assert "line 1: longer than 10,000 characters" in err.getvalue()
    assert json.loads(out.getvalue())["facts"][0]["tag"] == "golf"
    assert time.process_time() - started < 10


def _sample_with(section, index, **changes):
    data = json.loads(json.dumps(SAMPLE))
    data[section][index].update(changes)
    return data


@pytest.mark.parametrize(
    ("section", "changes", "message"),
    [
        ("contacts", {"last_name": "Sch\x00neider"}, "contacts[0]: The text contains a NUL"),
        ("contacts", {"first_name": "J\ud800"}, "contacts[0]: The text contains an invalid"),
        ("organizations", {"name": "Hanse\udfff"}, "organizations[0]: The text contains an"),
        ("observations", {"text": "x" * 10_001}, "at most 10,000 are allowed"),
        ("observations", {"noted_on": "9999-12-31"}, "observations[0]: 'noted_on' 9999-12-31"),
        ("observations", {"id": "o-2"}, "observations[1]: 'id' 'o-2' is also observations[0]"),
        ("contacts", {"id": "c-2"}, "contacts[1]: 'id' 'c-2' is also contacts[0]"),
        ("users", {"username": "anna"}, "users[1]: 'username' 'anna' is also users[0]"),
    ],
)
def test_import_refuses_what_the_forms_refuse_and_writes_nothing(
    tmp_path, section, changes, message
):
    before = counts()

    with pytest.raises(CommandError, match="nothing was imported"):
        run_import(_sample_with(section, 0, **changes), tmp_path)

    assert counts() == before
    path = tmp_path / "import.json"
    err = io.StringIO()
    with pytest.raises(CommandError):
        call_command("import_json", str(path), stdout=io.StringIO(), stderr=err)
    assert message in err.getvalue()


def test_a_deeply_nested_file_is_refused_without_a_traceback(tmp_path):
    depth = 100_000
    with pytest.raises(CommandError, match="nested too deeply"):
        run_import("[" * depth + "]" * depth, tmp_path)


def test_the_form_of_address_and_a_cards_text_go_through_the_exchange_format(tmp_path):
    data = json.loads(json.dumps(SAMPLE))
    data["gestures"][0]["card_text"] = "Liebe Julia,\n\nalles Gute!"
    run_import(data, tmp_path)

    julia = Contact.objects.get(external_id="c-1")
    assert (julia.address, julia.salutation) == ("informal", "Frau Dr.")
    assert Contact.objects.get(external_id="c-2").address == "formal"
    exported = export()
    record = next(c for c in exported["contacts"] if c["id"] == "c-1")
    assert (record["address"], record["salutation"]) == ("informal", "Frau Dr.")
    assert "Liebe Julia,\n\nalles Gute!" in [g["card_text"] for g in exported["gestures"]]
