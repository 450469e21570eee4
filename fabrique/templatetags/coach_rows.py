"""The coach's table of holders, written in Python.

One row per enrolment (40 in the demo: a link, the project, the cohort, the progress and the
attendance rate): in the Django template language the rows were about a third of the dashboard's
time (issue 12: the page at 3.3× the page floor). As the grid's cards
(`coworking/templatetags/coworking_grid.py`), the markup is built here; every value that is not a
constant of this module goes through `escape` (the standard library's, as
`django.utils.html.escape` uses), and the labels are translated once per page.
"""

from html import escape

from django import template
from django.urls import reverse
from django.utils.safestring import mark_safe
from django.utils.translation import gettext, ngettext, pgettext

register = template.Library()


@register.simple_tag
def coach_rows(enrolments) -> str:
    """`<tr>`s for enrolments of `fabrique.selectors.enrolments_with_progress` (holder and cohort loaded)."""
    holder_label, cohort_label = escape(gettext("Holder")), escape(gettext("Cohort"))
    progress_label, attendance_label = escape(gettext("Progress")), escape(gettext("Attendance"))
    graduated_text = escape(pgettext("fabrique holder", "Graduated"))  # outside the f-string: xgettext reads no call in one
    graduated = f'<span class="badge badge-ok">{graduated_text}</span>'
    rows = []
    for enrolment in enrolments:
        holder, progress = enrolment.holder, enrolment.progress
        url = escape(reverse("fabrique:enrolment", args=[enrolment.pk]))
        # The catalogue's text as {% blocktranslate %} shows it (not escaped); its values are numbers.
        done, total = int(progress["steps_done"]), int(progress["steps_total"])
        state = graduated if enrolment.graduated_at else ngettext(
            "%(done)s of %(total)s condition met", "%(done)s of %(total)s conditions met", done) % {
            "done": done, "total": total}
        rows.append(
            f'\n    <tr><td data-label="{holder_label}"><a href="{url}">{escape(holder.get_full_name() or holder.email)}</a>'
            f' — {escape(enrolment.project_name)}</td>\n'
            f'      <td data-label="{cohort_label}">{escape(str(enrolment.cohort))}</td>\n'
            f'      <td data-label="{progress_label}">{state}</td>\n'
            f'      <td data-label="{attendance_label}">{int(progress["attendance_rate"]):d} %</td></tr>\n  '
        )
    return mark_safe("".join(rows))
