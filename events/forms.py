import datetime

from django import forms
from django.core.exceptions import ValidationError
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from events import selectors
from events.models import Event
from quai import inputs
from quai.errors import InvalidInput
from quai.widgets import DateTimeInput


class GuestRegistrationForm(forms.Form):
    name = inputs.TextField(label=_("Your name"), max_length=150, error_messages={"required": _("Give your name.")})
    email = inputs.EmailField(
        label=_("Your e-mail address"),
        error_messages={"required": _("Give a valid e-mail address."), "invalid": _("Give a valid e-mail address.")},
    )
    consent = forms.BooleanField(
        label=_("I agree that my name and e-mail are kept for this registration."),
        help_text=_("Le Quai des possibles uses them to manage this registration and to count participants; they are deleted on request."),
        error_messages={"required": _("Please accept that we keep your name and e-mail for this event.")},
    )


class AgendaFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types"))] + list(Event.Kind.choices))
    theme = inputs.TextField(label=_("Theme"), required=False, max_length=60)
    month = inputs.TextField(label=_("Month"), required=False, max_length=7, widget=forms.TextInput(attrs={"type": "month"}))

    def clean_month(self):
        month = self.cleaned_data["month"]
        if month:
            try:
                inputs.parse_date(f"{month}-01")
            except ValidationError:
                raise ValidationError(_("Give a month as YYYY-MM, between 2000 and 2100."), code="invalid")
        return month

    def filters(self) -> dict:
        """The agenda's filters; InvalidInput (400, per field) when one is not understood."""
        if self.is_bound and not self.is_valid():
            raise InvalidInput.from_form_errors(self.errors)
        data = self.cleaned_data if self.is_bound else {}
        return {"kind": data.get("kind", ""), "theme": data.get("theme", ""), "month": data.get("month", "")}

    def active_filter_labels(self) -> list[str]:
        """What the folded filters currently restrict to, in words ("Atelier", "novembre 2026")."""
        if not self.is_bound or not self.is_valid():
            return []
        labels = []
        if self.cleaned_data.get("kind"):
            labels.append(str(dict(Event.Kind.choices)[self.cleaned_data["kind"]]))
        if self.cleaned_data.get("theme"):
            labels.append(self.cleaned_data["theme"])
        if self.cleaned_data.get("month"):
            try:
                first = datetime.date.fromisoformat(f"{self.cleaned_data['month']}-01")
                labels.append(date_format(first, "F Y"))
            except ValueError:
                pass
        return labels


class WalkInForm(forms.Form):
    name = inputs.TextField(label=_("Name"), max_length=150)
    email = inputs.EmailField(label=_("E-mail (optional)"), required=False)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Your rating"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect)
    comment = inputs.MultilineTextField(label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))


class RoomChoiceField(inputs.ModelChoiceField):
    def label_from_instance(self, room):
        return f"{room.name} — {room.site.name} ({room.capacity} pl.)" if room.capacity > 1 else f"{room.name} — {room.site.name}"


class EventForm(forms.Form):
    """Staff create or edit an event. The room list holds only rooms free at the chosen times."""

    title = inputs.TextField(label=_("Title"), max_length=200)
    kind = forms.ChoiceField(label=_("Type"), choices=Event.Kind.choices)
    themes = inputs.TextField(
        label=_("Themes"), required=False, max_length=400, help_text=_("Separated by commas, e.g. circular economy, employment."),
    )
    starts_at = inputs.LocalDateTimeField(label=_("Start"), widget=DateTimeInput())
    ends_at = inputs.LocalDateTimeField(label=_("End"), widget=DateTimeInput())
    capacity = inputs.IntegerField(label=_("Capacity (seats)"), min_value=1, max_value=10000)
    is_public = forms.TypedChoiceField(
        label=_("Who can register"), coerce=lambda value: value == "1", widget=forms.RadioSelect, initial="1",
        choices=[("1", _("Everyone (guests without an account too)")), ("0", _("Members only"))],
    )
    price = inputs.TextField(label=_("Price"), required=False, max_length=60, help_text=_("For information, e.g. “Free” or “5 € at the door”."))
    room = RoomChoiceField(
        label=_("Room"), required=False, queryset=None, empty_label=_("No room (outside or elsewhere)"),
        help_text=_("Only rooms free at these times are listed; the room is booked in the coworking planning."),
        error_messages={"invalid_choice": _("This room is taken at these times: choose another room or other times.")},
    )
    description = inputs.MultilineTextField(label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 6}),
                                  help_text=_("Markdown: **bold**, lists with -, links."))

    def __init__(self, *args, event: Event | None = None, **kwargs):
        if event is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "title": event.title, "kind": event.kind, "themes": ", ".join(event.themes), "starts_at": event.starts_at,
                "ends_at": event.ends_at, "capacity": event.capacity, "is_public": "1" if event.is_public else "0",
                "price": event.price, "room": event.room_id, "description": event.description,
            }
        super().__init__(*args, **kwargs)
        self.event = event
        starts_at, ends_at = self._times()
        self.fields["room"].queryset = selectors.rooms_free_between(
            starts_at=starts_at, ends_at=ends_at, keep_booking_id=event.room_booking_id if event else None,
        )

    def _times(self):
        """The times the room list is filtered on: the submitted ones, else the event's."""
        if self.is_bound:
            values = []
            for name in ("starts_at", "ends_at"):
                field = self.fields[name]
                try:
                    values.append(field.clean(field.widget.value_from_datadict(self.data, self.files, self.add_prefix(name))))
                except forms.ValidationError:
                    values.append(None)
            return values
        initial = self.initial
        return initial.get("starts_at"), initial.get("ends_at")

    def clean_themes(self):
        return [theme.strip() for theme in self.cleaned_data["themes"].split(",") if theme.strip()]

    def clean(self):
        cleaned = super().clean()
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", _("The end must be after the start."))
        return cleaned


class DuplicateEventForm(forms.Form):
    starts_at = inputs.LocalDateTimeField(
        label=_("Start of the copy"), required=False, widget=DateTimeInput(),
        help_text=_("Leave empty for the same time a week later."),
    )
