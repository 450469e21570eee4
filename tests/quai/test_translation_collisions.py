"""Django merges every French catalogue into one per language (LOCALE_PATHS first, then INSTALLED_APPS order).

So when two catalogues translate the same (msgctxt, msgid) differently, only one translation wins and
the other app shows the wrong word. Two uses that need different French words get a context
(pgettext / ``{% translate "…" context "…" %}``); uses that share a word share the translation.
"""

from collections import defaultdict
from pathlib import Path

import polib

BASE = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(BASE.glob("*/locale/fr/LC_MESSAGES/django.po")) + sorted(BASE.glob("locale/fr/LC_MESSAGES/django.po"))


def _translation(entry):
    if entry.msgstr_plural:
        return tuple(sorted(entry.msgstr_plural.items()))
    return entry.msgstr


def find_collisions(paths):
    """{(msgctxt, msgid): {catalogue: msgstr}} for every entry translated differently in two catalogues."""
    seen = defaultdict(dict)
    for path in paths:
        name = str(Path(path).relative_to(BASE)) if Path(path).is_relative_to(BASE) else str(path)
        for entry in polib.pofile(str(path)):
            translation = _translation(entry)
            if entry.obsolete or not translation or (isinstance(translation, tuple) and not any(v for _, v in translation)):
                continue
            seen[(entry.msgctxt, entry.msgid)][name] = translation
    return {key: found for key, found in seen.items() if len(set(found.values())) > 1}


def test_the_detector_reports_a_msgid_translated_two_ways(tmp_path):
    for app, word in (("a", "Formule"), ("b", "Planifier")):
        catalogue = polib.POFile()
        catalogue.append(polib.POEntry(msgid="Plan", msgstr=word))
        catalogue.append(polib.POEntry(msgid="Plan", msgctxt=f"ctx {app}", msgstr=word))
        catalogue.append(polib.POEntry(msgid="Save", msgstr="Enregistrer"))
        catalogue.append(polib.POEntry(msgid="Empty", msgstr="" if app == "a" else "Vide"))
        catalogue.save(str(tmp_path / f"{app}.po"))
    assert find_collisions([tmp_path / "a.po", tmp_path / "b.po"]) == {
        (None, "Plan"): {str(tmp_path / "a.po"): "Formule", str(tmp_path / "b.po"): "Planifier"},
    }


def test_no_msgid_is_translated_two_ways_across_catalogues():
    collisions = find_collisions(CATALOGUES)
    report = "\n".join(
        f"  {'[' + context + '] ' if context else ''}{msgid!r}: "
        + ", ".join(f"{name} → {translation!r}" for name, translation in sorted(found.items()))
        for (context, msgid), found in sorted(collisions.items(), key=lambda item: (item[0][1].lower(), item[0][0] or ""))
    )
    assert not collisions, (
        "same msgid translated differently in two catalogues (only one wins at run time; "
        f"make them agree or give the less generic use a context):\n{report}"
    )
