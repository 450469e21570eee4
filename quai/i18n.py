"""Compile translation catalogues without GNU gettext (a fresh machine may not have msgfmt)."""

from pathlib import Path


def compile_all(base: Path) -> list[Path]:
    """Compile every <app>/locale/*/LC_MESSAGES/*.po (and locale/) into .mo when it changed."""
    import polib

    compiled = []
    for po_path in sorted(base.glob("*/locale/*/LC_MESSAGES/*.po")) + sorted(base.glob("locale/*/LC_MESSAGES/*.po")):
        mo_path = po_path.with_suffix(".mo")
        if mo_path.exists() and mo_path.stat().st_mtime >= po_path.stat().st_mtime:
            continue
        polib.pofile(str(po_path)).save_as_mofile(str(mo_path))
        compiled.append(mo_path)
    return compiled
