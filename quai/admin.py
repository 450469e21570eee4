from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from quai.models import FinancedAction, Funder, ImpactRun, IndicatorSetting, IndicatorSnapshot, OutboxMessage


def _indicator_choices():
    from quai.impact import indicators

    return [(indicator.code, f"{indicator.code} · {indicator.label}") for indicator in indicators()]


@admin.register(OutboxMessage)
class OutboxMessageAdmin(admin.ModelAdmin):
    list_display = ["created_at", "to", "subject", "status", "attempts", "last_error"]
    list_filter = ["status"]
    search_fields = ["to", "key", "subject"]
    readonly_fields = [field.name for field in OutboxMessage._meta.fields]


class IndicatorSettingForm(forms.ModelForm):
    code = forms.ChoiceField(label=_("indicator"), choices=_indicator_choices)

    class Meta:
        model = IndicatorSetting
        fields = ["code", "is_public"]


@admin.register(IndicatorSetting)
class IndicatorSettingAdmin(admin.ModelAdmin):
    form = IndicatorSettingForm
    list_display = ["code", "is_public"]
    list_editable = ["is_public"]


class FinancedActionForm(forms.ModelForm):
    indicator_codes = forms.MultipleChoiceField(label=_("indicators"), choices=_indicator_choices, required=False,
                                                widget=forms.CheckboxSelectMultiple)

    class Meta:
        model = FinancedAction
        fields = ["funder", "title", "description", "starts_on", "ends_on", "amount_eur", "indicator_codes", "targets", "comments"]


class FinancedActionInline(admin.StackedInline):
    model = FinancedAction
    form = FinancedActionForm
    extra = 0


@admin.register(Funder)
class FunderAdmin(admin.ModelAdmin):
    list_display = ["name", "kind"]
    inlines = [FinancedActionInline]


@admin.register(FinancedAction)
class FinancedActionAdmin(admin.ModelAdmin):
    form = FinancedActionForm
    list_display = ["title", "funder", "starts_on", "ends_on"]
    list_filter = ["funder"]


@admin.register(IndicatorSnapshot)
class IndicatorSnapshotAdmin(admin.ModelAdmin):
    list_display = ["code", "period_kind", "period_start", "value", "definition_version", "computed_at"]
    list_filter = ["period_kind", "code"]
    readonly_fields = [field.name for field in IndicatorSnapshot._meta.fields]

    def has_add_permission(self, request):
        return False


@admin.register(ImpactRun)
class ImpactRunAdmin(admin.ModelAdmin):
    list_display = ["created_at", "status", "done", "total", "requested_by", "finished_at"]
    readonly_fields = [field.name for field in ImpactRun._meta.fields]

    def has_add_permission(self, request):
        return False
