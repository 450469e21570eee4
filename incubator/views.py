"""Incubator pages: validate → fetch-and-authorize (selectors, 404 for others) → one service → render."""

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from incubator import selectors, services
from incubator.forms import (
    ApplicationForm, CallForm, CreationForm, DecisionForm, KpiReportForm, MentoringSessionForm, MilestoneForm,
    ProjectStatusForm, ReviewForm, TeamMemberForm,
)
from incubator.models import Application, Project
from quai.errors import DomainError
from quai.permissions import StaffRequiredMixin


def _apply_service(form, call) -> int | None:
    """Run `call()`; a DomainError becomes an error on its field (or the form) and its status (400 or
    409) is returned; None when it succeeded. Not allowed → 403."""
    try:
        call()
    except services.NotAllowed:
        raise PermissionDenied
    except DomainError as error:
        field = error.field if error.field in form.fields else None
        if field is None and error.field == "answers":
            field = next((name for name in form.fields if name.startswith("answer_")), None)
        form.add_error(field, str(error.message))
        return error.status_code
    return None


class MyProjectsView(LoginRequiredMixin, TemplateView):
    """The member's incubator home: their projects, their applications, the calls open today."""

    template_name = "incubator/my_projects.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            projects=selectors.project_list_mine(user),
            applications=selectors.application_list_for_user(user),
            calls=selectors.call_list_open(),
            **kwargs,
        )


class ApplyView(LoginRequiredMixin, View):
    template_name = "incubator/apply.html"

    def _render(self, request, call, application, form, status=200):
        return render(request, self.template_name, {"call": call, "application": application, "form": form},
                      status=status)

    def get(self, request, pk):
        call = selectors.call_get_for_user(request.user, pk)
        application = selectors.application_list_for_user(request.user).filter(call=call).first()
        form = ApplicationForm(call=call, initial=ApplicationForm.initial_for(application))
        return self._render(request, call, application, form)

    def post(self, request, pk):
        call = selectors.call_get_for_user(request.user, pk)
        application = selectors.application_list_for_user(request.user).filter(call=call).first()
        form = ApplicationForm(request.POST, call=call)
        submit = request.POST.get("action") == "submit"
        status = 400
        if form.is_valid():
            status = _apply_service(form, lambda: services.application_save(
                call=call, applicant=request.user, project_name=form.cleaned_data["project_name"],
                summary=form.cleaned_data["summary"], answers=form.answers(), submit=submit))
            if status is None:
                if submit:
                    messages.success(request, _("Application sent. You will receive the decision by e-mail."))
                    return redirect("incubator:my_projects")
                messages.success(request, _("Draft saved. Send it before the call closes."))
                return redirect("incubator:apply", pk=call.pk)
        return self._render(request, call, application, form, status=status)


class ApplicationWithdrawView(LoginRequiredMixin, View):
    def post(self, request, pk):
        application = selectors.application_get_for_user(request.user, pk)
        try:
            services.application_withdraw(application=application, by=request.user)
        except services.NotAllowed:
            raise PermissionDenied
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Application withdrawn."))
        return redirect("incubator:my_projects")


class ProjectDetailView(LoginRequiredMixin, View):
    """The team's dashboard: KPI history (SVG chart and its table), next milestones, sessions, forms."""

    template_name = "incubator/project_detail.html"

    def get(self, request, pk, *, status=200, **forms):
        project = selectors.project_get_for_user(request.user, pk)
        return self.render_page(request, project, status=status, **forms)

    @staticmethod
    def render_page(request, project, *, status=200, **forms):
        user = request.user
        can_coach = selectors.user_can_coach(user, project)
        can_report = can_coach or any(m.member_id == user.pk for m in project.memberships.all())
        context = {
            "project": project,
            "dashboard": selectors.project_dashboard(project),
            "can_coach": can_coach,
            "can_report": can_report,
            "is_staff": user.is_staff,
            "kpi_form": forms.get("kpi_form") or (KpiReportForm() if can_report else None),
            "milestone_form": forms.get("milestone_form") or (MilestoneForm() if can_report else None),
            "session_form": forms.get("session_form") or (MentoringSessionForm() if can_coach else None),
            "status_form": forms.get("status_form") or (ProjectStatusForm(initial={
                "status": project.status, "stage": project.stage, "end": project.incubation_end}) if user.is_staff else None),
            "team_form": forms.get("team_form") or (TeamMemberForm() if user.is_staff else None),
            "creation_form": forms.get("creation_form") or (CreationForm(initial={
                "created_on": project.created_on, "creation_kind": project.creation_kind,
                "creation_evidence": project.creation_evidence}) if can_coach else None),
        }
        return render(request, "incubator/project_detail.html", context, status=status)


class _ProjectFormView(LoginRequiredMixin, View):
    form_class = None
    form_name = ""
    success_message = ""

    def run(self, request, project, data):
        raise NotImplementedError

    def post(self, request, pk):
        project = selectors.project_get_for_user(request.user, pk)
        form = self.form_class(request.POST)
        status = 400
        if form.is_valid():
            status = _apply_service(form, lambda: self.run(request, project, form.cleaned_data))
            if status is None:
                messages.success(request, self.success_message)
                return redirect("incubator:project", pk=project.pk)
        project = selectors.project_get_for_user(request.user, pk)
        return ProjectDetailView.render_page(request, project, status=status, **{self.form_name: form})


class KpiReportCreateView(_ProjectFormView):
    form_class, form_name = KpiReportForm, "kpi_form"
    success_message = property(lambda self: _("Figures recorded."))

    def run(self, request, project, data):
        services.kpi_report_add(project=project, by=request.user, **data)


class MentoringSessionCreateView(_ProjectFormView):
    form_class, form_name = MentoringSessionForm, "session_form"
    success_message = property(lambda self: _("Mentoring session recorded."))

    def run(self, request, project, data):
        services.mentoring_session_log(project=project, by=request.user, **data)


class MentoringSessionIcsView(LoginRequiredMixin, View):
    """One mentoring session as a `.ics` file (the team, the coach, staff; anyone else: 404)."""

    def get(self, request, pk):
        from django.utils import timezone

        from incubator.ical import mentoring_session_ics
        from quai.ical import calendar_response

        session = selectors.session_get_for_user(request.user, pk)
        return calendar_response(mentoring_session_ics(session, dtstamp=timezone.now()),
                                 filename=f"mentorat-{session.pk}.ics")


class MilestoneCreateView(_ProjectFormView):
    form_class, form_name = MilestoneForm, "milestone_form"
    success_message = property(lambda self: _("Milestone added."))

    def run(self, request, project, data):
        services.milestone_add(project=project, by=request.user, **data)


class ProjectStatusView(_ProjectFormView):
    form_class, form_name = ProjectStatusForm, "status_form"
    success_message = property(lambda self: _("Project updated."))

    def run(self, request, project, data):
        services.project_update(project=project, by=request.user, status=data["status"], stage=data["stage"],
                                end=data["end"])


class TeamMemberAddView(_ProjectFormView):
    form_class, form_name = TeamMemberForm, "team_form"
    success_message = property(lambda self: _("Team member added."))

    def run(self, request, project, data):
        services.team_member_add(project=project, by=request.user, member=data["email"], role=data["role"])


class TeamMemberRemoveView(LoginRequiredMixin, View):
    def post(self, request, pk, member_pk):
        project = selectors.project_get_for_user(request.user, pk)
        membership = next((m for m in project.memberships.all() if m.member_id == member_pk), None)
        if membership is None:
            raise Http404
        try:
            services.team_member_remove(project=project, by=request.user, member=membership.member)
        except services.NotAllowed:
            raise PermissionDenied
        messages.success(request, _("Team member removed."))
        return redirect("incubator:project", pk=project.pk)


class CreationRecordView(_ProjectFormView):
    form_class, form_name = CreationForm, "creation_form"
    success_message = property(lambda self: _("Creation recorded."))

    def run(self, request, project, data):
        services.project_record_creation(project=project, by=request.user, created_on=data["created_on"],
                                         kind=data["creation_kind"], evidence=data["creation_evidence"])


class MilestoneTickView(LoginRequiredMixin, View):
    def post(self, request, pk):
        milestone = selectors.milestone_get_for_user(request.user, pk)
        try:
            services.milestone_tick(milestone=milestone, by=request.user, done=request.POST.get("done") == "1")
        except services.NotAllowed:
            raise PermissionDenied
        except DomainError as error:
            messages.error(request, str(error.message))
        return redirect(reverse("incubator:project", args=[milestone.project_id]) + "#milestones-heading")


class StaffPipelineView(StaffRequiredMixin, TemplateView):
    template_name = "incubator/staff_pipeline.html"

    def get_context_data(self, **kwargs):
        status = self.request.GET.get("status", "")
        status = status if status in Project.Status.values else ""
        return super().get_context_data(pipeline=selectors.pipeline(status=status), statuses=Project.Status.choices,
                                        current=status, calls=selectors.call_list_for_user(self.request.user)[:6],
                                        **kwargs)


class StaffCallCreateView(StaffRequiredMixin, View):
    template_name = "incubator/staff_call_form.html"

    def get(self, request):
        return render(request, self.template_name, {"form": CallForm()})

    def post(self, request):
        form = CallForm(request.POST)
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            created = []
            status = _apply_service(form, lambda: created.append(services.call_create(
                by=request.user, title=data["title"], description=data["description"], opens_on=data["opens_on"],
                closes_on=data["closes_on"], questions=data["questions"], criteria=data["criteria"])))
            if status is None:
                messages.success(request, _("Call for applications created."))
                return redirect("incubator:staff_call", pk=created[0].pk)
        return render(request, self.template_name, {"form": form}, status=status)


class StaffCallView(StaffRequiredMixin, TemplateView):
    template_name = "incubator/staff_call.html"

    def get_context_data(self, **kwargs):
        call = selectors.call_get_for_user(self.request.user, self.kwargs["pk"])
        return super().get_context_data(call=call, applications=selectors.application_list_for_call(call), **kwargs)


class StaffApplicationView(StaffRequiredMixin, View):
    template_name = "incubator/staff_application.html"

    def get(self, request, pk, *, review_form=None, decision_form=None, status=200):
        application = selectors.application_get_for_user(request.user, pk)
        reviews = list(selectors.application_reviews(application))
        criteria = list(application.call.criteria.all())
        already = any(r.reviewer_id == request.user.pk and r.round == application.review_round for r in reviews)
        open_for_decision = application.status in (Application.Status.SUBMITTED, Application.Status.WAITLISTED)
        return render(request, self.template_name, {
            "application": application,
            "qa": list(zip(application.call.questions, application.answers)),
            "reviews": reviews,
            "criteria": criteria,
            "review_form": None if already or not open_for_decision else (review_form or ReviewForm(criteria=criteria)),
            "already_reviewed": already,
            "decision_form": (decision_form or DecisionForm()) if open_for_decision else None,
        }, status=status)

    def post(self, request, pk):
        application = selectors.application_get_for_user(request.user, pk)
        if request.POST.get("action") == "new_round":
            try:
                services.application_review_round_open(application=application, by=request.user)
            except DomainError as error:
                messages.error(request, str(error.message))
            else:
                messages.success(request, _("A new review round is open."))
            return redirect("incubator:staff_application", pk=application.pk)
        if request.POST.get("action") == "decide":
            form = DecisionForm(request.POST)
            status = 400
            if form.is_valid():
                status = _apply_service(form, lambda: services.application_decide(
                    application=application, by=request.user, decision=form.cleaned_data["decision"],
                    coach=form.cleaned_data["coach"], start=form.cleaned_data["start"],
                    fte_at_entry=form.cleaned_data["fte_at_entry"]))
                if status is None:
                    messages.success(request, _("Decision recorded; the applicant is told by e-mail."))
                    return redirect("incubator:staff_application", pk=application.pk)
            return self.get(request, pk, decision_form=form, status=status)
        form = ReviewForm(request.POST, criteria=application.call.criteria.all())
        status = 400
        if form.is_valid():
            status = _apply_service(form, lambda: services.application_review(
                application=application, by=request.user, scores=form.scores(), comment=form.cleaned_data["comment"]))
            if status is None:
                messages.success(request, _("Review recorded."))
                return redirect("incubator:staff_application", pk=application.pk)
        return self.get(request, pk, review_form=form, status=status)
