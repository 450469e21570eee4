from decimal import Decimal

from rest_framework import serializers

from incubator.models import (
    FTE_MAX, Application, Call, Criterion, KpiReport, MentoringSession, Milestone, Project, TeamMember,
)


class CriterionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Criterion
        fields = ["id", "label", "weight"]


class CallSerializer(serializers.ModelSerializer):
    criteria = CriterionSerializer(many=True, read_only=True)
    questions = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Call
        fields = ["id", "title", "description", "opens_on", "closes_on", "questions", "criteria"]


class ApplicationInput(serializers.Serializer):
    call = serializers.PrimaryKeyRelatedField(queryset=Call.objects.all())
    project_name = serializers.CharField(max_length=150)
    summary = serializers.CharField(max_length=5000, allow_blank=True)
    answers = serializers.ListField(child=serializers.CharField(max_length=5000, allow_blank=True), max_length=20,
                                    required=False, default=list)
    submit = serializers.BooleanField(required=False, default=True,
                                      help_text="false keeps it as a draft; true (default) sends it to the reviewers.")


class ApplicationSerializer(serializers.ModelSerializer):
    answers = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = Application
        fields = ["id", "call", "project_name", "summary", "answers", "status", "submitted_at", "decided_at"]


class KpiReportInput(serializers.Serializer):
    reported_on = serializers.DateField()
    fte = serializers.DecimalField(max_digits=6, decimal_places=2, min_value=Decimal("0"), max_value=Decimal(FTE_MAX))
    revenue_eur = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False,
                                           allow_null=True, default=None)
    beneficiaries = serializers.IntegerField(min_value=0, max_value=10_000_000, required=False, allow_null=True,
                                             default=None)
    funding_eur = serializers.DecimalField(max_digits=12, decimal_places=2, min_value=Decimal("0"), required=False,
                                           allow_null=True, default=None)


class KpiReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = KpiReport
        fields = ["id", "reported_on", "fte", "revenue_eur", "beneficiaries", "funding_eur"]


class MilestoneSerializer(serializers.ModelSerializer):
    class Meta:
        model = Milestone
        fields = ["id", "title", "due_on", "done_on"]


class SessionInput(serializers.Serializer):
    date = serializers.DateField()
    duration_min = serializers.IntegerField(min_value=1, max_value=600)
    start_time = serializers.TimeField(required=False, allow_null=True, default=None)
    location = serializers.CharField(max_length=300, allow_blank=True, required=False, default="")
    notes = serializers.CharField(max_length=10_000, allow_blank=True, required=False, default="")
    next_actions = serializers.CharField(max_length=5_000, allow_blank=True, required=False, default="")


class SessionSerializer(serializers.ModelSerializer):
    coach = serializers.SerializerMethodField()

    class Meta:
        model = MentoringSession
        fields = ["id", "date", "start_time", "duration_min", "location", "coach", "notes", "next_actions"]

    def get_coach(self, session) -> str | None:
        return (session.coach.get_full_name() or session.coach.email) if session.coach else None


class TeamMemberSerializer(serializers.ModelSerializer):
    name = serializers.SerializerMethodField()

    class Meta:
        model = TeamMember
        fields = ["name", "role"]

    def get_name(self, membership) -> str:
        return membership.member.get_full_name() or membership.member.email


class ProjectSerializer(serializers.ModelSerializer):
    team = TeamMemberSerializer(source="memberships", many=True, read_only=True)
    coach = serializers.SerializerMethodField()

    class Meta:
        model = Project
        fields = [
            "id", "name", "sector", "summary", "stage", "status", "incubation_start", "incubation_end",
            "coach", "team", "fte_at_entry", "created_on", "creation_kind", "creation_evidence",
        ]

    def get_coach(self, project) -> str | None:
        return (project.coach.get_full_name() or project.coach.email) if project.coach else None


class ProjectDetailSerializer(ProjectSerializer):
    kpi_reports = KpiReportSerializer(many=True, read_only=True)
    milestones = MilestoneSerializer(many=True, read_only=True)

    class Meta(ProjectSerializer.Meta):
        fields = ProjectSerializer.Meta.fields + ["kpi_reports", "milestones"]
