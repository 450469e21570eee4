"""Forms of the impact pages: a period (both dates inclusive), and the funder report."""

from django import forms
from django.utils.translation import gettext_lazy as _

from quai.errors import DomainError
from quai.impact import period_validate
from quai.models import Funder
from quai.widgets import DateInput


class PeriodForm(forms.Form):
    start = forms.DateField(label=_("From"), required=False, widget=DateInput())
    end = forms.DateField(label=_("To (inclusive)"), required=False, widget=DateInput())

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        try:
            data["period"] = period_validate(data.get("start"), data.get("end"))
        except DomainError as error:
            self.add_error("end" if error.field == "to" else "start", str(error.message))
        return data


class DrilldownForm(PeriodForm):
    """The indicator page's rows: a period, and optionally only the rows containing a text."""

    q = forms.CharField(label=_("Rows containing"), required=False, max_length=100, strip=True,
                        help_text=_("Text as the rows show it: a name, an e-mail, a project, an event… (empty: every row)"))


class FunderReportForm(PeriodForm):
    funder = forms.ModelChoiceField(label=_("Funder"), queryset=Funder.objects.all(), empty_label=_("All funders"), required=False)

    field_order = ["funder", "start", "end"]
