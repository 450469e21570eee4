import datetime

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from coworking.models import Resource
from coworking.time import duration_label
from quai import inputs
from quai.widgets import DateInput


class BookSlotForm(forms.Form):
    """One click on a free cell of the grid: the resource and the slot, as the grid wrote them."""

    resource = inputs.ModelChoiceField(queryset=Resource.objects.filter(is_active=True), label=_("Resource"))
    # The grid writes ISO-8601 with the offset: a time without one is refused, never guessed.
    start = inputs.AwareDateTimeField(label=_("Start"))
    end = inputs.AwareDateTimeField(label=_("End"))

    def __init__(self, data=None, *args, **kwargs):
        # The grid sends the clicked cell as one value, slot="<resource>|<start>|<end>" (one form for
        # the whole grid, one button per free cell); resource/start/end may also come separately.
        if data is not None and data.get("slot"):
            parts = data["slot"].split("|")
            if len(parts) == 3:
                data = data.copy()
                data["resource"], data["start"], data["end"] = parts
        super().__init__(data, *args, **kwargs)


class RecurringForm(forms.Form):
    resource = inputs.ModelChoiceField(
        queryset=Resource.objects.filter(is_active=True, kind__in=["room", "booth"]), label=_("Room")
    )
    date = inputs.DateField(label=_("First date"), widget=DateInput())
    start_time = forms.TimeField(label=pgettext_lazy("time range", "From"), widget=forms.TimeInput(attrs={"type": "time", "step": 1800}))
    end_time = forms.TimeField(label=pgettext_lazy("time range", "To"), widget=forms.TimeInput(attrs={"type": "time", "step": 1800}))
    weeks = inputs.IntegerField(label=_("Number of weeks"), min_value=1, max_value=26, initial=4)

    def clean(self):
        data = super().clean()
        if data.get("start_time") and data.get("end_time") and data["end_time"] <= data["start_time"]:
            self.add_error("end_time", _("The end must be after the start."))
        return data


class StaffDayForm(forms.Form):
    """The day "Coworking today" shows (?date=YYYY-MM-DD), with a day either side still handled."""

    date = inputs.DateField(label=_("Day"), widget=DateInput())

    def clean_date(self):
        day = self.cleaned_data["date"]
        inputs.shift_date(day, days=-1), inputs.shift_date(day, days=1)  # the links to the day before and after
        return day


class PeriodForm(forms.Form):
    start = inputs.DateField(label=_("From"), widget=DateInput())
    end = inputs.DateField(label=_("To"), widget=DateInput())

    def clean(self):
        data = super().clean()
        if data.get("start") and data.get("end"):
            if data["end"] < data["start"]:
                self.add_error("end", _("The end must be after the start."))
            elif data["end"] - data["start"] > datetime.timedelta(days=366):
                self.add_error("end", _("Choose a period of at most one year."))
        return data


class MoveDayForm(forms.Form):
    """The move page's first step: the day (and, for a room, the length) to look for free slots."""

    date = inputs.DateField(label=_("Day"), widget=DateInput())
    minutes = forms.TypedChoiceField(label=_("Length"), coerce=int, required=False, empty_value=None)

    def __init__(self, *args, room: bool, max_minutes: int = 240, **kwargs):
        super().__init__(*args, **kwargs)
        if room:
            self.fields["minutes"].choices = [(m, duration_label(m)) for m in range(30, max_minutes + 1, 30)]
        else:
            del self.fields["minutes"]


class MoveSlotForm(forms.Form):
    """The move page's second step: one of the free slots offered, sent as "start|end" (ISO 8601)."""

    slot = forms.CharField(label=_("New slot"), widget=forms.RadioSelect)

    def clean(self):
        data = super().clean()
        parts = (data.get("slot") or "").split("|")
        start_field, end_field = inputs.AwareDateTimeField(), inputs.AwareDateTimeField()
        try:
            if len(parts) != 2:
                raise forms.ValidationError("")
            data["start"], data["end"] = start_field.clean(parts[0]), end_field.clean(parts[1])
        except forms.ValidationError:
            if "slot" not in self.errors:
                self.add_error("slot", _("Choose one of the free slots."))
        return data
