"""The grid's resource cards, written in Python.

A day has up to a few dozen resources, each with its slot buttons and hidden labels; in the Django
template language they made up most of the page's time. Like the admin's change list
(`items_for_result`), the cards are built in Python; every value that is not a constant of this
module goes through `escape` (the standard library's, as `django.utils.html.escape` uses).

One card per resource, one below the other (a phone reads them as a list; a laptop puts them side
by side): desks offer the morning, the afternoon and the whole day; rooms offer their free start
times, then the lengths that fit from the start picked. Each card is its own small form that
answers in place: with htmx only the card is swapped; without JavaScript the page comes back on
the card (POST, redirect, GET with #resource-<id>), with the confirmation in it.
"""

from html import escape
from urllib.parse import urlencode

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

from coworking.time import duration_label

register = template.Library()


@register.simple_tag(takes_context=True)
def resource_cards(context, grid, picked=None, feedback=None):
    """The day's cards. `picked` = (room id, start datetime) when a room's start was chosen;
    `feedback` = {"resource": id, "ok": bool, "text": str} after a booking attempt."""
    request = context["request"]
    book_url = reverse("coworking:book")
    hidden = "".join(
        f'<input type="hidden" name="{name}" value="{escape(str(value))}">'
        for name, value in (
            ("csrfmiddlewaretoken", get_token(request)),
            ("site", grid.site.slug),
            ("date", grid.day.isoformat()),
            ("kind", grid.kind),
            ("zone", grid.zone),
        )
    )
    base_query = {"site": grid.site.slug, "date": grid.day.isoformat(), "kind": grid.kind}
    if grid.zone:
        base_query["zone"] = grid.zone
    shared = {
        "book_url": escape(book_url),
        "hidden": hidden,
        "grid_url": escape(reverse("coworking:grid")),
        "base_query": base_query,
        "labels": {
            "book": escape(gettext("Book")),
            "mine": "✓ " + escape(gettext("Mine")),
            "taken": escape(gettext("Taken")),
            "closed": escape(gettext("Closed")),
            "past": escape(gettext("Past")),
            "move": escape(gettext("Move")),
            "am": escape(gettext("Morning")),
            "pm": escape(gettext("Afternoon")),
            "day": escape(gettext("All day")),
            "fixed": escape(gettext("Fixed desk of a resident")),
            "taken_day": escape(gettext("Taken all day")),
            "closed_day": escape(gettext("Closed")),
            "past_day": escape(gettext("Past")),
            "busy": escape(gettext("Taken:")),
            "yours": escape(gettext("Your booking:")),
            "starts": escape(gettext("Start at:")),
            "no_start": escape(gettext("No free start left this day.")),
            "durations": escape(gettext("Starting at %(start)s — how long?")),
            "other_time": escape(gettext("Another time")),
        },
        "max_minutes": grid.site.max_room_booking_minutes,
    }
    cards = []
    for row in grid.rows:
        row_feedback = feedback if feedback and feedback.get("resource") == row.resource.pk else None
        if grid.kind == "desk":
            cards.append(_desk_card(row, shared, row_feedback))
        else:
            start = picked[1] if picked and picked[0] == row.resource.pk else None
            cards.append(_room_card(row, shared, start, row_feedback))
    return mark_safe("".join(cards))


def _open_card(row, shared, feedback=None) -> list[str]:
    resource = row.resource
    details = []
    if resource.zone:
        details.append(escape(resource.zone))
    if resource.capacity > 1:
        details.append(escape(ngettext("%(n)s person", "%(n)s people", resource.capacity) % {"n": resource.capacity}))
    parts = [f'<li class="resource-card" id="resource-{int(resource.pk):d}"><h3 class="resource-name">{escape(resource.name)}']
    if details:
        parts.append(f' <span class="help">{" · ".join(details)}</span>')
    parts.append("</h3>")
    parts.append(_feedback(feedback))
    return parts


def _form(row, shared) -> str:
    target = f"#resource-{int(row.resource.pk):d}"
    return (
        f'<form method="post" action="{shared["book_url"]}" hx-post="{shared["book_url"]}" hx-target="{target}"'
        f' hx-select="{target}" hx-swap="outerHTML focus-scroll:true">{shared["hidden"]}'
    )


def _move_link(booking_id, shared, what: str) -> str:
    url = escape(reverse("coworking:move", args=[int(booking_id)]) + "?from=grid")
    return f'<a class="move-link" href="{url}">{shared["labels"]["move"]}<span class="visually-hidden"> — {what}</span></a>'


def _feedback(feedback) -> str:
    if not feedback:
        return ""
    if feedback.get("ok"):
        return f'<p class="message message-success card-feedback" role="status" tabindex="-1" autofocus>{escape(feedback["text"])}</p>'
    return f'<p class="message message-error card-feedback" role="alert" tabindex="-1" autofocus>{escape(feedback["text"])}</p>'


def _desk_card(row, shared, feedback) -> str:
    labels = shared["labels"]
    resource_id = int(row.resource.pk)
    name = escape(row.resource.name)
    cells = row.cells
    parts = _open_card(row, shared, feedback)
    if any(cell.label == "fixed" for cell in cells):  # someone else's fixed desk: nothing to offer
        parts[0] = parts[0].replace('class="resource-card"', 'class="resource-card resource-card-quiet"', 1)
        parts.append(f'<p class="help quiet-state">✕ {labels["fixed"]}</p></li>')
        return "".join(parts)
    if cells and not feedback and all(cell.state in ("taken", "closed", "past") for cell in cells):
        # Nothing to book nor to move: one short line, so that a phone scrolls past it quickly.
        state = "taken" if any(cell.state == "taken" for cell in cells) else cells[0].state
        parts[0] = parts[0].replace('class="resource-card"', 'class="resource-card resource-card-quiet"', 1)
        parts.append(f'<p class="help quiet-state">✕ {labels[state + "_day"]}</p></li>')
        return "".join(parts)
    parts.append(_form(row, shared))
    parts.append('<div class="slot-choices slot-choices-desk">')
    mine_all_day = len(cells) == 2 and cells[0].state == cells[1].state == "mine" and cells[0].booking_id == cells[1].booking_id
    if mine_all_day:
        span = f"{escape(cells[0].column.start_label)}–{escape(cells[1].column.end_label)}"
        parts.append(
            f'<span class="slot-state slot-mine slot-wide">{labels["mine"]} — {labels["day"]} {span}'
            f' {_move_link(cells[0].booking_id, shared, f"{name}, {span}")}</span>'
        )
    else:
        for cell, which in zip(cells, ("am", "pm")):
            span = escape(cell.column.label)
            head = f'{labels[which]} <span class="slot-time">{span}</span>'
            if cell.state == "free":
                value = escape(f"{resource_id}|{cell.column.value}")
                parts.append(
                    f'<button type="submit" name="slot" value="{value}" class="slot-button">{head}'
                    f'<span class="visually-hidden"> — {labels["book"]} {name}</span></button>'
                )
            elif cell.state == "mine":
                parts.append(
                    f'<span class="slot-state slot-mine">{labels["mine"]} <span class="slot-time">{span}</span>'
                    f'{_move_link(cell.booking_id, shared, f"{name}, {span}")}</span>'
                )
            else:
                parts.append(f'<span class="slot-state slot-{escape(cell.state)}">{head}<span class="slot-time">{labels[cell.state]}</span></span>')
        full_day = row.full_day()
        if full_day is not None:
            span = f"{escape(full_day.start_label)}–{escape(full_day.end_label)}"
            parts.append(
                f'<button type="submit" name="slot" value="{escape(full_day.value(resource_id))}" class="slot-button slot-day">'
                f'{labels["day"]} <span class="slot-time">{span}</span>'
                f'<span class="visually-hidden"> — {labels["book"]} {name}</span></button>'
            )
    parts.append("</div></form>")
    parts.append("</li>")
    return "".join(parts)


def _room_card(row, shared, start, feedback) -> str:
    labels = shared["labels"]
    resource_id = int(row.resource.pk)
    name = escape(row.resource.name)
    target = f"#resource-{resource_id:d}"
    parts = _open_card(row, shared, feedback)
    busy = row.busy()
    taken = [span for span in busy if span.state == "taken"]
    if taken:
        spans = ", ".join(f"{escape(span.start_label)}–{escape(span.end_label)}" for span in taken)
        parts.append(f'<p class="help room-busy">{labels["busy"]} {spans}</p>')
    for span in busy:
        if span.state == "mine":
            when = f"{escape(span.start_label)}–{escape(span.end_label)}"
            parts.append(
                f'<p class="room-mine">✓ {labels["yours"]} <strong>{when}</strong> {_move_link(span.booking_id, shared, f"{name}, {when}")}</p>'
            )
    durations = row.durations(start, shared["max_minutes"]) if start is not None else []
    if durations:
        start_label = escape(durations[0].start_label)
        parts.append(_form(row, shared))
        parts.append(f'<fieldset class="durations"><legend>{labels["durations"] % {"start": start_label}}</legend><div class="slot-choices">')
        for index, span in enumerate(durations):
            autofocus = " autofocus" if index == 0 and not feedback else ""
            parts.append(
                f'<button type="submit" name="slot" value="{escape(span.value(resource_id))}" class="slot-button"{autofocus}>'
                f'{escape(duration_label(span.minutes))} <span class="slot-time">{escape(span.start_label)}–{escape(span.end_label)}</span>'
                f'<span class="visually-hidden"> — {labels["book"]} {name}</span></button>'
            )
        back = escape(shared["grid_url"] + "?" + urlencode(shared["base_query"]) + f"#resource-{resource_id:d}")
        parts.append(
            f'</div></fieldset><p><a href="{back}" hx-get="{back}" hx-target="{target}" hx-select="{target}" hx-swap="outerHTML focus-scroll:true">'
            f'{labels["other_time"]}<span class="visually-hidden"> — {name}</span></a></p></form>'
        )
    else:
        starts = row.free_starts()
        if starts:
            list_id = f"starts-{resource_id:d}"
            parts.append(f'<p class="starts-label" id="{list_id}">{labels["starts"]}</p><ul class="start-list" aria-labelledby="{list_id}">')
            for cell in starts:
                query = {**shared["base_query"], "room": resource_id, "start": cell.column.start_label}
                url = escape(shared["grid_url"] + "?" + urlencode(query) + f"#resource-{resource_id:d}")
                parts.append(
                    f'<li><a class="start-chip" href="{url}" hx-get="{url}" hx-target="{target}" hx-select="{target}"'
                    f' hx-swap="outerHTML focus-scroll:true">{escape(cell.column.start_label)}<span class="visually-hidden"> — {name}</span></a></li>'
                )
            parts.append("</ul>")
        else:
            parts.append(f'<p class="help">{labels["no_start"]}</p>')
    parts.append("</li>")
    return "".join(parts)
