"""The door list's rows, written in Python.

An event's door list has up to a few hundred people, each a card with two small forms (present,
absent) that answer in place with htmx; in the Django template language the cards were most of the
page's time (issue 12: the page at 3.8× the page floor for 77 people). As the grid's cards
(`coworking/templatetags/coworking_grid.py`), the markup is built here, for the whole list and for
the one row a tap sends back (`door_row`), so both come from one place. Every value that is not a
constant of this module goes through `escape` (the standard library's, as
`django.utils.html.escape` uses); labels are translated and the CSRF input built once per response.
"""

from html import escape

from django import template
from django.middleware.csrf import get_token
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


def _shared(request, nonce: str) -> dict:
    # Each text looked up outside the f-strings: xgettext (`make messages`) does not read calls
    # inside an f-string, and would drop their translations from the catalogue.
    walk_in, waiting, present, absent, not_yet = (
        escape(gettext("walk-in")), escape(gettext("waiting list")), escape(gettext("present")), escape(gettext("absent")),
        escape(gettext("not yet")),
    )
    return {
        "csrf": f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(get_token(request))}">',
        "nonce": escape(nonce),
        "walk_in": f' <span class="badge badge-warn">{walk_in}</span>',
        "waitlisted": f' <span class="badge badge-muted">{waiting}</span>',
        "present_badge": f'<span class="badge badge-ok">✓ {present}</span>',
        "absent_badge": f'<span class="badge badge-danger">✕ {absent}</span>',
        "not_yet_badge": f'<span class="badge badge-muted">{not_yet}</span>',
        "present": escape(gettext("Present")),
        "absent": escape(gettext("Absent")),
    }


def _row(registration, shared: dict) -> str:
    pk = f"{int(registration.pk):d}"
    name = escape(registration.display_name)
    url = escape(reverse("events:mark", args=[registration.pk]))
    if registration.attended:
        state = shared["present_badge"]
    elif registration.attended is False:
        state = shared["absent_badge"]
    else:
        state = shared["not_yet_badge"]
    form = (f'<form method="post" action="{url}" hx-post="{url}" hx-target="#registration-{pk}" hx-swap="outerHTML">'
            f'{shared["csrf"]}\n      <input type="hidden" name="nonce" value="{shared["nonce"]}-')
    return (
        f'<li class="card door-row{" door-row-present" if registration.attended else ""}" id="registration-{pk}">\n'
        f'  <p><strong>{name}</strong>{shared["walk_in"] if registration.walk_in else ""}'
        f'{shared["waitlisted"] if registration.status == "waitlisted" else ""}<br>\n'
        f'   {state}</p>\n'
        f'  <div class="actions">\n'
        f'    {form}p{pk}"><input type="hidden" name="present" value="1">\n'
        f'      <button type="submit" class="button{" button-secondary" if registration.attended else ""}">'
        f'{shared["present"]}<span class="visually-hidden"> — {name}</span></button></form>\n'
        f'    {form}a{pk}"><input type="hidden" name="present" value="0">\n'
        f'      <button type="submit" class="button button-secondary">'
        f'{shared["absent"]}<span class="visually-hidden"> — {name}</span></button></form>\n'
        f'  </div>\n'
        f'</li>'
    )


@register.simple_tag(takes_context=True)
def door_rows(context, registrations, nonce) -> str:
    """One card per registration (`events.selectors.door_list`), each on its own lines."""
    shared = _shared(context["request"], nonce)
    return mark_safe("".join(_row(registration, shared) + "\n" for registration in registrations))


@register.simple_tag(takes_context=True)
def door_row(context, registration, nonce) -> str:
    """The card of one registration, as a tap on "present" or "absent" sends it back."""
    return mark_safe(_row(registration, _shared(context["request"], nonce)))
