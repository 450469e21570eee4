"""Spreadsheet formula injection, both ways: what an export must neutralise, what an import refuses.

- CSV exports (`neutralise`): a cell a spreadsheet would run as a formula (=, +, -, @, tab, CR) is
  prefixed with an apostrophe. A CSV has no cell types, so the prefix is the only defence there.
- XLSX exports (`quai.xlsx`) need no prefix: such a cell is written as an explicit text cell, which
  no spreadsheet evaluates, and the value stays readable.
- Imports (`looks_like_formula`) refuse a value only where it could run: `=`, `@`, or `+`/`-`
  followed by something that is not a number or a phone number (`+33 6 11 22 33 44` is a phone).
"""

import re

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")

# What may follow a leading + or - in a harmless value: digits and the separators of numbers and
# phone numbers ("+33 6 11 22 33 44", "+33 (0)6.11.22.33.44", "-12,50").
_NUMBER_OR_PHONE = re.compile(r"[0-9][0-9 \u00a0\u202f.,()/-]*")


def neutralise(value) -> str:
    """CSV only: a cell that a spreadsheet would run as a formula (=, +, -, @…) gets a leading quote."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_PREFIXES) else text


def looks_like_formula(value: str) -> bool:
    """True when a spreadsheet could run this imported value as a formula."""
    text = (value or "").lstrip(" \u00a0")
    if not text:
        return False
    if text[0] in "=@\t\r":
        return True
    if text[0] in "+-":
        rest = text[1:].strip(" \u00a0")
        return bool(rest) and not _NUMBER_OR_PHONE.fullmatch(rest.replace("(0)", "0"))
    return False
