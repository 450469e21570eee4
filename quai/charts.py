"""Server-rendered SVG charts (no JavaScript, no CDN), readable without colour.

A chart is geometry computed here and drawn here too (`chart_markup`, shown by
`templates/quai/_bar_chart.html`): bars filled with a hatch pattern and outlined, values written on
the bars when there is room, a dashed target line with its label, and always the data table next
to it. The markup is built in Python, not in template loops: the staff home draws six 24-bar charts,
≈ 2 000 template variable lookups that were most of its time.
"""

from __future__ import annotations

import itertools
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from html import escape as _html_escape
from typing import NamedTuple

from django.utils import numberformat
from django.utils.formats import get_format
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext

_ids = itertools.count(1)


class Bar(NamedTuple):
    x: float
    center: float
    y: float
    width: float
    height: float
    label: str
    value: Decimal | None
    value_text: str
    show_label: bool
    show_value: bool


class NumberFormat:
    """Figures in one language's format ("10 000", "79,4 %"): its separators looked up once.

    `number_format()` gives the active language's; call it once per page and format with it (a
    staff home formats ≈ 300 numbers: `get_language()` and the separators' lookup each time were
    half of their cost)."""

    __slots__ = ("decimal_sep", "grouping", "thousand_sep")

    def __init__(self, decimal_sep: str, grouping, thousand_sep: str):
        self.decimal_sep, self.grouping, self.thousand_sep = decimal_sep, grouping, thousand_sep

    def __call__(self, value, unit: str = "") -> str:
        if value is None:
            return "—"
        if type(value) is not Decimal:
            value = Decimal(value)
        integral = value == value.to_integral_value()
        if self.grouping == 3:  # French and English: Python's own grouping, separators swapped (≈ 10× numberformat)
            if integral:  # whole numbers (most figures): no rounding, no decimal separator
                text = f"{int(value):,}".replace(",", self.thousand_sep)
            else:
                decimals = 1 if unit == "percent" else 2
                rounded = value.quantize(_STEPS[decimals], rounding=ROUND_HALF_UP)  # 79,45 % → 79,5 %
                text = f"{rounded:,f}".replace(",", "\0").replace(".", self.decimal_sep).replace("\0", self.thousand_sep)
        else:
            text = numberformat.format(value, self.decimal_sep, decimal_pos=0 if integral else (1 if unit == "percent" else 2),
                                       grouping=self.grouping, thousand_sep=self.thousand_sep, force_grouping=True)
        return f"{text} %" if unit == "percent" else text


_STEPS = {1: Decimal("0.1"), 2: Decimal("0.01")}
_FORMATS: dict[str, NumberFormat] = {}


def number_format() -> NumberFormat:
    """The active language's NumberFormat (built once per language)."""
    language = get_language()
    numbers = _FORMATS.get(language)
    if numbers is None:
        numbers = _FORMATS[language] = NumberFormat(get_format("DECIMAL_SEPARATOR"), get_format("NUMBER_GROUPING"),
                                                    get_format("THOUSAND_SEPARATOR"))
    return numbers


def format_number(value, unit: str = "") -> str:
    """A figure in the active language's format ("10 000", "79,4 %"), rounded half up: percentages
    to one decimal, other fractions to two, whole numbers without decimals."""
    return number_format()(value, unit)


def bar_chart(*, title: str, points: list[tuple[str, Decimal | None]], unit: str = "", target: Decimal | None = None,
              width: int = 360, height: int = 190) -> dict:
    """Geometry of a bar chart of `points` [(label, value)], with an optional target line."""
    left, right, top, bottom = 44, 18, 18, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [Decimal(v) for _label, v in points if v is not None]
    also = [Decimal(target)] if target is not None else []
    low_value, top_value, tick_values = value_range(values, also=also)
    span = top_value - low_value

    def y_of(value) -> float:  # the value's height on the plot, from the axis' bottom (0 or below)
        return round(top + plot_h - float((Decimal(value) - low_value) / span) * plot_h, 1)

    zero_y = y_of(0)  # bars rise from 0, or hang from it (INC-1 when a project has fewer jobs than at entry)
    step = plot_w / max(1, len(points))
    numbers = number_format()
    # At most ~6 axis labels, and never closer than their own width (≈ 6 units a character at
    # font-size 10): "sept. 2025" needs about five 24-month bars of a card's chart.
    label_width = max((len(str(label)) for label, _value in points), default=0) * 6 + 8
    every = max(1, -(-len(points) // 6), -(-label_width // max(1, int(step))))
    bars, bar_width, show_value = [], round(step * 0.7, 1), len(points) <= 6
    for index, (label, value) in enumerate(points):
        value_y = zero_y if value is None else y_of(value)
        bars.append(Bar(
            round(left + index * step + step * 0.15, 1), round(left + index * step + step * 0.5, 1), min(value_y, zero_y),
            bar_width, round(abs(zero_y - value_y), 1), label, value, numbers(value, unit), (len(points) - 1 - index) % every == 0,
            show_value,
        ))
    ticks = [{"y": y_of(tick), "text": numbers(tick, unit)} for tick in tick_values]
    target_y = y_of(target) if target is not None else None
    chart = {
        "id": f"chart{next(_ids)}", "title": title, "width": width, "height": height, "bars": bars, "ticks": ticks,
        "left": left, "right": width - right, "baseline": zero_y, "label_y": top + plot_h + 16,
        "target": target, "target_y": target_y, "target_text": numbers(target, unit) if target is not None else "",
        "unit": unit,
    }
    chart["html"] = chart_markup(chart)
    return chart


_DARK, _GREEN, _GRID, _RED = "#1d1d1f", "#0b5d4b", "#c9ccd6", "#a4161a"


def chart_markup(chart: dict) -> SafeString:
    """The chart's <figure>: the SVG (hatched bars, axis ticks, target line) and its data table.

    Coordinates are written with str() (a dot as decimal separator whatever the language); every
    text (title, labels, values) is escaped.
    """
    e = _escape
    cid = chart["id"]
    svg = [
        (f'<svg viewBox="0 0 {chart["width"]} {chart["height"]}" role="img" aria-labelledby="{cid}-title" '
         f'aria-describedby="{cid}-note" focusable="false" class="chart-svg">'),
        (f'<defs><pattern id="{cid}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">'
         f'<rect width="6" height="6" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="6" stroke="{_GREEN}" stroke-width="3"/>'
         "</pattern></defs>"),
    ]
    left, right = chart["left"], chart["right"]
    for tick in chart["ticks"]:
        svg.append(f'<line x1="{left}" x2="{right}" y1="{tick["y"]}" y2="{tick["y"]}" stroke="{_GRID}" stroke-width="1"/>'
                   f'<text x="{left - 4}" y="{tick["y"]}" dy="4" text-anchor="end" font-size="10" fill="{_DARK}">{e(tick["text"])}</text>')
    rows, label_y = [], chart["label_y"]
    for bar in chart["bars"]:
        label, value = e(bar.label), e(bar.value_text)  # each escaped once, written two or three times
        svg.append(f'<rect x="{bar.x}" y="{bar.y}" width="{bar.width}" height="{bar.height}" fill="url(#{cid}-hatch)" '
                   f'stroke="{_GREEN}" stroke-width="1.5"><title>{label} : {value}</title></rect>')
        if bar.show_value:
            svg.append(f'<text x="{bar.center}" y="{bar.y}" dy="-3" text-anchor="middle" font-size="10" fill="{_DARK}">{value}</text>')
        if bar.show_label:
            # Centred under its bar, unless it would run past the right edge (≈ 6 units a character):
            # then it ends at the edge ("nov. 2026" under the last of 36 bars).
            if bar.center + len(bar.label) * 3 > chart["width"]:
                svg.append(f'<text x="{chart["width"] - 1}" y="{label_y}" text-anchor="end" font-size="10" fill="{_DARK}">{label}</text>')
            else:
                svg.append(f'<text x="{bar.center}" y="{label_y}" text-anchor="middle" font-size="10" fill="{_DARK}">{label}</text>')
        rows.append(f'<tr><th scope="row">{label}</th><td class="num">{value}</td></tr>')
    svg.append(f'<line x1="{left}" x2="{right}" y1="{chart["baseline"]}" y2="{chart["baseline"]}" stroke="{_DARK}" stroke-width="1"/>')
    note = gettext("Hatched bars: the figure of each period.")
    if chart["target_y"] is not None:
        y, target = chart["target_y"], e(gettext("Target"))  # outside the f-string: xgettext does not read calls in one
        svg.append(f'<line x1="{left}" x2="{right}" y1="{y}" y2="{y}" stroke="{_RED}" stroke-width="2" stroke-dasharray="8 4"/>'
                   # A white outline under the label: it stays readable where the bars reach the line.
                   f'<text x="{right}" y="{y}" dy="-4" text-anchor="end" font-size="12" font-weight="bold" fill="{_RED}" '
                   f'stroke="#ffffff" stroke-width="4" stroke-linejoin="round" paint-order="stroke">'
                   f'{target} {e(chart["target_text"])}</text>')
        note += " " + gettext("Dashed line: the target.")
    svg.append("</svg>")
    table = format_html(
        '<details class="chart-data"><summary>{}</summary><div class="table-wrap"><table>'
        '<caption class="visually-hidden">{}</caption><thead><tr><th scope="col">{}</th><th scope="col">{}</th></tr></thead>'
        "<tbody>{}</tbody></table></div></details>",
        gettext("Data table"), chart["title"], gettext("Period"), gettext("Value"), mark_safe("".join(rows)),  # each cell escaped above
    )
    return format_html(
        '<figure class="chart"><figcaption id="{}-title">{}</figcaption>{}<p class="help" id="{}-note">{}</p>{}</figure>',
        cid, chart["title"], mark_safe("".join(svg)), cid, note, table,  # every text escaped above
    )


def _escape(text) -> str:
    """conditional_escape without its lazy-string wrapper (a third of the charts' time): safe
    strings as they are, anything else through html.escape, as Django's escape does."""
    if hasattr(text, "__html__"):
        return text.__html__()
    return _html_escape(str(text))


def axis(values: list[Decimal], *, also: list[Decimal] = ()) -> tuple[Decimal, list[Decimal]]:
    """The top of a value axis starting at 0 and its ticks, for `values` (and `also`, a target line
    the axis must reach): a round top (1, 2, 2.5 or 5 × 10^n, at least 1) in four intervals, or, for
    whole numbers (people, projects), as many as keep every tick whole: 0, 2, 4, 6, 8, 10 rather than
    0, 2,5, 5, 7,5, 10 people. Shared by the impact bar charts and the incubator's line charts."""
    top_value = _nice_ceiling(max([*values, *also, Decimal(1)]))
    intervals = 4
    if all(v == v.to_integral_value() for v in values):
        intervals = next(n for n in (4, 5, 2, 1) if (top_value / n) == (top_value / n).to_integral_value())
    return top_value, [top_value * i / intervals for i in range(intervals + 1)]


def value_range(values: list[Decimal], *, also: list[Decimal] = ()) -> tuple[Decimal, Decimal, list[Decimal]]:
    """(bottom, top, ticks) of a bar chart's value axis: `axis` when nothing is below 0; else an
    axis through 0 with round steps on both sides (a figure can be negative: INC-1, jobs created,
    when projects employ fewer people than when they entered)."""
    low = min([*values, *also, Decimal(0)])
    if low >= 0:
        top_value, ticks = axis(values, also=also)
        return Decimal(0), top_value, ticks
    high = max([*values, *also, Decimal(0)])
    step = _nice_ceiling((high - low) / 4)
    bottom, top = -step * _steps(-low, step), step * _steps(high, step)  # whole steps below and above 0
    return bottom, top, [bottom + step * i for i in range(int((top - bottom) / step) + 1)]


def _steps(value: Decimal, step: Decimal) -> Decimal:
    """How many whole steps reach `value` (≥ 0)."""
    return (value / step).to_integral_value(rounding=ROUND_CEILING)


def _nice_ceiling(value: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10^n at least `value` (round axis ticks)."""
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if magnitude * factor >= value:
            return magnitude * factor
    return magnitude * 10
