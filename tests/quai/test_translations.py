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


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: str(p.relative_to(BASE)))
def test_french_catalogue_has_each_message_once(path):
    """Catalogues are merged line-wise between branches (.gitattributes): a message added on two
    branches would be there twice, which gettext's msgfmt refuses."""
    seen, duplicates = set(), []
    for entry in polib.pofile(str(path)):
        key = (entry.msgctxt, entry.msgid)
        if key in seen:
            duplicates.append(entry.msgid)
        seen.add(key)
    assert not duplicates, f"entries present twice: {duplicates}"
    header_lines = [line for line in path.read_text(encoding="utf-8").splitlines() if line.startswith('"POT-Creation-Date:')]
    assert len(header_lines) == 1, "the header was merged twice"


GETTEXT_NAMES = {"_", "gettext", "gettext_lazy", "pgettext", "pgettext_lazy", "ngettext", "ngettext_lazy", "npgettext"}


def test_no_translated_text_is_looked_up_inside_an_f_string():
    """xgettext (`make messages`) does not read calls inside an f-string: their messages would be
    dropped from the catalogue at the next refresh, and the page would fall back to English."""
    import ast

    offenders = []
    for path in sorted(BASE.rglob("*.py")):
        relative = path.relative_to(BASE)
        if relative.parts[0] in {".venv", "node_modules", "var", "tests", "benchmarks"}:
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.JoinedStr):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and getattr(inner.func, "id", getattr(inner.func, "attr", None)) in GETTEXT_NAMES:
                        offenders.append(f"{relative}:{inner.lineno}")
    assert offenders == []
