"""The team gets roles: the plain many-to-many becomes TeamMember rows (everyone a founder at first)."""

from django.conf import settings
from django.db import migrations, models


def _copy_team(apps, schema_editor):
    Project = apps.get_model("incubator", "Project")
    TeamMember = apps.get_model("incubator", "TeamMember")
    through = Project.team.through
    TeamMember.objects.bulk_create(
        TeamMember(project_id=row.project_id, member_id=row.user_id, role="founder") for row in through.objects.all()
    )


def _copy_back(apps, schema_editor):
    Project = apps.get_model("incubator", "Project")
    TeamMember = apps.get_model("incubator", "TeamMember")
    through = Project.team.through
    through.objects.bulk_create(through(project_id=row.project_id, user_id=row.member_id) for row in TeamMember.objects.all())


class Migration(migrations.Migration):
    dependencies = [
        ("incubator", "0002_calls_reviews_followup"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RunPython(_copy_team, _copy_back),
        migrations.RemoveField(model_name="project", name="team"),
        migrations.AddField(
            model_name="project",
            name="team",
            field=models.ManyToManyField(related_name="incubated_projects", through="incubator.TeamMember",
                                         to=settings.AUTH_USER_MODEL, verbose_name="team"),
        ),
    ]
