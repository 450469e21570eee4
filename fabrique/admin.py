from django.contrib import admin

from fabrique.models import Application, Cohort, Deliverable, Enrolment, Module, Outcome, Session


class ModuleInline(admin.TabularInline):
    model = Module
    extra = 0


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ["name", "year", "start", "end", "capacity", "attendance_threshold"]
    inlines = [ModuleInline]


@admin.register(Enrolment)
class EnrolmentAdmin(admin.ModelAdmin):
    list_display = ["project_name", "cohort", "holder", "coach", "graduated_at"]
    list_filter = ["cohort"]
    raw_id_fields = ["holder", "coach", "application"]


admin.site.register([Application, Session, Deliverable, Outcome])
