"""The German catalog is complete: every string translated, placeholders kept."""

import re
from pathlib import Path

import polib

CATALOG = Path(__file__).resolve().parents[2] / "locale/de/LC_MESSAGES/django.po"
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|\{\w*\}")


def entries():
    return [entry for entry in polib.pofile(str(CATALOG)) if not entry.obsolete]


def test_every_string_has_a_german_translation():
    untranslated = [e.msgid for e in entries() if not e.translated()]

    assert untranslated == []


def test_no_translation_is_fuzzy():
    assert [e.msgid for e in entries() if "fuzzy" in e.flags] == []


def test_translations_keep_every_placeholder():
    for entry in entries():
        translations = list(entry.msgstr_plural.values()) if entry.msgid_plural else [entry.msgstr]
        for translation in translations:
            assert sorted(PLACEHOLDER.findall(translation)) == sorted(
                PLACEHOLDER.findall(entry.msgid)
            ), entry.msgid
