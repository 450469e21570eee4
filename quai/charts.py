"""Server-rendered SVG charts (no JavaScript, no CDN), readable without colour.

A chart is geometry computed here and drawn by `templates/quai/_bar_chart.html`: bars filled with
a hatch pattern and outlined, values written on the bars when there is room, a dashed target
line with its label, and always the data table next to it (the template prints it).
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import number_format

_ids = itertools.count(1)


@dataclass(frozen=True)
class Bar:
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


def format_number(value, unit: str = "") -> str:
    if value is None:
        return "—"
    decimals = 0 if Decimal(value) == Decimal(value).to_integral_value() else (1 if unit == "percent" else 2)
    text = number_format(Decimal(value), decimal_pos=decimals, force_grouping=True)
    return f"{text} %" if unit == "percent" else text


def bar_chart(*, title: str, points: list[tuple[str, Decimal | None]], unit: str = "", target: Decimal | None = None,
              width: int = 360, height: int = 190) -> dict:
    """Geometry of a bar chart of `points` [(label, value)], with an optional target line."""
    left, right, top, bottom = 44, 18, 18, 24
    plot_w, plot_h = width - left - right, height - top - bottom
    values = [Decimal(v) for _label, v in points if v is not None]
    top_value = max(values + ([Decimal(target)] if target is not None else []) + [Decimal(1)])
    top_value = _nice_ceiling(top_value)
    step = plot_w / max(1, len(points))
    every = max(1, -(-len(points) // 6))  # at most ~6 axis labels: they stay readable on a phone
    bars = []
    for index, (label, value) in enumerate(points):
        h = 0.0 if value is None else float(Decimal(value) / top_value) * plot_h
        bars.append(Bar(
            x=round(left + index * step + step * 0.15, 1), center=round(left + index * step + step * 0.5, 1), y=round(top + plot_h - h, 1), width=round(step * 0.7, 1),
            height=round(h, 1), label=label, value=value, value_text=format_number(value, unit),
            show_label=(len(points) - 1 - index) % every == 0, show_value=len(points) <= 6,
        ))
    ticks = [
        {"y": round(top + plot_h - plot_h * i / 4, 1), "text": format_number(top_value * i / 4, unit)} for i in range(5)
    ]
    target_y = round(top + plot_h - float(Decimal(target) / top_value) * plot_h, 1) if target is not None else None
    return {
        "id": f"chart{next(_ids)}", "title": title, "width": width, "height": height, "bars": bars, "ticks": ticks,
        "left": left, "right": width - right, "baseline": top + plot_h, "label_y": top + plot_h + 16,
        "target": target, "target_y": target_y, "target_text": format_number(target, unit) if target is not None else "",
        "unit": unit,
    }


def _nice_ceiling(value: Decimal) -> Decimal:
    """The smallest 1, 2, 2.5 or 5 × 10^n at least `value` (round axis ticks)."""
    magnitude = Decimal(10) ** (len(str(int(value))) - 1)
    for factor in (1, 2, Decimal("2.5"), 5, 10):
        if magnitude * factor >= value:
            return magnitude * factor
    return magnitude * 10
