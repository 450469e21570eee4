"""quai.charts.format_number: the figures of the impact pages and charts, in the active language,
rounded half up (not cut: 5 082,417 is "5 082,42", 79,45 % is "79,5 %"), percentages to one decimal, whole numbers without decimals."""

from decimal import Decimal

import pytest
from django.utils import translation

from quai.charts import format_number


@pytest.mark.parametrize(("value", "unit", "french", "english"), [
    (None, "", "—", "—"),
    (0, "", "0", "0"),
    (Decimal("10000"), "", "10\xa0000", "10,000"),
    (1234567, "people", "1\xa0234\xa0567", "1,234,567"),
    (Decimal("5082.417"), "", "5\xa0082,42", "5,082.42"),
    (Decimal("0.5"), "fte", "0,50", "0.50"),
    (Decimal("-6850.595"), "", "-6\xa0850,60", "-6,850.60"),
    (Decimal("79.45"), "percent", "79,5 %", "79.5 %"),  # half up, as reports round
    (Decimal("0.125"), "", "0,13", "0.13"),
    (Decimal("78824.87"), "percent", "78\xa0824,9 %", "78,824.9 %"),
    (Decimal("100"), "percent", "100 %", "100 %"),
])
def test_figures_in_each_language(value, unit, french, english):
    with translation.override("fr"):
        assert format_number(value, unit) == french
    with translation.override("en"):
        assert format_number(value, unit) == english
