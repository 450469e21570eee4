from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from events.models import Event
from quai import inputs
from quai.errors import InvalidInput


class GuestRegistrationForm(forms.Form):
    name = inputs.TextField(label=_("Your name"), max_length=150)
    email = inputs.EmailField(label=_("Your e-mail address"))
    consent = forms.BooleanField(
        label=_("I agree that Le Quai des possibles keeps my name and e-mail to manage this registration and to count participants (deleted on request)."),
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


class WalkInForm(forms.Form):
    name = inputs.TextField(label=_("Name"), max_length=150)
    email = inputs.EmailField(label=_("E-mail (optional)"), required=False)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Your rating"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect)
    comment = inputs.MultilineTextField(label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
