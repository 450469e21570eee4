"""Form widgets shared by every app.

Browsers only accept ISO values in `<input type="date">` (`2026-11-29`) and
`<input type="datetime-local">` (`2026-11-29T14:30`); Django's widgets would render the active
language's format (`29/11/2026` in French), which the browser drops: the field then looks filled
but submits empty. These widgets always render ISO; parsing accepts ISO in every language.
"""

from django import forms


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class DateTimeInput(forms.DateTimeInput):
    input_type = "datetime-local"

    def __init__(self, attrs=None):
        super().__init__(attrs=attrs, format="%Y-%m-%dT%H:%M")
