from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event


class GuestRegistrationForm(forms.Form):
    name = forms.CharField(label=_("Your name"), max_length=150)
    email = forms.EmailField(label=_("Your e-mail address"))
    consent = forms.BooleanField(
        label=_("I agree that Le Quai des possibles keeps my name and e-mail to manage this registration and to count participants (deleted on request)."),
    )


class AgendaFilterForm(forms.Form):
    kind = forms.ChoiceField(label=_("Type"), required=False, choices=[("", _("All types"))] + list(Event.Kind.choices))
    theme = forms.CharField(label=_("Theme"), required=False, max_length=60)
    month = forms.CharField(label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))


class WalkInForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=150)
    email = forms.EmailField(label=_("E-mail (optional)"), required=False)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Your rating"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
