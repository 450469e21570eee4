from django import forms
from django.utils.translation import gettext_lazy as _

from events.models import Event, MediationSession
from quai.widgets import DateInput


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


class MediationSessionForm(forms.ModelForm):
    themes = forms.MultipleChoiceField(label=_("Themes"), choices=MediationSession.THEMES, widget=forms.CheckboxSelectMultiple)
    equipment = forms.MultipleChoiceField(label=_("Equipment"), choices=MediationSession.EQUIPMENT, widget=forms.CheckboxSelectMultiple, required=False)

    class Meta:
        model = MediationSession
        fields = ["date", "duration_min", "kind", "participants", "place", "commune", "themes", "equipment", "autonomy",
                  "age_band", "gender", "social_status", "first_time", "workshop_title", "event", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 2})}


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Your rating"), coerce=int, choices=[(n, str(n)) for n in range(1, 6)], widget=forms.RadioSelect)
    comment = forms.CharField(label=_("Comment (optional)"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3}))
