"""The staff member list's rows, written in Python.

A page has 50 people, each a row of four cells (a link, the e-mail, the organisation, the end of
their membership with a badge): in the Django template language the rows were a third of the page's
time (issue 12: the list at 4.4× the page floor). As the grid's cards
(`coworking/templatetags/coworking_grid.py`), the markup is built here; every value that is not a
constant of this module goes through `escape` (the standard library's, as
`django.utils.html.escape` uses), and the column labels are translated once per page.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()

DASH = "—"


@register.simple_tag
def staff_member_rows(people) -> str:
    """`<tr>`s for `people` (rows of `members.selectors.member_list_rows`), or the "nobody" row."""
    name_label, email_label = escape(gettext("Name")), escape(gettext("E-mail"))
    organisation_label, until_label = escape(gettext("Organisation")), escape(gettext("Membership until"))
    to_confirm, nobody = escape(gettext("renewal to confirm")), escape(gettext("Nobody matches."))  # xgettext reads no call in an f-string
    pending = f' <span class="badge badge-warn">{to_confirm}</span>'
    rows = []
    for person in people:
        url = escape(reverse("members:staff_detail", args=[person.pk]))
        name = escape(person.get_full_name() or person.email)
        profile = getattr(person, "profile", None)  # None: an account without a profile yet
        organisation = escape(profile.organisation) if profile and profile.organisation else DASH
        until = escape(date_format(person.membership_end, "SHORT_DATE_FORMAT")) if person.membership_end else DASH
        rows.append(
            f'<tr><td data-label="{name_label}"><a href="{url}">{name}</a></td>'
            f'<td data-label="{email_label}" class="break-anywhere">{escape(person.email)}</td>'
            f'<td data-label="{organisation_label}">{organisation}</td>'
            f'<td data-label="{until_label}">{until}{pending if person.has_pending else ""}</td></tr>'
        )
    if not rows:
        rows.append(f'<tr><td colspan="4">{nobody}</td></tr>')
    return mark_safe("\n".join(rows))
