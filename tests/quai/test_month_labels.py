"""Months read in full French on the impact pages: "juin 2025" and "juil. 2025", never "Jui 25"
(Django's "M" abbreviates June and July alike)."""

import datetime
from decimal import Decimal
import re

import pytest
from django.urls import reverse

from quai.impact import compute_snapshots

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff_client(client, staff, settings):
    settings.QUAI_PROGRAMME_START = datetime.date(2025, 1, 1)
    client.force_login(staff)
    return client


def test_indicator_trend_names_every_month_unambiguously(staff_client):
    compute_snapshots(today=datetime.date(2025, 12, 31))
    html = staff_client.get(reverse("impact_indicator", args=["ESS-2"]), {"start": "2025-01-01", "end": "2025-12-31"}).content.decode()
    rows = re.findall(r'<tr><th scope="row">([^<]+)</th>', html)
    assert rows[:12] == ["jan. 2025", "fév. 2025", "mars 2025", "avr. 2025", "mai 2025", "juin 2025",
                         "juil. 2025", "août 2025", "sept. 2025", "oct. 2025", "nov. 2025", "déc. 2025"]
    assert "Jui" not in html


def test_staff_home_compares_months_named_in_full(staff_client):
    compute_snapshots()
    html = staff_client.get(reverse("staff_home")).content.decode()
    headers = re.findall(r'<th scope="col">([^<]+)</th>', html)
    from django.utils import timezone
    from django.utils.formats import date_format

    today = timezone.localdate()
    assert date_format(today, "F Y") in headers
    assert date_format(today.replace(year=today.year - 1), "F Y") in headers
    assert "Jui" not in html


@pytest.mark.parametrize("width", [360, 720])
def test_axis_labels_never_overlap(width):
    from django.utils.formats import date_format
    from django.utils import translation

    from quai.charts import bar_chart
    from quai.impact import add_months

    with translation.override("fr"):
        months = [add_months(datetime.date(2024, 12, 1), n) for n in range(24)]
        chart = bar_chart(title="t", points=[(date_format(m, "N Y"), n) for n, m in enumerate(months)], width=width)
    shown = [bar for bar in chart["bars"] if bar.show_label]
    assert shown[-1].label == "nov. 2026"  # the latest month is always named
    assert 3 <= len(shown) <= 6
    for left, right in zip(shown, shown[1:]):
        # ≈ 6 units a character at font-size 10, centred on the bar: half of each, plus a gap.
        assert right.center - left.center >= (len(left.label) + len(right.label)) * 3 + 8


@pytest.mark.parametrize(("values", "ticks"), [
    ([8, 8, 0], ["0", "2", "4", "6", "8", "10"]),  # people: whole ticks, never "2,5"
    ([1, 0], ["0", "1"]),
    ([183, 20], ["0", "50", "100", "150", "200"]),
    ([5303, 4000], ["0", "2\\xa0500", "5\\xa0000", "7\\xa0500", "10\\xa0000"]),
    ([Decimal("0.5"), Decimal("1.5")], ["0", "0,50", "1", "1,50", "2"]),  # a rate or FTE keeps its fractions
])
def test_axis_ticks_are_whole_for_whole_numbers(values, ticks):
    from django.utils import translation

    from quai.charts import bar_chart

    with translation.override("fr"):
        chart = bar_chart(title="t", points=[(str(n), v) for n, v in enumerate(values)])
    assert [tick["text"] for tick in chart["ticks"]] == [t.replace("\\xa0", "\xa0") for t in ticks]


@pytest.mark.parametrize(("values", "ticks", "bars"), [
    # (value, top of the bar, its height): bars rise from 0 or hang from it, the axis goes through 0.
    ([Decimal("-1.5"), Decimal("2"), None], ["-2", "-1", "0", "1", "2"], [(92.0, 55.5), (18.0, 74.0), (92.0, 0.0)]),
    ([Decimal("-1.5")], ["-2", "-1", "0"], [(18.0, 111.0)]),
    ([Decimal("-0.25"), Decimal("12.5")], ["-5", "0", "5", "10", "15"], [(129.0, 1.8), (36.5, 92.5)]),
    ([3, 0], ["0", "1", "2", "3", "4", "5"], [(77.2, 88.8), (166.0, 0.0)]),
])
def test_negative_figures_hang_below_zero(values, ticks, bars):
    """INC-1 is negative when projects employ fewer people than when they entered: its bar hangs
    below a zero line inside the plot (a negative SVG height draws nothing), on an axis through 0."""
    from django.utils import translation

    from quai.charts import bar_chart

    with translation.override("fr"):
        chart = bar_chart(title="t", points=[(str(n), v) for n, v in enumerate(values)])
    assert [tick["text"] for tick in chart["ticks"]] == ticks
    assert [(bar.y, bar.height) for bar in chart["bars"]] == bars
    zero = next(tick["y"] for tick in chart["ticks"] if tick["text"] == "0")
    assert chart["baseline"] == zero
    assert all(18 <= bar.y and bar.y + bar.height <= 166 for bar in chart["bars"])  # inside the plot
    assert 'height="-' not in chart["html"]


def test_the_last_month_label_ends_at_the_right_edge_rather_than_past_it():
    from django.utils import translation

    from quai.charts import bar_chart

    with translation.override("fr"):
        chart = bar_chart(title="t", points=[(f"nov. {2000 + n}", n) for n in range(36)])
    assert '<text x="359" y="182" text-anchor="end" font-size="10" fill="#1d1d1f">nov. 2035</text>' in chart["html"]
