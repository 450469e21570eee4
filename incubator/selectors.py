"""Incubator reads: one access helper per object on top of `visible_to(user)`, the pages' data in a
constant number of queries, the pipeline's alerts and the indicators' rows.

Access: staff see everything; a coach their projects; a founder their team's projects; a member
their own applications and the calls open today. Everything else is a missing row (→ 404).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.contrib.postgres.aggregates import StringAgg
from django.db.models import Avg, Count, Exists, F, Max, OuterRef, Prefetch, Q, Subquery, Value
from django.db.models.functions import Coalesce, Concat, NullIf, Trim
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from incubator.models import (
    Application, Call, Criterion, KpiReport, MentoringSession, Milestone, Project, Review, TeamMember,
)

from members.selectors import text_query, text_vector
from quai.charts import axis, number_format
from quai.registry import SearchHit

SESSION_ALERT_AFTER = datetime.timedelta(days=61)  # "no session for 2 months"


# --- Quarters (KPI reports are quarterly) ---

def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month - 1) // 3 + 1


def quarter_bounds(day: datetime.date) -> tuple[datetime.date, datetime.date]:
    """[first day, last day] of the quarter containing `day`."""
    year, quarter = quarter_of(day)
    first = datetime.date(year, 3 * quarter - 2, 1)
    next_first = datetime.date(year + (quarter == 4), 1 if quarter == 4 else 3 * quarter + 1, 1)
    return first, next_first - datetime.timedelta(days=1)


# --- Who may do what on a project (the project's team is prefetched by the access helpers) ---

def user_can_coach(user, project: Project) -> bool:
    return user.is_staff or (project.coach_id is not None and project.coach_id == user.pk)


def user_is_team_member(user, project: Project) -> bool:
    return TeamMember.objects.filter(project=project, member_id=user.pk).exists() if user.is_authenticated else False


def user_can_report(user, project: Project) -> bool:
    return user_can_coach(user, project) or user_is_team_member(user, project)


# --- Calls and applications ---

def call_list_open(*, day: datetime.date | None = None):
    day = day or timezone.localdate()
    return Call.objects.open_on(day).prefetch_related("criteria").order_by("closes_on", "pk")


def call_list_for_user(user):
    """Staff: every call with its application counts; members: the calls open today."""
    return (
        Call.objects.visible_to(user)
        .annotate(submitted=Count("applications", filter=~Q(applications__status__in=["draft", "withdrawn"])))
        .order_by("-opens_on", "pk")
    )


def call_get_for_user(user, pk: int) -> Call:
    """Staff: any call; members: an open call only (a closed or future call is a 404)."""
    return get_object_or_404(Call.objects.visible_to(user).prefetch_related("criteria"), pk=pk)


def application_get_for_user(user, pk: int) -> Application:
    return get_object_or_404(
        Application.objects.visible_to(user).select_related("call", "applicant").prefetch_related("call__criteria"),
        pk=pk,
    )


def application_list_for_user(user):
    return Application.objects.visible_to(user).select_related("call").order_by("-created_at")


def application_list_for_call(call: Call):
    """Staff list of a call's applications (drafts are the applicant's own business), with their scores."""
    return (
        call.applications.exclude(status=Application.Status.DRAFT)
        .select_related("applicant")
        .annotate(
            review_count=Count("reviews", filter=Q(reviews__round=F("review_round")), distinct=True),
            average_score=Avg("reviews__weighted_score", filter=Q(reviews__round=F("review_round"))),
        )
        .order_by("-average_score", "created_at")
    )


def application_reviews(application: Application):
    return (
        Review.objects.filter(application=application)
        .select_related("reviewer")
        .prefetch_related("scores__criterion")
        .order_by("round", "created_at")
    )


def weighted_score(scores: dict[int, int], criteria: list[Criterion]) -> Decimal:
    """Σ(score × weight) ÷ Σ weight, rounded to 2 decimals (0–5)."""
    total_weight = sum(c.weight for c in criteria)
    if not total_weight:
        return Decimal("0")
    total = sum(Decimal(scores[c.pk]) * c.weight for c in criteria)
    return (total / total_weight).quantize(Decimal("0.01"))


# --- Projects ---

def _latest_report(field: str):
    return Subquery(KpiReport.objects.filter(project=OuterRef("pk")).order_by("-reported_on").values(field)[:1])


def _last_held_session(today):
    """The date of a project's last session held (planned sessions ahead don't count: a session
    planned next week does not make one held two months ago recent)."""
    return Max("sessions__date", filter=Q(sessions__date__lte=today))


def project_list_for_user(user):
    """Projects the user may see, with what the list pages show (constant number of queries)."""
    return (
        Project.objects.visible_to(user)
        .select_related("coach")
        .prefetch_related("team")
        .annotate(latest_fte=_latest_report("fte"), last_report_on=_latest_report("reported_on"))
        .order_by("status", "name")
    )


def project_list_mine(user):
    """"My projects": those I am in the team of, or coach (staff see everything on the pipeline)."""
    team = TeamMember.objects.filter(member=user).values("project_id")
    return project_list_for_user(user).filter(Q(coach=user) | Q(pk__in=team))


def project_get_for_user(user, pk: int) -> Project:
    """One project the user may see, with its page's data; anyone else gets a 404 (never a 403 that leaks)."""
    return get_object_or_404(
        Project.objects.visible_to(user)
        .select_related("coach")
        .prefetch_related(
            Prefetch("memberships", queryset=TeamMember.objects.select_related("member")),
            "milestones",
            "kpi_reports",
            Prefetch("sessions", queryset=MentoringSession.objects.select_related("coach")),
        ),
        pk=pk,
    )


def milestone_get_for_user(user, pk: int) -> Milestone:
    return get_object_or_404(
        Milestone.objects.filter(project__in=Project.objects.visible_to(user)).select_related("project"), pk=pk
    )


def session_list_for_project(project: Project):
    return project.sessions.select_related("coach").order_by("-date", "-pk")


# --- Dashboard: KPI history chart (server-rendered SVG with its table) and next milestones ---

@dataclass(frozen=True)
class ChartPoint:
    label: str
    value: Decimal
    x: float
    y: float


@dataclass(frozen=True)
class LineChart:
    title: str
    points: list[ChartPoint]
    polyline: str
    ticks: list[tuple[float, str]]  # (y, label)
    width: int
    height: int
    left: int = 0
    right: int = 0
    bottom: int = 0
    top: int = 0


# The viewBox is small so that its 12-unit text stays readable when a phone shrinks the chart to ~350 px.
CHART_WIDTH, CHART_HEIGHT, CHART_LEFT, CHART_RIGHT, CHART_BOTTOM, CHART_TOP = 400, 200, 48, 16, 28, 12


def line_chart(title: str, series: list[tuple[str, Decimal]]) -> LineChart | None:
    """Coordinates of a simple line chart (oldest left); None without data."""
    series = [(label, value) for label, value in series if value is not None]
    if not series:
        return None
    top, tick_values = axis([Decimal(value) for _label, value in series])
    plot_w = CHART_WIDTH - CHART_LEFT - CHART_RIGHT
    plot_h = CHART_HEIGHT - CHART_BOTTOM - CHART_TOP
    step = plot_w / max(len(series) - 1, 1)
    points = []
    for index, (label, value) in enumerate(series):
        x = CHART_LEFT + (index * step if len(series) > 1 else plot_w / 2)
        y = CHART_TOP + plot_h * (1 - float(value / top))
        points.append(ChartPoint(label, value, round(x, 1), round(y, 1)))
    ticks = [(round(CHART_TOP + plot_h * (1 - float(tick / top)), 1), _format_tick(tick, top)) for tick in tick_values]
    return LineChart(title, points, " ".join(f"{p.x},{p.y}" for p in points), ticks, CHART_WIDTH, CHART_HEIGHT,
                     left=CHART_LEFT, right=CHART_WIDTH - CHART_RIGHT, bottom=CHART_HEIGHT - CHART_BOTTOM, top=CHART_TOP)


def _format_tick(value: Decimal, top: Decimal) -> str:
    """In the page's language, without trailing zeros ("2,5", "5 000"); on an axis that reaches
    10 000 (euros of revenue) every tick in thousands, "5 k", "12,5 k": room for about six characters."""
    numbers = number_format()
    in_thousands = top >= 10_000
    text = numbers(value / 1000 if in_thousands else value)
    if numbers.decimal_sep in text:
        text = text.rstrip("0").rstrip(numbers.decimal_sep)
    return f"{text}\u202fk" if in_thousands and value else text


def session_is_upcoming(session: MentoringSession, *, now: datetime.datetime) -> bool:
    """A session is ahead until it ends: with a time, until its start + duration (Europe/Paris).
    Without a time, only from tomorrow on: one dated today without a time is the record of a session
    the coach has just held (sessions are logged afterwards; a planned one is given its time)."""
    if session.ends_at is not None:
        return session.ends_at > now
    return session.date > timezone.localtime(now).date()


def session_next(sessions, *, now: datetime.datetime) -> MentoringSession | None:
    """THE next mentoring session: the earliest one not over yet (past sessions never count); on one
    day, a timed session before an untimed one."""
    upcoming = [s for s in sessions if session_is_upcoming(s, now=now)]
    return min(upcoming, key=lambda s: (s.date, s.start_time is None, s.start_time or datetime.time.min, s.pk),
               default=None)


def session_get_for_user(user, pk: int) -> MentoringSession:
    """A mentoring session of a project the user may see (its team, its coach, staff); else 404."""
    return get_object_or_404(
        MentoringSession.objects.filter(project__in=Project.objects.visible_to(user)).select_related("project", "coach"),
        pk=pk,
    )


def project_dashboard(project: Project, *, today: datetime.date | None = None, now: datetime.datetime | None = None) -> dict:
    """What the team's dashboard shows, from the prefetched rows (no extra query)."""
    now = now or timezone.now()
    today = today or timezone.localdate(now)
    reports = sorted(project.kpi_reports.all(), key=lambda r: r.reported_on)
    labels = [r.reported_on.strftime("%d/%m/%y") for r in reports]
    milestones = list(project.milestones.all())
    first, last = quarter_bounds(today)
    sessions = list(project.sessions.all())  # newest first
    next_session = session_next(sessions, now=now)
    return {
        "reports": list(reversed(reports)),
        "fte_chart": line_chart("fte", list(zip(labels, [r.fte for r in reports]))),
        "revenue_chart": line_chart("revenue", list(zip(labels, [r.revenue_eur for r in reports]))),
        "next_milestones": [m for m in milestones if m.done_on is None][:5],
        "done_milestones": [m for m in milestones if m.done_on is not None],
        "reported_this_quarter": any(first <= r.reported_on <= last for r in reports),
        "quarter": quarter_of(today),
        "memberships": list(project.memberships.all()),
        "sessions": sessions,
        "next_session": next_session,
        "upcoming_sessions": [s for s in sessions if s is not next_session and session_is_upcoming(s, now=now)][::-1],
        "past_sessions": [s for s in sessions if not session_is_upcoming(s, now=now)],
    }


# --- Staff pipeline ---

def pipeline(*, today: datetime.date | None = None, status: str = "") -> dict:
    """Projects grouped by status then stage, with last report and session dates and their alerts (1 query
    for the projects, 1 for the teams).

    - "statuses": one entry per status (those with no project included, for the filter's counts):
      its label, number of projects and of projects with an alert, and its stage groups — all of
      them, whatever `status`, so that the page's status links can show every count;
    - "groups": the stage groups of `status` (every status when empty), flat;
    - "alerts": active projects without a report this quarter / without a session for 2 months.
    """
    today = today or timezone.localdate()
    quarter_start, _quarter_end = quarter_bounds(today)
    projects = (
        Project.objects.select_related("coach")
        .prefetch_related("team")
        .annotate(latest_fte=_latest_report("fte"), last_report_on=_latest_report("reported_on"),
                  last_session_on=_last_held_session(today))
        .order_by("name")
    )
    status = status if status in Project.Status.values else ""
    groups: dict[tuple[str, str], list] = {}
    alerts = {"no_report": 0, "no_session": 0}
    for project in projects:
        project.alert_no_report = project.status == Project.Status.ACTIVE and (
            project.last_report_on is None or project.last_report_on < quarter_start)
        project.alert_no_session = project.status == Project.Status.ACTIVE and (
            (project.last_session_on or project.incubation_start) < today - SESSION_ALERT_AFTER)
        alerts["no_report"] += project.alert_no_report
        alerts["no_session"] += project.alert_no_session
        groups.setdefault((project.status, project.stage), []).append(project)
    statuses, ordered = [], []
    for status_value, status_label in Project.Status.choices:
        stage_groups = [
            {"status": status_value, "status_label": status_label, "stage": stage_value, "stage_label": stage_label,
             "projects": groups[(status_value, stage_value)]}
            for stage_value, stage_label in Project.Stage.choices if (status_value, stage_value) in groups
        ]
        members = [project for group in stage_groups for project in group["projects"]]
        statuses.append({"status": status_value, "label": status_label, "groups": stage_groups, "count": len(members),
                         "alerted": sum(1 for p in members if p.alert_no_report or p.alert_no_session)})
        if status in ("", status_value):
            ordered.extend(stage_groups)
    return {"groups": ordered, "statuses": statuses, "total": sum(entry["count"] for entry in statuses), "alerts": alerts,
            "quarter_start": quarter_start}


# --- Indicator rows (PRJ-1, PRJ-2, INC-1) ---

def inc1_jobs_created(*, until) -> Decimal | None:
    """INC-1: Σ over projects of (latest FTE reported ≤ until − FTE at entry). No report at all → None ("no data")."""
    latest = KpiReport.objects.filter(project=OuterRef("pk"), reported_on__lte=until).order_by("-reported_on")
    rows = list(
        Project.objects.filter(incubation_start__lte=until)
        .annotate(latest_fte=Subquery(latest.values("fte")[:1]))
        .exclude(latest_fte=None)
        .values_list("latest_fte", "fte_at_entry")
    )
    if not rows:
        return None
    return sum((latest - entry for latest, entry in rows), Decimal("0"))


def prj2_projects_created(*, until) -> int:
    """PRJ-2 (incubator side): projects with a creation date ≤ until, each with its evidence."""
    return Project.objects.filter(created_on__lte=until).count()


# --- The staff search for a person ---

def staff_person_search(*, text: str, people, limit: int) -> tuple[list[SearchHit], bool]:
    """The incubator part of the staff search for a person (quai.registry.PersonSearch): the
    projects whose team holds someone the member search finds (a founder), and those whose name
    matches (accents and case ignored), by name, each with its team and linking to the project's
    page. One query (the team's names aggregated), whatever the number of projects."""
    query = text_query(text)
    if query is None:
        return [], False
    in_team = TeamMember.objects.filter(project=OuterRef("pk"), member__in=people)
    name = Coalesce(NullIf(Trim(Concat("memberships__member__first_name", Value(" "), "memberships__member__last_name")), Value("")),
                    "memberships__member__email")
    projects = list(
        Project.objects.annotate(match=text_vector("name"))
        .filter(Exists(in_team) | Q(match=query))
        .annotate(team_names=StringAgg(name, ", ", order_by=("memberships__member__last_name", "memberships__member__first_name"),
                                       default=Value("")))
        .order_by("name", "pk")[: limit + 1]
    )
    hits = [
        SearchHit(title=project.name, url=reverse("incubator:project", args=[project.pk]),
                  detail=str(_("Team: %(names)s") % {"names": project.team_names}) if project.team_names else "",
                  badge=str(project.get_status_display()))
        for project in projects[:limit]
    ]
    return hits, len(projects) > limit
