"""The grid's rows, written in Python.

A day grid has up to a few hundred cells, each a button with a hidden label; in the Django
template language they made up most of the page's time. Like the admin's change list
(`items_for_result`), the rows are built in Python; every value that is not a constant of this
module goes through `escape` (the standard library's, as `django.utils.html.escape` uses).
"""

from html import escape

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext

register = template.Library()


@register.simple_tag
def grid_rows(grid):
    labels = {
        "book": escape(gettext("Book")),
        "mine": "✓ " + escape(gettext("Mine")),
        "taken": "✕ " + escape(gettext("Taken")),
        "fixed": "✕ " + escape(gettext("Fixed desk")),
        "closed": escape(gettext("Closed")),
        "past": escape(gettext("Past")),
    }
    # Each column's slot value and label, escaped once (not once per cell).
    columns = [(escape(column.value), escape(column.label)) for column in grid.columns]
    return mark_safe("".join(_row(row, labels, columns) for row in grid.rows))


def _row(row, labels, columns) -> str:
    resource = row.resource
    name = escape(resource.name)
    parts = ['<tr><th scope="row">', name]
    if resource.zone:
        parts += ['<br><span class="help">', escape(resource.zone), "</span>"]
    if resource.capacity > 1:
        people = ngettext("%(n)s person", "%(n)s people", resource.capacity) % {"n": resource.capacity}
        parts += ['<br><span class="help">', escape(people), "</span>"]
    parts.append("</th>")
    resource_id = int(resource.pk)
    for cell, (value, label) in zip(row.cells, columns):
        state = cell.state
        if state == "free":
            parts.append(
                f'<td class="cell-free"><button type="submit" name="slot" value="{resource_id:d}|{value}"'
                f' class="slot-button">{labels["book"]}<span class="visually-hidden"> {name}, {label}'
                "</span></button></td>"
            )
        elif state == "mine":
            parts.append(f'<td class="cell-mine">{labels["mine"]}</td>')
        elif state == "taken":
            parts.append(f'<td class="cell-taken">{labels["fixed"] if cell.label == "fixed" else labels["taken"]}</td>')
        elif state == "closed":
            parts.append(f'<td class="cell-closed">{labels["closed"]}</td>')
        else:
            parts.append(f'<td class="cell-past"><span aria-label="{labels["past"]}">—</span></td>')
    parts.append("</tr>")
    return "".join(parts)
