"""Thin forms: field types and bounds for the browser; the rules themselves live in the services."""

from decimal import Decimal

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from incubator.models import FTE_MAX, Application, Project, TeamMember
from quai.widgets import DateInput


def _money(label, required=False):
    return forms.DecimalField(label=label, required=required, min_value=Decimal("0"), max_digits=12, decimal_places=2,
                              widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.01", "min": "0"}))


class KpiReportForm(forms.Form):
    reported_on = forms.DateField(label=_("Reported on"), widget=DateInput())
    fte = forms.DecimalField(label=_("Jobs (FTE)"), min_value=Decimal("0"), max_value=Decimal(FTE_MAX), max_digits=6,
                             decimal_places=2,
                             help_text=_("Full-time equivalents working on the project today, founders included."),
                             widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1", "min": "0"}))
    revenue_eur = _money(_("Revenue (€)"))
    beneficiaries = forms.IntegerField(label=_("Beneficiaries"), required=False, min_value=0, max_value=10_000_000,
                                       widget=forms.NumberInput(attrs={"inputmode": "numeric", "min": "0"}))
    funding_eur = _money(_("Funding raised (€)"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()
        self.fields["revenue_eur"].help_text = _("Since the previous report.")
        self.fields["funding_eur"].help_text = _("Grants, loans and equity obtained since the previous report.")


class MentoringSessionForm(forms.Form):
    date = forms.DateField(label=_("Date"), widget=DateInput())
    start_time = forms.TimeField(label=_("Start time"), required=False,
                                 help_text=_("Europe/Paris time; give it when you plan the next session."),
                                 widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"))
    duration_min = forms.IntegerField(label=_("Duration (minutes)"), min_value=1, max_value=600, initial=60)
    location = forms.CharField(label=_("Place or video link"), required=False, max_length=300,
                               help_text=_("A room of the Quai, an address, or the https:// link of the video call."))
    notes = forms.CharField(label=_("Notes"), required=False, max_length=10_000,
                            widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("Seen by the coach, the team and staff only."))
    next_actions = forms.CharField(label=_("Next actions"), required=False, max_length=5_000,
                                   widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["date"].initial = timezone.localdate()


class MilestoneForm(forms.Form):
    title = forms.CharField(label=_("Milestone"), max_length=200)
    due_on = forms.DateField(label=pgettext_lazy("milestone", "Due on"), required=False, widget=DateInput())


class ApplicationForm(forms.Form):
    project_name = forms.CharField(label=_("Project name"), max_length=150)
    summary = forms.CharField(label=_("Your project in a few lines"), max_length=5000, required=False,
                              widget=forms.Textarea(attrs={"rows": 5}))

    def __init__(self, *args, call, **kwargs):
        super().__init__(*args, **kwargs)
        self.call = call
        for index, question in enumerate(call.questions):
            self.fields[f"answer_{index}"] = forms.CharField(label=question, required=False, max_length=5000,
                                                             widget=forms.Textarea(attrs={"rows": 4}))

    @classmethod
    def initial_for(cls, application: Application | None) -> dict:
        if application is None:
            return {}
        initial = {"project_name": application.project_name, "summary": application.summary}
        initial.update({f"answer_{i}": answer for i, answer in enumerate(application.answers)})
        return initial

    def answers(self) -> list[str]:
        return [self.cleaned_data.get(f"answer_{i}", "") for i in range(len(self.call.questions))]


class ReviewForm(forms.Form):
    comment = forms.CharField(label=_("Comment"), required=False, max_length=5000, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, criteria, **kwargs):
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        fields = {}
        for criterion in self.criteria:
            fields[f"score_{criterion.pk}"] = forms.TypedChoiceField(
                label=_("%(criterion)s (weight %(weight)s)") % {"criterion": criterion.label, "weight": criterion.weight},
                choices=[(i, str(i)) for i in range(6)], coerce=int, widget=forms.RadioSelect,
            )
        self.fields = {**fields, **self.fields}

    def scores(self) -> dict[int, int]:
        return {c.pk: self.cleaned_data[f"score_{c.pk}"] for c in self.criteria}


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(label=_("Decision"), choices=[("", "—")] + [(d.value, d.label) for d in Application.DECISIONS])
    # By e-mail rather than a list of every member: a coach is any member account.
    coach = forms.EmailField(label=_("Coach's e-mail (if accepted)"), required=False)
    start = forms.DateField(label=_("Start of incubation (if accepted)"), required=False, widget=DateInput())
    fte_at_entry = forms.DecimalField(label=_("Jobs at entry, in FTE (if accepted)"), required=False, min_value=Decimal("0"),
                                      max_value=Decimal(FTE_MAX), max_digits=6, decimal_places=2,
                                      help_text=_("The base of the jobs created (INC-1): founders included."),
                                      widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1", "min": "0"}))

    def clean_coach(self):
        email = self.cleaned_data["coach"]
        if not email:
            return None
        coach = get_user_model().objects.filter(email__iexact=email, is_active=True).first()
        if coach is None:
            raise forms.ValidationError(_("No member has this e-mail address."))
        return coach


class ProjectStatusForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Project.Status.choices)
    stage = forms.ChoiceField(label=_("Stage"), choices=Project.Stage.choices)
    end = forms.DateField(label=_("End of incubation"), required=False, widget=DateInput(),
                          help_text=_("For a graduated or stopped project (today if empty)."))


class CreationForm(forms.Form):
    created_on = forms.DateField(label=_("Creation date"), widget=DateInput())
    creation_kind = forms.ChoiceField(label=_("Creation"), choices=Project.CreationKind.choices)
    creation_evidence = forms.CharField(label=_("Evidence"), max_length=255,
                                        help_text=_("SIRET number, first invoice, opening of the place…"))


class CallForm(forms.Form):
    title = forms.CharField(label=_("Title"), max_length=200)
    description = forms.CharField(label=_("Description"), required=False, max_length=5000,
                                  widget=forms.Textarea(attrs={"rows": 3}))
    opens_on = forms.DateField(label=_("Opens on"), widget=DateInput())
    closes_on = forms.DateField(label=_("Closes on (inclusive)"), widget=DateInput())
    questions = forms.CharField(label=_("Questions"), required=False, max_length=5000,
                                widget=forms.Textarea(attrs={"rows": 4}), help_text=_("One question per line."))
    criteria = forms.CharField(label=_("Rubric"), max_length=2000, widget=forms.Textarea(attrs={"rows": 4}),
                               help_text=_("One criterion per line, with its weight (1–10) after a semicolon: "
                                           "« Social impact; 3 »."))

    def clean_criteria(self):
        criteria = []
        for line in self.cleaned_data["criteria"].splitlines():
            if not line.strip():
                continue
            label, _sep, weight = line.rpartition(";")
            if not label.strip():
                label, weight = weight, "1"
            try:
                weight = int(weight.strip())
            except ValueError:
                raise forms.ValidationError(_("Write each criterion as « name; weight », the weight from 1 to 10."))
            criteria.append((label.strip(), weight))
        return criteria

    def clean_questions(self):
        return [line.strip() for line in self.cleaned_data["questions"].splitlines() if line.strip()]


class TeamMemberForm(forms.Form):
    email = forms.EmailField(label=_("Member's e-mail"))
    role = forms.ChoiceField(label=_("Role"), choices=TeamMember.Role.choices)

    def clean_email(self):
        member = get_user_model().objects.filter(email__iexact=self.cleaned_data["email"], is_active=True).first()
        if member is None:
            raise forms.ValidationError(_("No member has this e-mail address."))
        return member
