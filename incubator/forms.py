from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from incubator.models import KpiReport, MentoringSession
from quai.widgets import DateInput


class KpiReportForm(forms.ModelForm):
    class Meta:
        model = KpiReport
        fields = ["reported_on", "fte", "revenue_eur", "beneficiaries"]
        widgets = {"reported_on": DateInput()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reported_on"].initial = timezone.localdate()
        self.fields["fte"].help_text = _("Full-time equivalents working on the project today, founders included.")


class MentoringSessionForm(forms.ModelForm):
    class Meta:
        model = MentoringSession
        fields = ["date", "duration_min", "notes"]
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 3})}
