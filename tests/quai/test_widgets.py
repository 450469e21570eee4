"""Date inputs carry ISO values in every language: browsers drop `29/11/2026` in `<input type="date">`."""

import datetime
import importlib
import inspect
import re

import pytest
from django import forms
from django.utils import translation

from quai.widgets import DateInput, DateTimeInput

APPS = ["members", "coworking", "events", "incubator", "fabrique"]


class _Form(forms.Form):
    day = forms.DateField(widget=DateInput())
    at = forms.DateTimeField(widget=DateTimeInput())


@pytest.mark.parametrize("language", ["fr", "en"])
def test_date_and_datetime_inputs_render_iso_values(language):
    with translation.override(language):
        html = str(_Form(initial={"day": datetime.date(2026, 11, 29), "at": datetime.datetime(2026, 11, 29, 14, 30)}))
    assert re.search(r'type="date"[^>]*value="2026-11-29"', html)
    assert re.search(r'type="datetime-local"[^>]*value="2026-11-29T14:30"', html)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_iso_values_posted_by_the_browser_are_accepted(language):
    with translation.override(language):
        form = _Form(data={"day": "2026-11-29", "at": "2026-11-29T14:30"})
        assert form.is_valid(), form.errors
    assert form.cleaned_data["day"] == datetime.date(2026, 11, 29)


def _date_widgets_of(module):
    for _name, form_class in inspect.getmembers(module, inspect.isclass):
        if not issubclass(form_class, forms.BaseForm) or form_class.__module__ != module.__name__:
            continue
        fields = dict(form_class.base_fields)
        for name, field in fields.items():
            yield form_class.__name__, name, field.widget


@pytest.mark.parametrize("app", APPS)
def test_every_date_field_of_our_forms_uses_the_iso_widgets(app):
    module = importlib.import_module(f"{app}.forms")
    wrong = []
    for form_name, field_name, widget in _date_widgets_of(module):
        input_type = getattr(widget, "input_type", "")
        if input_type in {"date", "datetime-local"} and not isinstance(widget, (DateInput, DateTimeInput)):
            wrong.append(f"{form_name}.{field_name}")
        if isinstance(widget, forms.DateInput) and widget.attrs.get("type") == "date" and not isinstance(widget, DateInput):
            wrong.append(f"{form_name}.{field_name}")
    assert not wrong, f"use quai.widgets.DateInput/DateTimeInput for: {wrong}"
