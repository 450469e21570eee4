"""Impact indicators of the incubator (DOMAIN.md §1): PRJ-1 projects supported, PRJ-2 projects created, INC-1 jobs.

PRJ-1 and PRJ-2 take the union of every registered project source (this app and the Fabrique,
through quai.registry.register_project_source): a project both incubated and in the Fabrique (same
name) counts once.
"""

from decimal import Decimal

from django.db.models import Exists, F, OuterRef
from django.db.models.functions import Lower, Trim
from django.utils.translation import gettext_lazy as _

from incubator.models import KpiReport, Project
from quai.impact import CountRows, Indicator, SumOf
from quai.registry import ProjectSource


def project_key(field: str = "name"):
    return Lower(Trim(field))


def incubator_supported(start, end):
    return Project.objects.supported_between(start, end).values(project=project_key())


def incubator_created(start, end):
    # A creation date counts only with its evidence (the database already refuses one without).
    return Project.objects.filter(created_on__lt=end).exclude(creation_evidence="").values(project=project_key())


SOURCE = ProjectSource(name="incubator", supported=incubator_supported, created=incubator_created)


def _union(kind: str, start, end):
    from quai.registry import registry

    querysets = [getattr(source, kind)(start, end).order_by() for source in registry.project_sources]
    if not querysets:
        return Project.objects.none().values(project=project_key())
    first, *rest = querysets
    # UNION (not UNION ALL): the same project from two sources is one row.
    return (first.union(*rest) if rest else first.distinct()).order_by("project")


def prj1_rows(start, end):
    return _union("supported", start, end)


def prj2_rows(start, end):
    return _union("created", start, end)


def inc1_rows(start, end):
    # One row per project: its latest report before the end, the one no later report before the
    # end follows (an anti-join: one pass over the reports, not a "latest report" subquery per
    # project, which the filter on it would run a second time).
    later = KpiReport.objects.filter(project=OuterRef("project"), reported_on__gt=OuterRef("reported_on"), reported_on__lt=end)
    return (
        KpiReport.objects.filter(reported_on__lt=end, project__incubation_start__lt=end)
        .filter(~Exists(later))
        .values("project", name=F("project__name"), fte_at_entry=F("project__fte_at_entry"), latest_fte=F("fte"))
        .annotate(jobs_created=F("fte") - F("project__fte_at_entry"))
        .order_by("name", "project")
    )


INDICATORS = [
    Indicator(
        code="PRJ-1", app_label="incubator", order=30, unit="projects",
        label=_("Impact projects supported"),
        definition=_("Distinct projects with an incubation or a Fabrique enrolment overlapping the period; a project "
                     "in both (same name) counts once."),
        rows=prj1_rows, aggregate=CountRows(), columns=(("project", _("Project")),),
    ),
    Indicator(
        code="PRJ-2", app_label="incubator", order=31, unit="projects", cumulative=True, target=Decimal(120),
        label=_("Impact projects created (cumulative)"),
        definition=_("Distinct supported projects with a creation date (legal creation, first revenue, or tiers-lieu "
                     "opened) on or before the end of the period, with its evidence."),
        rows=prj2_rows, aggregate=CountRows(), columns=(("project", _("Project")),),
    ),
    Indicator(
        code="INC-1", app_label="incubator", order=32, unit="fte",
        label=_("Jobs created (FTE)"),
        definition=_("Σ over incubated projects of (latest FTE reported on or before the end of the period − FTE at "
                     "entry). Projects without any report are left out; with no report at all the figure is “no data”, not 0."),
        rows=inc1_rows, aggregate=SumOf("jobs_created", none_if_empty=True), links=(("name", "incubator:project", "project"),),
        columns=(("name", _("Project")), ("fte_at_entry", _("FTE at entry")), ("latest_fte", _("Latest FTE")),
                 ("jobs_created", _("Jobs created"))),
    ),
]
