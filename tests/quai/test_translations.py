"""French first: every catalogue is complete (no empty or fuzzy entry, which gettext would ignore)."""

from pathlib import Path

import polib
import pytest

BASE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(BASE.glob("*/locale/fr/LC_MESSAGES/django.po")) + sorted(BASE.glob("locale/fr/LC_MESSAGES/django.po"))


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(BASE)))
def test_french_catalogue_is_complete(path):
    catalogue = polib.pofile(str(path))
    fuzzy = [entry.msgid for entry in catalogue if "fuzzy" in entry.flags]
    empty = [entry.msgid for entry in catalogue if not entry.msgstr and not any(entry.msgstr_plural.values())]
    assert not fuzzy, f"fuzzy (unchecked) translations: {fuzzy}"
    assert not empty, f"untranslated: {empty}"


def test_every_app_has_a_catalogue():
    assert {p.relative_to(BASE).parts[0] for p in CATALOGUES} >= {"members", "coworking", "events", "incubator", "fabrique", "locale"}
