from django import forms
from django.utils.translation import gettext_lazy as _

from fabrique.models import Application, Attendance, Cohort, Module, Outcome, Review
from quai.widgets import DateInput, DateTimeInput


class SubmissionForm(forms.Form):
    file = forms.FileField(label=_("File"), required=False,
                           help_text=_("PDF, ODT, DOCX, XLSX or ODS, up to 20 MB."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.odt,.docx,.xlsx,.ods"}))
    text = forms.CharField(label=_("Or write your text"), required=False, widget=forms.Textarea(attrs={"rows": 6}))


class ReviewForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=Review.Decision.choices, widget=forms.RadioSelect)
    feedback = forms.CharField(label=_("Feedback"), widget=forms.Textarea(attrs={"rows": 5}))


class CohortForm(forms.ModelForm):
    class Meta:
        model = Cohort
        fields = ["name", "year", "start", "end", "capacity"]
        widgets = {"start": DateInput(), "end": DateInput()}


class ApplicationForm(forms.ModelForm):
    class Meta:
        model = Application
        fields = ["territory", "commune", "project", "stage", "motivation"]
        widgets = {"project": forms.Textarea(attrs={"rows": 4}), "motivation": forms.Textarea(attrs={"rows": 4})}


class OutcomeForm(forms.ModelForm):
    class Meta:
        model = Outcome
        fields = ["name", "commune", "opened_on", "evidence"]
        widgets = {"opened_on": DateInput()}


ATTENDANCE_CHOICES = Attendance.Status.choices


class SessionForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    starts_at = forms.DateTimeField(label=_("Starts at"), widget=DateTimeInput())
    ends_at = forms.DateTimeField(label=_("Ends at"), widget=DateTimeInput())
    location = forms.CharField(label=_("Place"), max_length=200, required=False)
    room = forms.ModelChoiceField(label=_("Book a room"), queryset=None, required=False,
                                  help_text=_("Booked through the coworking calendar."))

    def __init__(self, *args, **kwargs):
        from coworking.models import Resource

        super().__init__(*args, **kwargs)
        self.fields["room"].queryset = Resource.objects.filter(kind="room").order_by("name")


ModuleFormSet = forms.modelformset_factory(
    Module, fields=["month", "title", "deliverable_kind", "deliverable_title", "required_for_graduation"], extra=0,
)
