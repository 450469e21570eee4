"""How much credit a plan has left, in words: "4 jours de crédit restants", "1,5 jour de crédit
restant", "0,5 jour…"; "1.5 days of credit left" in English."""

from decimal import Decimal

from django import template
from django.utils.formats import number_format
from django.utils.translation import get_language, ngettext

register = template.Library()


@register.filter
def credit_days_left(credits) -> str:
    credits = Decimal(credits)
    # gettext's plural rules take whole numbers. French puts everything under 2 in the singular
    # (0,5 jour, 1,5 jour); English only exactly 1.
    if (get_language() or "").startswith("fr"):
        count = 1 if credits < 2 else 2
    else:
        count = 1 if credits == 1 else 2
    text = number_format(credits.normalize() if credits == credits.to_integral_value() else credits)
    return ngettext("%(credits)s day of credit left", "%(credits)s days of credit left", count) % {"credits": text}
