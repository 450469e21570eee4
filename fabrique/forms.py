from django import forms
from django.utils.translation import gettext_lazy as _

from fabrique.models import Application, Attendance, Cohort, Module, Outcome, Review
from quai import inputs
from quai.widgets import DateInput, DateTimeInput

# Dates a person types for the programme: a session within a year back and three years ahead,
# a tiers-lieu opened within fifteen years back and two ahead (typos like 2062 for 2026 refused).
session_near_today = inputs.validate_near_today(past_days=366, future_days=3 * 366)
outcome_near_today = inputs.validate_near_today(past_days=15 * 366, future_days=2 * 366)


class SubmissionForm(forms.Form):
    file = forms.FileField(label=_("File"), required=False,
                           help_text=_("PDF, ODT, DOCX, XLSX or ODS, up to 20 MB."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.odt,.docx,.xlsx,.ods"}))
    text = inputs.MultilineTextField(label=_("Or write your text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Review.Decision.choices, widget=forms.RadioSelect)
    feedback = inputs.MultilineTextField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 5}))


class CohortForm(inputs.ModelForm):
    class Meta(inputs.ModelForm.Meta):
        model = Cohort
        fields = ["name", "year", "start", "end", "capacity"]
        widgets = {"start": DateInput(), "end": DateInput()}


class ApplicationForm(inputs.ModelForm):
    class Meta(inputs.ModelForm.Meta):
        model = Application
        fields = ["territory", "commune", "project", "stage", "motivation"]
        widgets = {"project": forms.Textarea(attrs={"rows": 4}), "motivation": forms.Textarea(attrs={"rows": 4})}


class OutcomeForm(inputs.ModelForm):
    class Meta(inputs.ModelForm.Meta):
        model = Outcome
        fields = ["name", "commune", "opened_on", "evidence"]
        widgets = {"opened_on": DateInput()}

    def clean_opened_on(self):
        opened_on = self.cleaned_data["opened_on"]
        outcome_near_today(opened_on)
        return opened_on


ATTENDANCE_CHOICES = Attendance.Status.choices


class SessionForm(forms.Form):
    title = inputs.TextField(label=_("Title"), max_length=200)
    starts_at = inputs.LocalDateTimeField(label=_("Starts at"), widget=DateTimeInput(), validators=[session_near_today])
    ends_at = inputs.LocalDateTimeField(label=_("Ends at"), widget=DateTimeInput(), validators=[session_near_today])
    location = inputs.TextField(label=_("Place"), max_length=200, required=False)
    room = inputs.ModelChoiceField(label=_("Book a room"), queryset=None, required=False,
                                  help_text=_("Booked through the coworking calendar."))

    def __init__(self, *args, **kwargs):
        from coworking.models import Resource

        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Resource.objects.filter(kind="room").order_by("name")


class BaseModuleFormSet(forms.BaseModelFormSet):
    """The cohort's months, edited in place: a posted form beyond them is refused, never saved."""

    def clean(self):
        super().clean()
        if self.total_form_count() > self.initial_form_count():
            raise forms.ValidationError(_("Months cannot be added here: edit the existing ones."), code="too_many_forms")


ModuleFormSet = forms.modelformset_factory(
    Module, form=inputs.ModelForm, formset=BaseModuleFormSet,
    fields=["month", "title", "deliverable_kind", "deliverable_title", "required_for_graduation"],
    # A curriculum has at most 12 months (fabrique_module_month_range): a post with more forms is
    # refused (validate_max) and Django never builds more than absolute_max forms, whatever
    # TOTAL_FORMS says.
    extra=0, max_num=12, validate_max=True, absolute_max=12, edit_only=True,
)


class ModuleBriefForm(forms.Form):
    """Staff edit the brief of a module's deliverable (for this cohort)."""

    produce = inputs.MultilineTextField(label=_("What to produce"), max_length=5000, widget=forms.Textarea(attrs={"rows": 5}))
    criteria = inputs.MultilineTextField(label=_("What the coach looks at"), max_length=5000,
                                         help_text=_("One criterion per line."), widget=forms.Textarea(attrs={"rows": 6}))
    length = inputs.TextField(label=_("Expected length"), max_length=200)
