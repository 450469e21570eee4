from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View

from fabrique import selectors, services
from fabrique.forms import ApplicationForm, CohortForm, ModuleBriefForm, ModuleFormSet, OutcomeForm, ReviewForm, SessionForm, SubmissionForm
from fabrique.ical import session_ics
from fabrique.models import Application, Attendance, Cohort, Enrolment, Module, Session
from quai.errors import DomainError, NotAllowedError
from quai.ical import calendar_response
from quai.inputs import clean_text, parse_int
from quai.permissions import StaffRequiredMixin


def _form_error(form, error: DomainError):
    if isinstance(error, NotAllowedError):
        raise error  # not something to correct in the form: the 403 page, with the reason
    form.add_error(error.field if error.field in form.fields else None, str(error.message))


class HomeView(LoginRequiredMixin, View):
    """The holder's dashboard of their latest enrolment; a coach without enrolment goes to their dashboard."""

    def get(self, request):
        enrolment = Enrolment.objects.filter(holder=request.user).select_related("cohort", "holder", "coach").order_by(
            "-cohort__start").first()
        if enrolment is None:
            if Enrolment.objects.filter(coach=request.user).exists():
                return redirect("fabrique:coach")
            cohorts = Cohort.objects.filter(applications_open=True)
            return render(request, "fabrique/no_enrolment.html", {"cohorts": cohorts})
        return render(request, "fabrique/dashboard.html", selectors.holder_dashboard(enrolment))


class EnrolmentView(LoginRequiredMixin, View):
    def get(self, request, pk):
        enrolment = selectors.enrolment_get_for_user(request.user, pk)
        return render(request, "fabrique/dashboard.html", selectors.holder_dashboard(enrolment))


class CertificateView(LoginRequiredMixin, View):
    def get(self, request, pk):
        enrolment = selectors.enrolment_get_for_user(request.user, pk)
        if not enrolment.graduated_at:
            raise Http404
        return render(request, "fabrique/certificate.html", {"enrolment": enrolment})


class DeliverableView(LoginRequiredMixin, View):
    def get(self, request, pk, *, form=None, review_form=None, status=200):
        deliverable = selectors.deliverable_get_for_user(request.user, pk)
        enrolment = deliverable.enrolment
        submissions = list(deliverable.submissions.select_related("review", "review__reviewer").order_by("-version"))
        latest = submissions[0] if submissions else None
        can_coach = selectors.user_can_coach(request.user, enrolment)
        return render(request, "fabrique/deliverable.html", {
            "deliverable": deliverable,
            "enrolment": enrolment,
            "submissions": submissions,
            "can_submit": selectors.submission_create_refusal(request.user, deliverable) is None,
            "form": form or SubmissionForm(),
            "can_coach": can_coach,
            "brief": selectors.deliverable_brief(deliverable),
            "can_review": latest is not None and selectors.submission_review_refusal(
                request.user, latest, latest_version=latest.version, reviewed=hasattr(latest, "review")) is None,
            "latest": latest,
            "review_form": review_form or ReviewForm(),
            "next_in_queue": selectors.coach_queue_next(request.user, exclude_deliverable=deliverable) if can_coach else None,
        }, status=status)

    def post(self, request, pk):
        deliverable = selectors.deliverable_get_for_user(request.user, pk)
        from fabrique.files import max_upload_bytes

        if int(request.META.get("CONTENT_LENGTH") or 0) > max_upload_bytes() + 1_048_576:
            # Refused before the body is read: nothing reaches the disk.
            from django.template.defaultfilters import filesizeformat

            form = SubmissionForm(data={})
            form.is_valid()
            form.add_error("file", _("The file is too large; the limit is %(limit)s.")
                           % {"limit": filesizeformat(max_upload_bytes())})
            return self.get(request, pk, form=form, status=400)
        form = SubmissionForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                services.submission_create(deliverable=deliverable, by=request.user, text=form.cleaned_data["text"],
                                           upload=form.cleaned_data["file"])
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Your version was submitted; your coach will review it."))
                return redirect("fabrique:deliverable", pk=pk)
        return self.get(request, pk, form=form, status=400)


class ReviewView(LoginRequiredMixin, View):
    def post(self, request, pk):
        submission = selectors.submission_get_for_user(request.user, pk)
        form = ReviewForm(request.POST)
        if form.is_valid():
            try:
                services.submission_review(submission=submission, by=request.user, **form.cleaned_data)
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Review recorded; the holder is notified."))
                return redirect("fabrique:deliverable", pk=submission.deliverable_id)
        return DeliverableView().get(request, submission.deliverable_id, review_form=form, status=400)


class SubmissionFileView(LoginRequiredMixin, View):
    """The only way to a submitted file: holder, their coach, staff. Everyone else: 404."""

    def get(self, request, pk):
        submission = selectors.submission_get_for_user(request.user, pk)
        if not submission.file:
            raise Http404
        response = FileResponse(submission.file.open("rb"), as_attachment=True, filename=submission.original_name,
                                content_type=submission.content_type or "application/octet-stream")
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class DeliverableTemplateView(LoginRequiredMixin, View):
    """The deliverable's template (DOCX or XLSX), for its holder, their coach and staff; others: 404."""

    def get(self, request, pk):
        from fabrique.deliverable_templates import deliverable_template

        deliverable = selectors.deliverable_get_for_user(request.user, pk)
        template = deliverable_template(deliverable)
        if template is None:
            raise Http404
        response = HttpResponse(template.body, content_type=template.content_type)
        response["Content-Disposition"] = f'attachment; filename="{template.filename}"'
        response["X-Content-Type-Options"] = "nosniff"
        response["Cache-Control"] = "private, no-store"
        return response


class SessionIcsView(LoginRequiredMixin, View):
    """One session as a `.ics` file, to add it to a calendar."""

    def get(self, request, pk):
        session = selectors.session_get_for_user(request.user, pk)
        body = session_ics(session, dtstamp=timezone.now())
        return calendar_response(body, filename=f"fabrique-session-{session.pk}.ics")


class CoachDashboardView(LoginRequiredMixin, View):
    def get(self, request):
        queue = selectors.coach_queue_by_due_date(request.user)
        enrolments = selectors.enrolments_with_progress(selectors.coached_enrolments(request.user))
        if not enrolments and not request.user.is_staff:
            raise Http404
        cohort_ids = {e.cohort_id for e in enrolments}
        sessions = Session.objects.filter(cohort_id__in=cohort_ids, kind="collective").order_by("-starts_at")[:6]
        return render(request, "fabrique/coach.html", {"queue": queue, "enrolments": enrolments, "sessions": sessions})


class AttendanceView(LoginRequiredMixin, View):
    def get(self, request, pk, status=200):
        session = selectors.session_get_for_coach(request.user, pk)
        enrolments = selectors.session_enrolments(session)
        current = {a.enrolment_id: a.status for a in Attendance.objects.filter(session=session)}
        rows = [(e, current.get(e.pk, "")) for e in enrolments]
        return render(request, "fabrique/attendance.html",
                      {"session": session, "rows": rows, "choices": Attendance.Status.choices}, status=status)

    def post(self, request, pk):
        session = selectors.session_get_for_coach(request.user, pk)
        statuses = {}
        for key, value in request.POST.items():
            if key.startswith("e-") and key[2:].isascii() and key[2:].isdigit():
                statuses[int(key[2:])] = value
        try:
            count = services.attendance_record(session=session, by=request.user, statuses=statuses)
        except DomainError as error:
            messages.error(request, str(error.message))
            return self.get(request, pk, status=error.status_code)
        messages.success(request, ngettext("Attendance saved (%(count)s holder).", "Attendance saved (%(count)s holders).",
                                           count) % {"count": count})
        return redirect("fabrique:attendance", pk=pk)


class ApplyView(LoginRequiredMixin, View):
    def get(self, request, pk, form=None, status=200):
        cohort = get_object_or_404(Cohort, pk=pk, applications_open=True)
        return render(request, "fabrique/apply.html", {"cohort": cohort, "form": form or ApplicationForm()}, status=status)

    def post(self, request, pk):
        cohort = get_object_or_404(Cohort, pk=pk, applications_open=True)
        form = ApplicationForm(request.POST)
        if form.is_valid():
            try:
                services.application_submit(cohort=cohort, holder=request.user, **form.cleaned_data)
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Your application was sent; the committee will answer you."))
                return redirect("fabrique:home")
        return self.get(request, pk, form=form, status=400)


class StaffCohortListView(StaffRequiredMixin, View):
    def get(self, request, form=None, status=200):
        from django.db.models import Count

        cohorts = Cohort.objects.annotate(n_enrolments=Count("enrolments", distinct=True),
                                          n_applications=Count("applications", distinct=True))
        return render(request, "fabrique/staff_cohorts.html", {"cohorts": cohorts, "form": form or CohortForm()}, status=status)

    def post(self, request):
        form = CohortForm(request.POST)
        if form.is_valid():
            try:
                cohort = services.cohort_create(by=request.user, **form.cleaned_data)
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Cohort created with the default curriculum."))
                return redirect("fabrique:staff_cohort", pk=cohort.pk)
        return self.get(request, form=form, status=400)


class StaffCohortView(StaffRequiredMixin, View):
    def get(self, request, pk, session_form=None, status=200):
        from django.db.models import Avg, Count

        cohort = get_object_or_404(Cohort, pk=pk)
        applications = cohort.applications.select_related("holder").annotate(
            avg_score=Avg("scores__score"), n_scores=Count("scores")).order_by("-avg_score", "created_at")
        enrolments = selectors.enrolments_with_progress(cohort.enrolments.select_related("holder", "coach"))
        return render(request, "fabrique/staff_cohort.html", {
            "cohort": cohort, "applications": applications, "enrolments": enrolments,
            "modules": cohort.modules.all(), "sessions": cohort.sessions.select_related("enrolment"),
            "session_form": session_form or SessionForm(),
        }, status=status)

    def post(self, request, pk):
        cohort = get_object_or_404(Cohort, pk=pk)
        if "title" in request.POST:
            form = SessionForm(request.POST)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    services.session_create(cohort=cohort, by=request.user, title=data["title"], starts_at=data["starts_at"],
                                            ends_at=data["ends_at"], location=data["location"],
                                            room_id=data["room"].pk if data["room"] else None)
                except DomainError as error:
                    _form_error(form, error)
                else:
                    messages.success(request, _("Session planned."))
                    return redirect("fabrique:staff_cohort", pk=pk)
            return self.get(request, pk, session_form=form, status=400)
        cohort.applications_open = request.POST.get("applications_open") == "1"
        cohort.save(update_fields=["applications_open"])
        return redirect("fabrique:staff_cohort", pk=pk)


class StaffApplicationView(StaffRequiredMixin, View):
    def get(self, request, pk, status=200):
        application = get_object_or_404(Application.objects.select_related("cohort", "holder"), pk=pk)
        from django.db.models import Exists, OuterRef, Q

        coaching = Enrolment.objects.filter(coach=OuterRef("pk"))
        coaches = get_user_model().objects.filter(Q(is_staff=True) | Exists(coaching), is_active=True).order_by(
            "first_name", "last_name")
        return render(request, "fabrique/staff_application.html", {
            "application": application, "scores": application.scores.select_related("reviewer"),
            "coaches": coaches, "statuses": [c for c in Application.Status.choices if c[0] != "submitted"],
        }, status=status)

    def post(self, request, pk):
        application = get_object_or_404(Application.objects.select_related("cohort", "holder"), pk=pk)
        try:
            if "score" in request.POST:
                services.application_score(application=application, by=request.user,
                                           score=parse_int(request.POST["score"], min_value=1, max_value=5),
                                           comment=clean_text(request.POST.get("comment", ""), multiline=True))
                messages.success(request, _("Score recorded."))
            else:
                coach = None
                if request.POST.get("coach"):
                    coach = get_object_or_404(get_user_model(), pk=parse_int(request.POST["coach"], min_value=1))
                services.application_decide(application=application, by=request.user, status=request.POST.get("status", ""),
                                            coach=coach)
                messages.success(request, _("Decision recorded."))
        except ValidationError as error:
            messages.error(request, error.messages[0])
            return self.get(request, pk, status=400)
        except DomainError as error:
            messages.error(request, str(error.message))
            return self.get(request, pk, status=error.status_code)
        return redirect("fabrique:staff_application", pk=pk)


class StaffOutcomeView(StaffRequiredMixin, View):
    def get(self, request, pk, form=None, status=200):
        enrolment = get_object_or_404(Enrolment.objects.select_related("cohort", "holder"), pk=pk)
        instance = getattr(enrolment, "outcome", None)
        return render(request, "fabrique/staff_outcome.html",
                      {"enrolment": enrolment, "form": form or OutcomeForm(instance=instance)}, status=status)

    def post(self, request, pk):
        enrolment = get_object_or_404(Enrolment, pk=pk)
        form = OutcomeForm(request.POST)
        if form.is_valid():
            services.outcome_record(enrolment=enrolment, by=request.user, **form.cleaned_data)
            messages.success(request, _("Outcome recorded."))
            return redirect("fabrique:staff_cohort", pk=enrolment.cohort_id)
        return self.get(request, pk, form=form, status=400)


class StaffCurriculumView(StaffRequiredMixin, View):
    """Edit one cohort's curriculum (applies to holders enrolled afterwards)."""

    def get(self, request, pk, formset=None, status=200):
        cohort = get_object_or_404(Cohort, pk=pk)
        formset = formset or ModuleFormSet(queryset=cohort.modules.all())
        return render(request, "fabrique/staff_curriculum.html", {"cohort": cohort, "formset": formset}, status=status)

    def post(self, request, pk):
        cohort = get_object_or_404(Cohort, pk=pk)
        formset = ModuleFormSet(request.POST, queryset=cohort.modules.all())
        if formset.is_valid():
            with transaction.atomic():  # every month or none (two months swapped collide on the way)
                formset.save()
            messages.success(request, _("Curriculum saved."))
            return redirect("fabrique:staff_cohort", pk=pk)
        return self.get(request, pk, formset=formset, status=400)


class StaffModuleBriefView(StaffRequiredMixin, View):
    """Staff edit the brief of one month's deliverable, for this cohort."""

    def _module(self, pk):
        return get_object_or_404(Module.objects.select_related("cohort").exclude(deliverable_kind=""), pk=pk)

    def get(self, request, pk, form=None, status=200):
        module = self._module(pk)
        if form is None:
            brief = selectors.brief_effective(module, module.deliverable_kind)
            form = ModuleBriefForm(initial={"produce": brief["produce"], "criteria": "\n".join(brief["criteria"]),
                                            "length": brief["length"]})
        return render(request, "fabrique/staff_brief.html", {"module": module, "cohort": module.cohort, "form": form},
                      status=status)

    def post(self, request, pk):
        module = self._module(pk)
        form = ModuleBriefForm(request.POST)
        if form.is_valid():
            try:
                services.module_brief_update(module=module, by=request.user, **form.cleaned_data)
            except DomainError as error:
                _form_error(form, error)
            else:
                messages.success(request, _("Brief saved; holders and coaches of this cohort see it now."))
                return redirect("fabrique:staff_curriculum", pk=module.cohort_id)
        return self.get(request, pk, form=form, status=400)
