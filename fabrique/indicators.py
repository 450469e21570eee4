"""Impact indicators of the Fabrique de Territoire (DOMAIN.md §1): FAB-1 to FAB-4, and its projects for PRJ-1/PRJ-2."""

from decimal import Decimal

from django.db.models import Count, Exists, F, FilteredRelation, Max, OuterRef, Q
from django.db.models.functions import Lower, Trim
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fabrique.models import Attendance, Deliverable, DeliverableKind, Enrolment, Outcome, Session
from members.models import User
from quai.impact import CountRows, Detail, Indicator, RatioOf, local_midnight
from quai.registry import ProjectSource


def fabrique_supported(start, end):
    return Enrolment.objects.overlapping(start, end).values(project=Lower(Trim("project_name")))


def fabrique_created(start, end):
    # A tiers-lieu opened after the programme is the Fabrique's "project created" (its evidence is the outcome).
    return Outcome.objects.filter(opened_on__lt=end).values(project=Lower(Trim("enrolment__project_name")))


SOURCE = ProjectSource(name="fabrique", supported=fabrique_supported, created=fabrique_created)


def fab1_rows(start, end):
    enrolled = Enrolment.objects.overlapping(start, end).filter(holder=OuterRef("pk"))
    return User.objects.filter(Exists(enrolled)).values("id", "last_name", "first_name").order_by("last_name", "first_name", "id")


REQUIRED = (DeliverableKind.VALUE_PROPOSITION, DeliverableKind.BUSINESS_PLAN)


def fab2_rows(start, end):
    # One pass over the validated required deliverables, grouped per enrolment: both must be
    # validated (two rows), and the graduation date is the later validation.
    return (
        Deliverable.objects.filter(kind__in=REQUIRED, status=Deliverable.Status.VALIDATED)
        .values("enrolment", project_name=F("enrolment__project_name"), cohort_name=F("enrolment__cohort__name"),
                holder_last_name=F("enrolment__holder__last_name"))
        .annotate(validated=Count("pk"), graduated_on=Max("validated_on"))
        .filter(validated=len(REQUIRED), graduated_on__gte=start, graduated_on__lt=end)
        .order_by("graduated_on", "enrolment")
    )


def fab3_rows(start, end):
    return (
        Outcome.objects.filter(opened_on__gte=start, opened_on__lt=end)
        .values("id", "name", "commune", "opened_on", project_name=F("enrolment__project_name"))
        .order_by("opened_on", "id")
    )


def outcomes_cumulative(start, end) -> int:
    return Outcome.objects.filter(opened_on__lt=end).count()


def _collective_held(start, end):
    # Sessions of the period that have taken place (attendance of a future session is not expected yet).
    return Session.objects.filter(**_held_condition("", start, end))


def _held_condition(prefix, start, end) -> dict:
    return {f"{prefix}kind": Session.Kind.COLLECTIVE, f"{prefix}starts_at__gte": local_midnight(start),
            f"{prefix}starts_at__lt": min(local_midnight(end), timezone.now())}


def fab4_rows(start, end):
    # One grouped pass: each enrolment joined to its cohort's collective sessions held in the period
    # (one row each: the expected presences), and to its own attendance at each of them (if marked).
    return (
        Enrolment.objects.alias(
            held=FilteredRelation("cohort__sessions", condition=Q(**_held_condition("cohort__sessions__", start, end))),
            mark=FilteredRelation("held__attendances", condition=Q(held__attendances__enrolment=F("pk"))),
        )
        .filter(held__isnull=False)
        .values("id", "project_name", holder_last_name=F("holder__last_name"))
        .annotate(
            expected=Count("held"),
            present=Count("mark", filter=Q(mark__status=Attendance.Status.PRESENT)),
            excused=Count("mark", filter=Q(mark__status=Attendance.Status.EXCUSED)),
        )
        .order_by("project_name", "id")
    )


def excused_total(start, end) -> int:
    return Attendance.objects.filter(session__in=_collective_held(start, end), status=Attendance.Status.EXCUSED).count()


INDICATORS = [
    Indicator(
        code="FAB-1", app_label="fabrique", order=60, unit="people", target=Decimal(8), target_per_year=True,
        label=_("Fabrique project holders supported"),
        definition=_("Distinct holders enrolled in a cohort overlapping the period."),
        rows=fab1_rows, aggregate=CountRows(), links=(("last_name", "members:staff_detail", "id"),),
        columns=(("id", _("Holder")), ("last_name", _("Last name")), ("first_name", _("First name"))),
    ),
    Indicator(
        code="FAB-2", period_column="graduated_on", app_label="fabrique", order=61, unit="people", target=Decimal(8), target_per_year=True,
        label=_("Fabrique project holders graduated"),
        definition=_("Enrolments whose value proposition and business plan are both validated; the graduation date is "
                     "the date of the last of the two validations, and it falls in the period."),
        rows=fab2_rows, aggregate=CountRows(), links=(("project_name", "fabrique:enrolment", "enrolment"),),
        columns=(("project_name", _("Project")), ("holder_last_name", _("Holder")), ("cohort_name", _("Cohort")),
                 ("graduated_on", _("Graduated on"))),
    ),
    Indicator(
        code="FAB-3", period_column="opened_on", app_label="fabrique", order=62, unit="count",
        label=_("Tiers-lieux opened after the programme"),
        definition=_("Programme outcomes whose tiers-lieu opened in the period (the cumulative figure is shown apart)."),
        rows=fab3_rows, aggregate=CountRows(),
        columns=(("name", _("Tiers-lieu")), ("commune", _("Commune")), ("opened_on", _("Opened on")), ("project_name", _("Project"))),
        details=(Detail("cumulative", _("Opened since the start (cumulative)"), outcomes_cumulative),),
    ),
    Indicator(
        code="FAB-4", app_label="fabrique", order=63, unit="percent",
        label=_("Attendance at collective sessions"),
        definition=_("Present ÷ expected at the collective sessions held in the period, per holder; excused absences "
                     "count as expected and are shown apart."),
        rows=fab4_rows, aggregate=RatioOf("present", "expected"), links=(("project_name", "fabrique:enrolment", "id"),),
        columns=(("project_name", _("Project")), ("holder_last_name", _("Holder")), ("expected", _("Expected")),
                 ("present", _("Present")), ("excused", _("Excused"))),
        details=(Detail("excused", _("Excused absences"), excused_total),),
    ),
]


def card_submissions_waiting(today) -> dict:
    from fabrique.models import Submission
    from quai.compiled import aggregate_once

    # The latest version of a deliverable that is waiting for its review.
    return {"value": aggregate_once(("fabrique.reviews",), lambda: (  # its SQL built once (quai/compiled.py)
        Submission.objects.filter(deliverable__status=Deliverable.Status.SUBMITTED, review__isnull=True).values("deliverable").distinct().count()
    ))}
