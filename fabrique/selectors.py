from django.db.models import Count, DateField, Exists, F, Func, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fabrique.briefs import default_brief
from fabrique.deliverable_templates import template_available
from fabrique.models import Attendance, Cohort, Deliverable, Enrolment, Module, Outcome, Review, Session, Submission
from members.selectors import text_query, text_vector
from quai.registry import SearchHit


def user_can_coach(user, enrolment: Enrolment) -> bool:
    return user.is_authenticated and (user.is_staff or enrolment.coach_id == user.pk)


# --- Who may submit and review: the one statement of each rule, for the pages (show the form or
# not) and the services (refuse, and check again under the deliverable's lock) -------------------

REVIEW_NOT_COACH = _("Only the holder's coach or staff can review.")


def submission_create_refusal(user, deliverable: Deliverable) -> str | None:
    """Why `user` may not submit a new version of `deliverable` (None: they may)."""
    if deliverable.enrolment.holder_id != user.pk:
        return _("Only the holder can submit this deliverable.")
    if deliverable.status == Deliverable.Status.VALIDATED:
        return _("This deliverable is already validated.")
    return None


def submission_review_refusal(user, submission: Submission, *, latest_version: int | None, reviewed: bool) -> str | None:
    """Why `user` may not review `submission` (None: they may): the coach (or staff) reviews the
    latest version, once."""
    if not user_can_coach(user, submission.deliverable.enrolment):
        return REVIEW_NOT_COACH
    if latest_version != submission.version:
        return _("A newer version was submitted; review that one.")
    if reviewed:
        return _("This version has already been reviewed.")
    return None


# --- One access helper per object: anything the user may not see is a 404 ------------------------

def enrolment_get_for_user(user, pk: int) -> Enrolment:
    return get_object_or_404(Enrolment.objects.visible_to(user).select_related("cohort", "holder", "coach"), pk=pk)


def deliverable_get_for_user(user, pk: int) -> Deliverable:
    visible = Enrolment.objects.visible_to(user).values("pk")
    return get_object_or_404(
        Deliverable.objects.filter(enrolment__in=visible).select_related("enrolment__holder", "enrolment__coach",
                                                                        "enrolment__cohort"),
        pk=pk,
    )


def submission_get_for_user(user, pk: int) -> Submission:
    visible = Enrolment.objects.visible_to(user).values("pk")
    return get_object_or_404(
        Submission.objects.filter(deliverable__enrolment__in=visible).select_related(
            "deliverable__enrolment__holder", "deliverable__enrolment__coach"),
        pk=pk,
    )


def session_get_for_coach(user, pk: int) -> Session:
    if not user.is_authenticated:
        return get_object_or_404(Session.objects.none(), pk=pk)
    sessions = Session.objects.select_related("cohort", "enrolment")
    if not user.is_staff:
        sessions = sessions.filter(Q(cohort__enrolments__coach=user) | Q(enrolment__coach=user)).distinct()
    return get_object_or_404(sessions, pk=pk)


def session_get_for_user(user, pk: int) -> Session:
    """A session its holder(s) may see (their cohort's collective sessions, their own one-to-ones),
    their coach, or staff."""
    if not user.is_authenticated:
        return get_object_or_404(Session.objects.none(), pk=pk)
    sessions = Session.objects.select_related("cohort", "enrolment")
    if not user.is_staff:
        visible = Enrolment.objects.visible_to(user)
        sessions = sessions.filter(
            Q(kind=Session.Kind.COLLECTIVE, cohort__enrolments__in=visible) | Q(enrolment__in=visible)
        ).distinct()
    return get_object_or_404(sessions, pk=pk)


def session_enrolments(session: Session) -> list[Enrolment]:
    """Who is expected at a session: the cohort (collective) or the one holder (one-to-one)."""
    if session.kind == Session.Kind.ONE_TO_ONE:
        return list(Enrolment.objects.filter(pk=session.enrolment_id).select_related("holder"))
    return list(Enrolment.objects.filter(cohort_id=session.cohort_id).select_related("holder").order_by("holder__last_name"))


# --- Progress towards graduation ----------------------------------------------------------------

def session_is_held(session: Session, *, now, attended: bool) -> bool:
    """THE rule for attendance: a collective session counts once it has started, or once the coach
    has taken this holder's attendance for it. Sessions still to come never lower the rate
    (6 present of 6 held is 100 %, whatever is planned after)."""
    return session.starts_at <= now or attended


def held_sessions_q(enrolment_ref, now) -> Q:
    """The same rule as `session_is_held`, as a filter on Session (for counts in SQL)."""
    return Q(starts_at__lte=now) | Q(Exists(Attendance.objects.filter(session_id=OuterRef("pk"), enrolment_id=enrolment_ref)))


def _progress(enrolment, *, required: int, validated: int, last_validation, held: int, present: int, excused: int,
              planned: int) -> dict:
    """THE graduation rule, on counts: every required deliverable validated, and attendance at the
    collective sessions held ≥ the cohort's threshold. `enrolment.cohort` must be loaded (its threshold)."""
    threshold = enrolment.cohort.attendance_threshold
    rate = round(100 * present / held) if held else 0
    attendance_ok = held > 0 and present * 100 >= threshold * held
    deliverables_ok = required > 0 and validated == required
    return {
        "validated_count": validated,
        "required_count": required,
        "held": held,
        "planned": planned,
        "present": present,
        "excused": excused,
        "attendance_rate": rate,
        "threshold": threshold,
        "attendance_ok": attendance_ok,
        "eligible": deliverables_ok and attendance_ok,
        "last_validation": last_validation,
        "steps_done": validated + (1 if attendance_ok else 0),
        "steps_total": required + 1,
    }


def _deliverable_counts(deliverables) -> dict:
    """The deliverables' part of the rule, from loaded rows (`enrolments_with_progress` counts the same in SQL)."""
    required = [d for d in deliverables if d.required_for_graduation]
    validated = [d for d in required if d.status == Deliverable.Status.VALIDATED]
    return {"required": len(required), "validated": len(validated),
            "last_validation": max((d.validated_on for d in validated), default=None)}


def progress_for(enrolment: Enrolment) -> dict:
    collective = Session.objects.filter(cohort_id=enrolment.cohort_id, kind=Session.Kind.COLLECTIVE)
    held = collective.filter(held_sessions_q(enrolment.pk, timezone.now())).count()
    counts = Attendance.objects.filter(enrolment=enrolment, session__kind=Session.Kind.COLLECTIVE).aggregate(
        present=Count("pk", filter=Q(status=Attendance.Status.PRESENT)),
        excused=Count("pk", filter=Q(status=Attendance.Status.EXCUSED)),
    )
    return _progress(enrolment, **_deliverable_counts(enrolment.deliverables.all()), held=held,
                     present=counts["present"], excused=counts["excused"], planned=collective.count())


def enrolments_with_progress(queryset) -> list[Enrolment]:
    """Enrolments with `.progress`, in one query: every figure of the rule is a correlated count (or
    max) per enrolment row, so neither the sessions × attendances product nor the deliverables are
    loaded. The cohort is joined (its threshold); the caller adds what its page shows
    (`select_related`, `only`)."""
    def count_of(queryset):
        # SELECT COUNT(*) ... WHERE <correlated>: one row, no GROUP BY.
        counted = queryset.order_by().annotate(n=Func(F("pk"), function="COUNT")).values("n")
        return Coalesce(Subquery(counted, output_field=IntegerField()), 0)

    sessions = Session.objects.filter(cohort_id=OuterRef("cohort_id"), kind=Session.Kind.COLLECTIVE)
    held = sessions.filter(held_sessions_q(OuterRef(OuterRef("pk")), timezone.now()))
    attended = Attendance.objects.filter(enrolment_id=OuterRef("pk"), session__kind=Session.Kind.COLLECTIVE)
    required = Deliverable.objects.filter(enrolment_id=OuterRef("pk"), required_for_graduation=True)
    validated = required.filter(status=Deliverable.Status.VALIDATED)
    last_validation = validated.order_by().annotate(last=Func(F("validated_on"), function="MAX")).values("last")
    enrolments = list(
        queryset.select_related("cohort").annotate(
            planned_total=count_of(sessions),
            held_total=count_of(held),
            present=count_of(attended.filter(status=Attendance.Status.PRESENT)),
            excused=count_of(attended.filter(status=Attendance.Status.EXCUSED)),
            required_total=count_of(required),
            validated_total=count_of(validated),
            last_validation=Subquery(last_validation, output_field=DateField()),
        )
    )
    for enrolment in enrolments:
        enrolment.progress = _progress(
            enrolment, required=enrolment.required_total, validated=enrolment.validated_total,
            last_validation=enrolment.last_validation, held=enrolment.held_total, present=enrolment.present,
            excused=enrolment.excused, planned=enrolment.planned_total)
    return enrolments


def deliverable_due_next(deliverables):
    """The next deadline: the earliest deliverable still to be handed in (to do, or changes requested).
    One waiting for the coach's review is not the holder's next deadline."""
    open_statuses = {Deliverable.Status.TODO, Deliverable.Status.CHANGES_REQUESTED}
    pending = sorted((d for d in deliverables if d.status in open_statuses), key=lambda d: (d.due_on, d.pk))
    return pending[0] if pending else None


def holder_dashboard(enrolment: Enrolment) -> dict:
    """Everything the holder's page shows, in a constant number of queries."""
    now = timezone.now()
    deliverables = list(enrolment.deliverables.all())
    sessions = list(
        Session.objects.filter(Q(cohort_id=enrolment.cohort_id, kind="collective") | Q(enrolment=enrolment)).order_by("starts_at")
    )
    attendance = {a.session_id: a for a in Attendance.objects.filter(enrolment=enrolment)}
    collective = [s for s in sessions if s.kind == Session.Kind.COLLECTIVE]
    present = sum(1 for s in collective if attendance.get(s.pk) and attendance[s.pk].status == "present")
    excused = sum(1 for s in collective if attendance.get(s.pk) and attendance[s.pk].status == "excused")
    held = sum(1 for s in collective if session_is_held(s, now=now, attended=s.pk in attendance))
    progress = _progress(enrolment, **_deliverable_counts(deliverables), held=held, present=present, excused=excused,
                         planned=len(collective))
    for session in sessions:
        session.my_attendance = attendance.get(session.pk)
    timeline = sorted(
        [("session", timezone.localtime(s.starts_at).date(), s) for s in sessions]
        + [("deadline", d.due_on, d) for d in deliverables],
        key=lambda item: (item[1], item[0]),
    )
    # The latest review only (not every submission with its text): ties go to the earliest
    # deliverable, then its latest version.
    latest_review = Review.objects.filter(submission__deliverable__enrolment=enrolment).select_related(
        "submission").order_by("-reviewed_at", "submission__deliverable__due_on", "submission__deliverable_id",
                               "-submission__version").first()
    by_id = {d.pk: d for d in deliverables}
    latest_feedback = (by_id[latest_review.submission.deliverable_id], latest_review) if latest_review else None
    due_next = deliverable_due_next(deliverables)
    return {
        "enrolment": enrolment,
        "deliverables": deliverables,
        "sessions": sessions,
        "next_sessions": [s for s in sessions if s.ends_at >= now][:3],
        "timeline": timeline,
        "due_next": due_next,
        "latest_feedback": latest_feedback,
        "progress": progress,
        "required_deliverables": [d for d in deliverables if d.required_for_graduation],
    }


def coach_queue(user):
    """Latest submissions waiting for a review, oldest first (the coach's, or all for staff)."""
    submissions = Submission.objects.filter(deliverable__status=Deliverable.Status.SUBMITTED, review__isnull=True)
    if not user.is_staff:
        submissions = submissions.filter(deliverable__enrolment__coach=user)
    return submissions.select_related("deliverable__enrolment__holder").order_by("submitted_at")


def coach_queue_by_due_date(user, *, today=None) -> list[dict]:
    """The queue grouped by the deliverables' due date, earliest first; a group whose date has
    passed is flagged overdue. Within a day, oldest submission first."""
    today = today or timezone.localdate()
    groups: dict = {}
    # Only what the page shows of each submission (not its text) and of its deliverable and holder.
    shown = coach_queue(user).only(
        "deliverable_id", "version", "submitted_at", "deliverable__title", "deliverable__due_on",
        "deliverable__enrolment_id", "deliverable__enrolment__holder__first_name",
        "deliverable__enrolment__holder__last_name", "deliverable__enrolment__holder__email")
    for submission in shown:
        groups.setdefault(submission.deliverable.due_on, []).append(submission)
    return [{"due_on": due_on, "overdue": due_on < today, "submissions": groups[due_on]} for due_on in sorted(groups)]


def coach_queue_next(user, *, exclude_deliverable=None):
    """The submission a coach should review next (earliest due date, then oldest), or None."""
    queue = coach_queue(user).order_by("deliverable__due_on", "submitted_at")
    if exclude_deliverable is not None:
        queue = queue.exclude(deliverable=exclude_deliverable)
    return queue.select_related("deliverable__enrolment__holder").first()


def coached_enrolments(user):
    """The coach's holders, with only what their dashboard shows (for `enrolments_with_progress`)."""
    return Enrolment.objects.filter(coach=user).select_related("cohort", "holder").only(
        "cohort_id", "holder_id", "project_name", "graduated_at", "cohort__name", "cohort__attendance_threshold",
        "holder__first_name", "holder__last_name", "holder__email",
    ).order_by("-cohort__start", "project_name")


# --- Indicators (DOMAIN.md §1) ----------------------------------------------------------------

def fab1_holders_supported(*, start, end) -> int:
    """FAB-1: distinct holders enrolled in a cohort overlapping [start, end)."""
    return Enrolment.objects.overlapping(start, end).values("holder").distinct().count()


def fab2_graduates(*, start, end):
    """FAB-2: enrolments graduated in [start, end) (graduation date = last required validation)."""
    return Enrolment.objects.filter(graduated_at__gte=start, graduated_at__lt=end)


def fab3_tiers_lieux_opened(*, start=None, end) -> int:
    """FAB-3: outcomes with an opening date in [start, end) (start=None: cumulative)."""
    outcomes = Outcome.objects.filter(opened_on__lt=end)
    if start is not None:
        outcomes = outcomes.filter(opened_on__gte=start)
    return outcomes.count()


def fab4_attendance(*, cohort: Cohort) -> list[dict]:
    """FAB-4: present ÷ expected collective sessions per holder (excused shown apart)."""
    return [
        {"enrolment": e, "present": e.progress["present"], "excused": e.progress["excused"],
         "expected": e.progress["held"], "rate": e.progress["attendance_rate"]}
        for e in enrolments_with_progress(Enrolment.objects.filter(cohort=cohort).select_related("holder"))
    ]


def prj2_tiers_lieux_created(*, until):
    """PRJ-2 (Fabrique side): tiers-lieux opened ≤ until, with their evidence (the outcome)."""
    return Outcome.objects.filter(opened_on__lte=until).select_related("enrolment")


# --- The brief of a deliverable (fabrique/briefs.py, overridden per cohort by staff) -------------

def module_for_deliverable(deliverable: Deliverable):
    """The cohort's module whose deliverable this is (the earliest month if staff gave two the same kind)."""
    return Module.objects.filter(cohort_id=deliverable.enrolment.cohort_id, deliverable_kind=deliverable.kind).order_by(
        "month").first()


def brief_effective(module, kind: str) -> dict:
    """The brief of `kind` as a cohort shows it: the module's own text where staff wrote one, else the
    programme's default."""
    default = default_brief(kind)
    produce = (module.deliverable_brief if module else "") or (default.produce if default else "")
    criteria_text = module.deliverable_criteria if module else ""
    criteria = [line.strip() for line in criteria_text.splitlines() if line.strip()] or (
        list(default.criteria) if default else [])
    length = (module.deliverable_length if module else "") or (default.length if default else "")
    return {"produce": produce, "criteria": criteria, "length": length}


def deliverable_brief(deliverable: Deliverable) -> dict:
    """What the holder's page and the coach's review show about the deliverable: the brief, the module
    it closes and the template to download (one query: the module)."""
    module = module_for_deliverable(deliverable)
    brief = brief_effective(module, deliverable.kind)
    brief.update({"module": module, "has_template": template_available(deliverable.kind)})
    return brief


def staff_person_search(*, text: str, people, limit: int):
    """The Fabrique part of the staff search for a person (quai.registry.PersonSearch): the
    enrolments of the holders the member search finds, and those whose project's name matches
    (accents and case ignored), newest cohort first, each linking to the holder's enrolment page.
    One query, whatever the number of enrolments."""
    query = text_query(text)
    if query is None:
        return [], False
    enrolments = list(
        Enrolment.objects.select_related("holder", "cohort")
        .annotate(match=text_vector("project_name"))
        .filter(Q(holder__in=people) | Q(match=query))
        .order_by("-cohort__start", "holder__last_name", "holder__first_name", "pk")[: limit + 1]
    )
    today = timezone.localdate()
    hits = []
    for enrolment in enrolments[:limit]:
        if enrolment.graduated_at:
            badge = _("graduated")
        elif enrolment.cohort.end >= today:
            badge = _("in progress")
        else:
            badge = _("not graduated")
        hits.append(SearchHit(
            title=enrolment.holder.get_full_name() or enrolment.holder.email,
            url=reverse("fabrique:enrolment", args=[enrolment.pk]),
            detail=f"{enrolment.project_name} · {enrolment.cohort.name}",
            badge=str(badge),
        ))
    return hits, len(enrolments) > limit
