from django.contrib import admin

from incubator.models import KpiReport, MentoringSession, Milestone, Project


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class KpiReportInline(admin.TabularInline):
    model = KpiReport
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "stage", "status", "coach", "incubation_start", "incubation_end"]
    list_filter = ["status", "stage"]
    search_fields = ["name", "sector"]
    filter_horizontal = ["team"]
    raw_id_fields = ["coach"]
    inlines = [MilestoneInline, KpiReportInline]


@admin.register(MentoringSession)
class MentoringSessionAdmin(admin.ModelAdmin):
    list_display = ["project", "date", "duration_min", "coach"]
    raw_id_fields = ["project", "coach"]
