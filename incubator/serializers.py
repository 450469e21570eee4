from rest_framework import serializers

from incubator.models import KpiReport, Project


class KpiReportSerializer(serializers.ModelSerializer):
    class Meta:
        model = KpiReport
        fields = ["reported_on", "fte", "revenue_eur", "beneficiaries"]


class ProjectSerializer(serializers.ModelSerializer):
    team = serializers.SerializerMethodField()
    coach = serializers.SerializerMethodField()
    kpi_reports = KpiReportSerializer(many=True, read_only=True)

    class Meta:
        model = Project
        fields = [
            "id", "name", "sector", "summary", "stage", "status", "incubation_start", "incubation_end",
            "coach", "team", "fte_at_entry", "created_on", "creation_evidence", "kpi_reports",
        ]

    def get_team(self, project) -> list[str]:
        return [member.get_full_name() or member.email for member in project.team.all()]

    def get_coach(self, project) -> str | None:
        return project.coach.get_full_name() if project.coach else None
