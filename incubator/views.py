from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import ListView

from incubator import selectors, services
from incubator.forms import KpiReportForm, MentoringSessionForm
from incubator.models import Project
from quai.errors import DomainError
from quai.permissions import StaffRequiredMixin


class MyProjectsView(LoginRequiredMixin, ListView):
    template_name = "incubator/my_projects.html"
    context_object_name = "projects"

    def get_queryset(self):
        # "My projects": those I am in the team of, or coach (staff see everything on /staff/incubator/).
        user = self.request.user
        from django.db.models import Q

        return selectors.project_list_for_user(user).filter(Q(team=user) | Q(coach=user)).distinct()


class ProjectDetailView(LoginRequiredMixin, View):
    template_name = "incubator/project_detail.html"

    def get(self, request, pk, *, kpi_form=None, session_form=None, status=200):
        project = selectors.project_get_for_user(request.user, pk)
        can_coach = selectors.user_can_coach(request.user, project)
        can_report = can_coach or selectors.user_is_team_member(request.user, project)
        return render(
            request,
            self.template_name,
            {
                "project": project,
                "can_coach": can_coach,
                "can_report": can_report,
                "kpi_form": kpi_form or (KpiReportForm() if can_report else None),
                "session_form": session_form or (MentoringSessionForm() if can_coach else None),
            },
            status=status,
        )


class KpiReportCreateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        project = selectors.project_get_for_user(request.user, pk)
        form = KpiReportForm(request.POST)
        if form.is_valid():
            try:
                services.kpi_report_add(project=project, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
            else:
                messages.success(request, _("Figures recorded."))
                return redirect("incubator:project", pk=project.pk)
        return ProjectDetailView().get(request, pk, kpi_form=form, status=400)


class MentoringSessionCreateView(LoginRequiredMixin, View):
    def post(self, request, pk):
        project = selectors.project_get_for_user(request.user, pk)
        form = MentoringSessionForm(request.POST)
        if form.is_valid():
            try:
                services.mentoring_session_log(project=project, by=request.user, **form.cleaned_data)
            except DomainError as error:
                form.add_error(error.field if error.field in form.fields else None, str(error.message))
            else:
                messages.success(request, _("Mentoring session recorded."))
                return redirect("incubator:project", pk=project.pk)
        return ProjectDetailView().get(request, pk, session_form=form, status=400)


class StaffProjectListView(StaffRequiredMixin, ListView):
    template_name = "incubator/staff_projects.html"
    context_object_name = "projects"
    paginate_by = 50

    def get_queryset(self):
        queryset = selectors.project_list_for_user(self.request.user)
        status = self.request.GET.get("status")
        if status in Project.Status.values:
            queryset = queryset.filter(status=status)
        return queryset

    def get_context_data(self, **kwargs):
        return super().get_context_data(statuses=Project.Status.choices, current=self.request.GET.get("status", ""), **kwargs)
