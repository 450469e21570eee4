"""French figures on the founders' pages: "72 000 €", "2,5 ETP", "1 250"."""

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.numberformat import format as number_format
from django.utils.translation import gettext as _

register = template.Library()

DASH = "—"


def _decimal(value) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        return Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None


def _grouped(value: Decimal, decimals: int) -> str:
    from django.utils.formats import get_format

    return number_format(value, get_format("DECIMAL_SEPARATOR"), decimal_pos=decimals,
                         grouping=3, thousand_sep=get_format("THOUSAND_SEPARATOR"), force_grouping=True)


@register.filter
def euros(value) -> str:
    """Whole euros, grouped: 72000 → "72 000 €" (no-break spaces); None → "—"."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    return f"{_grouped(amount.quantize(Decimal(1)), 0)}\u00a0€"


@register.filter
def fte(value) -> str:
    """Full-time equivalents with only the decimals they have: 2.50 → "2,5 ETP", 3.00 → "3 ETP"."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    amount = amount.quantize(Decimal("0.01")).normalize()
    if amount.as_tuple().exponent > 0:  # 100 normalises to 1E+2
        amount = amount.quantize(Decimal(1))
    decimals = max(0, -amount.as_tuple().exponent)
    return _("%(fte)s FTE") % {"fte": _grouped(amount, decimals)}


@register.filter
def count(value) -> str:
    """A whole number, grouped: 1250 → "1 250"; None → "—"."""
    amount = _decimal(value)
    if amount is None:
        return DASH
    return _grouped(amount.quantize(Decimal(1)), 0)
