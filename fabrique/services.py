import calendar
import datetime
import os

from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fabrique import files, selectors
from fabrique.models import (
    DEFAULT_CURRICULUM, Application, ApplicationScore, Attendance, Cohort, Deliverable, DeliverableKind, Enrolment,
    Module, Outcome, Review, Session, Submission,
)
from quai.audit import audit_log
from quai.dberrors import constraint_name
from quai.errors import ConflictError, DomainError, NotAllowedError
from quai.outbox import outbox_enqueue


def _month_end(start: datetime.date, month: int) -> datetime.date:
    """Last day of the programme's month number `month` (1 = the month the cohort starts)."""
    year = start.year + (start.month - 1 + month - 1) // 12
    mon = (start.month - 1 + month - 1) % 12 + 1
    return datetime.date(year, mon, calendar.monthrange(year, mon)[1])


def cohort_create(*, by, name: str, year: int, start, end, capacity: int = 8) -> Cohort:
    """Staff create a cohort; its curriculum is copied from the default (DOMAIN.md §3), editable afterwards."""
    if not by.is_staff:
        raise NotAllowedError(_("Only staff can create a cohort."))
    if end <= start:
        raise DomainError(_("The end must be after the start."), field="end")
    try:
        with transaction.atomic():  # the cohort, its curriculum and the audit row, or nothing
            cohort = Cohort.objects.create(name=name, year=year, start=start, end=end, capacity=capacity)
            Module.objects.bulk_create(
                Module(cohort=cohort, month=month, title=title, deliverable_kind=kind, deliverable_title=deliverable_title,
                       required_for_graduation=required)
                for month, title, kind, deliverable_title, required in DEFAULT_CURRICULUM
            )
            audit_log(actor=by, action="fabrique.cohort_created", target=cohort, data={"year": year})
    except IntegrityError as error:
        if constraint_name(error) == "fabrique_one_cohort_per_year":
            raise ConflictError(_("There is already a cohort for this year."), field="year") from error
        raise
    return cohort


def module_brief_update(*, module: Module, by, produce: str, criteria: str, length: str) -> Module:
    """Staff rewrite the brief of a module's deliverable for its cohort (holders and coaches see it at once)."""
    if not by.is_staff:
        raise NotAllowedError(_("Only staff can edit a deliverable's brief."))
    if not module.deliverable_kind:
        raise DomainError(_("This month has no deliverable."))
    produce, length = (produce or "").strip(), (length or "").strip()
    criteria = "\n".join(line.strip() for line in (criteria or "").splitlines() if line.strip())
    for field, value in (("produce", produce), ("criteria", criteria), ("length", length)):
        if not value:
            raise DomainError(_("This field is required."), field=field)
    with transaction.atomic():
        module.deliverable_brief, module.deliverable_criteria, module.deliverable_length = produce, criteria, length
        module.save(update_fields=["deliverable_brief", "deliverable_criteria", "deliverable_length"])
        audit_log(actor=by, action="fabrique.brief_updated", target=module,
                  data={"cohort": module.cohort_id, "kind": module.deliverable_kind})
    return module


def application_submit(*, cohort: Cohort, holder, commune: str, project: str, motivation: str, stage: str,
                       territory: str = "") -> Application:
    if not cohort.applications_open:
        raise DomainError(_("Applications to this cohort are closed."))
    try:
        with transaction.atomic():
            return Application.objects.create(cohort=cohort, holder=holder, commune=commune.strip(), project=project.strip(),
                                              motivation=motivation.strip(), stage=stage, territory=territory.strip())
    except IntegrityError:
        raise ConflictError(_("You have already applied to this cohort."))


def application_score(*, application: Application, by, score: int, comment: str = "") -> ApplicationScore:
    if not by.is_staff:
        raise NotAllowedError(_("Only the committee (staff) can score applications."))
    if not 1 <= score <= 5:
        raise DomainError(_("The score must be between 1 and 5."), field="score")
    row, _created = ApplicationScore.objects.update_or_create(
        application=application, reviewer=by, defaults={"score": score, "comment": comment.strip()}
    )
    return row


def application_decide(*, application: Application, by, status: str, coach=None, project_name: str = "") -> Enrolment | None:
    """The committee's decision; a selected holder is enrolled (within capacity) with their coach."""
    if not by.is_staff:
        raise NotAllowedError(_("Only the committee (staff) can decide."))
    if status not in Application.Status.values or status == Application.Status.SUBMITTED:
        raise DomainError(_("Unknown decision."), field="status")
    with transaction.atomic():
        cohort = Cohort.objects.select_for_update().get(pk=application.cohort_id)
        application.status = status
        application.decided_at = timezone.now()
        application.save(update_fields=["status", "decided_at"])
        enrolment = None
        if status == Application.Status.SELECTED:
            if cohort.enrolments.count() >= cohort.capacity:
                raise ConflictError(_("The cohort is full (%(capacity)s holders).") % {"capacity": cohort.capacity})
            enrolment = enrol(cohort=cohort, holder=application.holder, coach=coach, application=application,
                              project_name=project_name or application.project[:200], commune=application.commune)
        audit_log(actor=by, action="fabrique.application_decided", target=application, data={"status": status})
    return enrolment


def enrol(*, cohort: Cohort, holder, coach=None, project_name: str, commune: str = "", application=None) -> Enrolment:
    """Enrol a holder: their deliverables are created from the cohort's curriculum, due at the end of each month."""
    try:
        with transaction.atomic():  # the enrolment and its deliverables, or nothing
            enrolment = Enrolment.objects.create(cohort=cohort, holder=holder, coach=coach, project_name=project_name,
                                                 commune=commune, application=application)
            Deliverable.objects.bulk_create(
                Deliverable(enrolment=enrolment, kind=module.deliverable_kind,
                            title=module.deliverable_title or str(DeliverableKind(module.deliverable_kind).label),
                            due_on=min(_month_end(cohort.start, module.month), cohort.end),
                            required_for_graduation=module.required_for_graduation)
                for module in cohort.modules.exclude(deliverable_kind="")
            )
    except IntegrityError as error:
        if constraint_name(error) == "fabrique_one_enrolment_per_cohort":
            raise ConflictError(_("This holder is already enrolled in this cohort.")) from error
        raise
    return enrolment


def submission_create(*, deliverable: Deliverable, by, text: str = "", upload=None) -> Submission:
    """The holder submits a new version (file or text). Nothing is stored when the file is refused."""
    refusal = selectors.submission_create_refusal(by, deliverable)
    if refusal:
        # Not the holder: not allowed; anything else: a rule of the deliverable.
        raise (NotAllowedError if deliverable.enrolment.holder_id != by.pk else DomainError)(refusal)
    text = (text or "").strip()
    if upload is None and not text:
        raise DomainError(_("Attach a file or write a text."), field="file")
    meta = {}
    if upload is not None:
        extension, content_type = files.check_upload(upload)
        base = os.path.splitext(os.path.basename(upload.name or "document"))[0][:150] or "document"
        meta = {"original_name": f"{base}.{extension}", "content_type": content_type, "size": upload.size}
    submission = None
    try:
        with transaction.atomic():
            locked = Deliverable.objects.select_for_update().select_related("enrolment").get(pk=deliverable.pk)
            refusal = selectors.submission_create_refusal(by, locked)  # again, under the lock: a review may have validated it
            if refusal:
                raise DomainError(refusal)
            version = (locked.submissions.aggregate(v=Max("version"))["v"] or 0) + 1
            submission = Submission(deliverable=locked, version=version, text=text, submitted_by=by, **meta)
            if upload is not None:
                submission.file.save("upload", upload, save=False)
            submission.save()
            locked.status = Deliverable.Status.SUBMITTED
            locked.save(update_fields=["status"])
    except Exception:
        # Nothing is stored when the row is not: remove the file written for it.
        if submission is not None and submission.file:
            submission.file.delete(save=False)
        raise
    deliverable.status = Deliverable.Status.SUBMITTED
    return submission


def submission_review(*, submission: Submission, by, decision: str, feedback: str) -> Review:
    """The coach (or staff) reviews the latest version; validation may graduate the holder (FAB-2)."""
    deliverable = submission.deliverable
    enrolment = deliverable.enrolment
    if not selectors.user_can_coach(by, enrolment):
        raise NotAllowedError(selectors.REVIEW_NOT_COACH)
    if decision not in Review.Decision.values:
        raise DomainError(_("Unknown decision."), field="decision")
    feedback = (feedback or "").strip()
    if not feedback:
        raise DomainError(_("Write some feedback for the holder."), field="feedback")
    with transaction.atomic():
        locked = Deliverable.objects.select_for_update().get(pk=deliverable.pk)
        refusal = selectors.submission_review_refusal(
            by, submission, latest_version=locked.submissions.aggregate(v=Max("version"))["v"],
            reviewed=Review.objects.filter(submission=submission).exists(),
        )
        if refusal:
            raise ConflictError(refusal)
        review = Review.objects.create(submission=submission, reviewer=by, decision=decision, feedback=feedback)
        locked.status = decision
        locked.validated_on = timezone.localdate() if decision == Review.Decision.VALIDATED else None
        locked.save(update_fields=["status", "validated_on"])
        audit_log(actor=by, action="fabrique.submission_reviewed", target=submission,
                  data={"decision": decision, "deliverable": locked.kind, "version": submission.version})
        holder = enrolment.holder
        outbox_enqueue(key=f"fabrique-feedback:{review.pk}", to=holder.email, template="fabrique/feedback", user=holder,
                       context={"name": holder.get_short_name(), "deliverable": locked.title,
                                "decision": review.get_decision_display(), "feedback": feedback, "deliverable_id": locked.pk})
        enrolment_graduate_if_eligible(enrolment=enrolment)
    return review


def enrolment_graduate_if_eligible(*, enrolment: Enrolment) -> bool:
    """Record graduation exactly when the rules are met (required deliverables validated, attendance ≥ threshold).

    Graduation date = date of the last required validation (FAB-2). Once recorded, it stays.
    """
    with transaction.atomic():
        enrolment = Enrolment.objects.select_for_update().select_related("cohort").get(pk=enrolment.pk)
        if enrolment.graduated_at:
            return True
        progress = selectors.progress_for(enrolment)
        if not progress["eligible"]:
            return False
        enrolment.graduated_at = progress["last_validation"]
        enrolment.save(update_fields=["graduated_at"])
        audit_log(actor=None, action="fabrique.graduated", target=enrolment, data={"on": str(enrolment.graduated_at)})
    return True


def attendance_record(*, session: Session, by, statuses: dict) -> int:
    """The coach (or staff) takes attendance: {enrolment_id: status}. Re-taking it updates the rows."""
    enrolments = {e.pk: e for e in selectors.session_enrolments(session)}
    if not (by.is_staff or any(e.coach_id == by.pk for e in enrolments.values())):
        raise NotAllowedError(_("Only the cohort's coaches or staff can take attendance."))
    count = 0
    with transaction.atomic():
        for enrolment_id, status in statuses.items():
            if enrolment_id not in enrolments or status not in Attendance.Status.values:
                continue
            Attendance.objects.update_or_create(session=session, enrolment_id=enrolment_id,
                                                defaults={"status": status, "recorded_by": by})
            count += 1
        for enrolment in enrolments.values():
            enrolment_graduate_if_eligible(enrolment=enrolment)
    return count


def session_create(*, cohort: Cohort, by, title: str, starts_at, ends_at, kind=Session.Kind.COLLECTIVE, enrolment=None,
                   module=None, location: str = "", room_id: int | None = None) -> Session:
    if not (by.is_staff or (enrolment is not None and enrolment.coach_id == by.pk)):
        raise NotAllowedError(_("Only staff (or the holder's coach for one-to-one sessions) can plan a session."))
    if ends_at <= starts_at:
        raise DomainError(_("The end must be after the start."), field="ends_at")
    with transaction.atomic():
        session = Session.objects.create(
            cohort=cohort, title=title, starts_at=starts_at, ends_at=ends_at, kind=kind, enrolment=enrolment,
            module=module, location=location)
        if room_id:
            session = session_book_room(session=session, resource_id=room_id, by=by)
    return session


# --- The room link to coworking: these three functions are the only place that knows about it ---

def session_book_room(*, session: Session, resource_id: int, by) -> Session:
    """Book a coworking room for a session (ConflictError when the room is taken, nothing recorded)."""
    from coworking.services import room_reservation_release, room_reserve_for

    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        booking = room_reserve_for(resource_id=resource_id, starts_at=session.starts_at, ends_at=session.ends_at,
                                   label=f"Fabrique — {session.title}", reserved_by=by)
        if session.room_booking_id:
            room_reservation_release(booking_id=session.room_booking_id)
        session.room_booking_id = booking.pk
        session.save(update_fields=["room_booking_id"])
    return session


def session_reschedule(*, session: Session, by, starts_at, ends_at) -> Session:
    """Move a session; its room booking moves with it (or nothing changes if the room is taken then)."""
    from coworking.services import room_reservation_move

    if not by.is_staff:
        raise NotAllowedError(_("Only staff can move a session."))
    if ends_at <= starts_at:
        raise DomainError(_("The end must be after the start."), field="ends_at")
    with transaction.atomic():
        session = Session.objects.select_for_update().get(pk=session.pk)
        if session.room_booking_id:
            room_reservation_move(booking_id=session.room_booking_id, starts_at=starts_at, ends_at=ends_at)
        session.starts_at, session.ends_at = starts_at, ends_at
        session.save(update_fields=["starts_at", "ends_at"])
    return session


def session_cancel(*, session: Session, by) -> None:
    """Delete a session and release its room."""
    from coworking.services import room_reservation_release

    if not by.is_staff:
        raise NotAllowedError(_("Only staff can cancel a session."))
    with transaction.atomic():
        if session.room_booking_id:
            room_reservation_release(booking_id=session.room_booking_id)
        audit_log(actor=by, action="fabrique.session_cancelled", target=session.cohort, data={"title": session.title})
        session.delete()


def outcome_record(*, enrolment: Enrolment, by, name: str, commune: str, opened_on, evidence: str = "") -> Outcome:
    if not by.is_staff:
        raise NotAllowedError(_("Only staff can record an outcome."))
    with transaction.atomic():
        outcome, _created = Outcome.objects.update_or_create(
            enrolment=enrolment, defaults={"name": name.strip(), "commune": commune.strip(), "opened_on": opened_on,
                                           "evidence": evidence.strip()})
        audit_log(actor=by, action="fabrique.outcome_recorded", target=enrolment, data={"opened_on": str(opened_on)})
    return outcome


def send_reminders(*, today: datetime.date | None = None) -> int:
    """Periodic: each reminder once (outbox key): due in 3 days, overdue, session tomorrow."""
    today = today or timezone.localdate()
    sent = 0
    open_statuses = [Deliverable.Status.TODO, Deliverable.Status.CHANGES_REQUESTED]
    running = Deliverable.objects.filter(enrolment__graduated_at__isnull=True, status__in=open_statuses,
                                         enrolment__cohort__end__gte=today - datetime.timedelta(days=30))
    for deliverable in running.filter(due_on=today + datetime.timedelta(days=3)).select_related("enrolment__holder"):
        holder = deliverable.enrolment.holder
        _m, created = outbox_enqueue(key=f"fabrique-due-soon:{deliverable.pk}:{deliverable.due_on}", to=holder.email,
                                     template="fabrique/due_soon", user=holder,
                                     context={"name": holder.get_short_name(), "deliverable": deliverable.title, "due_on": deliverable.due_on,
                                              "deliverable_id": deliverable.pk})
        sent += created
    for deliverable in running.filter(due_on__lt=today).select_related("enrolment__holder"):
        holder = deliverable.enrolment.holder
        _m, created = outbox_enqueue(key=f"fabrique-overdue:{deliverable.pk}:{deliverable.due_on}", to=holder.email,
                                     template="fabrique/overdue", user=holder,
                                     context={"name": holder.get_short_name(), "deliverable": deliverable.title, "due_on": deliverable.due_on,
                                              "deliverable_id": deliverable.pk})
        sent += created
    tz = timezone.get_current_timezone()
    tomorrow = today + datetime.timedelta(days=1)
    start = datetime.datetime.combine(tomorrow, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(tomorrow + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    for session in Session.objects.filter(starts_at__gte=start, starts_at__lt=end):
        for enrolment in selectors.session_enrolments(session):
            holder = enrolment.holder
            _m, created = outbox_enqueue(key=f"fabrique-session-tomorrow:{session.pk}:{enrolment.pk}", to=holder.email,
                                         template="fabrique/session_tomorrow", user=holder,
                                         context={"name": holder.get_short_name(), "title": session.title,
                                                  "starts_at": session.starts_at, "place": session.location})
            sent += created
    return sent
