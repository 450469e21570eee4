from django.contrib import admin

from incubator.models import (
    Application, Call, Criterion, KpiReport, MentoringSession, Milestone, Project, Review, ReviewScore, TeamMember,
)


class TeamMemberInline(admin.TabularInline):
    """Read-only here: the team and the status change on the project page, through the services, so that
    founders get (and lose) the incubated coworking plan."""

    model = TeamMember
    extra = 0
    max_num = 0
    can_delete = False
    readonly_fields = ["member", "role"]


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0
    raw_id_fields = ["done_by"]


class KpiReportInline(admin.TabularInline):
    model = KpiReport
    extra = 0


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ["name", "stage", "status", "coach", "incubation_start", "incubation_end", "created_on"]
    list_filter = ["status", "stage", "creation_kind"]
    search_fields = ["name", "sector"]
    raw_id_fields = ["coach", "application"]
    readonly_fields = ["status", "incubation_end"]
    inlines = [TeamMemberInline, MilestoneInline, KpiReportInline]


@admin.register(MentoringSession)
class MentoringSessionAdmin(admin.ModelAdmin):
    list_display = ["project", "date", "duration_min", "coach"]
    raw_id_fields = ["project", "coach"]


class CriterionInline(admin.TabularInline):
    model = Criterion
    extra = 0


@admin.register(Call)
class CallAdmin(admin.ModelAdmin):
    list_display = ["title", "opens_on", "closes_on"]
    inlines = [CriterionInline]


class ReviewScoreInline(admin.TabularInline):
    model = ReviewScore
    extra = 0


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    list_display = ["application", "reviewer", "round", "weighted_score"]
    raw_id_fields = ["application", "reviewer"]
    inlines = [ReviewScoreInline]


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ["project_name", "call", "applicant", "status", "submitted_at"]
    list_filter = ["status", "call"]
    raw_id_fields = ["applicant"]
