"""Helpers for CSV/XLSX exports shared by every app."""

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value) -> str:
    """A cell that a spreadsheet would run as a formula (=, +, -, @…) is prefixed with a quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text
