"""The staff home's period comparison: the change from one period to the other, as staff read it."""

from decimal import Decimal

import pytest
from django.utils import translation

from quai.impact import _change


@pytest.mark.parametrize(("now", "before", "shown"), [
    (5303, 4398, "+21 %"),
    (154, 240, "-36 %"),
    (Decimal("77.8"), Decimal("78.1"), "-0,4 %"),  # was "-0 %"
    (Decimal("78.4"), Decimal("78.1"), "+0,4 %"),
    (Decimal("100.04"), Decimal("100"), "0 %"),  # rounds to nothing, but not equal: no sign
    (Decimal("99"), Decimal("100"), "-1 %"),
    (Decimal("100.95"), Decimal("100"), "+1 %"),
    (Decimal("100.94"), Decimal("100"), "+0,9 %"),
    (2, 1, "+100 %"),
    (25000, 1000, "+2\N{NO-BREAK SPACE}400 %"),
    (8, 0, "+8"),  # from nothing: the difference, not a percentage
    (Decimal("-1.5"), 0, "-1,50"),  # was "+-1,5"
    # From a negative figure (INC-1: fewer jobs than at entry), the difference with its sign: a
    # percentage of a negative base reads backwards (-2 → 1 was "-150 %").
    (1, Decimal("-2"), "+3"),
    (Decimal("-3"), Decimal("-2"), "-1"),
    (Decimal("-0.5"), Decimal("-2.5"), "+2"),
    (0, 0, "="),
    (829, 829, "="),
    (None, 12, "—"),
    (12, None, "—"),
])
def test_change_in_french(now, before, shown):
    with translation.override("fr"):
        assert _change(now, before) == shown


def test_change_in_english():
    with translation.override("en"):
        assert _change(Decimal("77.8"), Decimal("78.1")) == "-0.4 %"
        assert _change(25000, 1000) == "+2,400 %"
