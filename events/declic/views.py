"""Staff pages of Déclic Numérique: quick log, statistics, national export. Thin: form → service or selector."""

import datetime

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from coworking.models import Site
from events.declic import exports, selectors, services
from events.declic.forms import KnownParticipantFormSet, MediationActivityForm, StatisticsFilterForm, known_participants, log_initial
from quai import xlsx
from quai.errors import DomainError
from quai.permissions import StaffRequiredMixin


REMEMBERED_KEY = "declic_log_defaults"


class MediationLogView(StaffRequiredMixin, View):
    """Log a Déclic Numérique activity in a few taps on a phone, starting from the last entry's values."""

    def get(self, request, *, form=None, known=None, status=200):
        if form is None:
            initial = log_initial(remembered=request.session.get(REMEMBERED_KEY),
                                  last_activity=selectors.mediation_last_activity_by(request.user))
            form = MediationActivityForm(initial=initial, theme_order=selectors.mediation_theme_order())
        return render(
            request, "events/declic/log.html",
            {"form": form, "known": known or KnownParticipantFormSet(prefix="known"),
             "recent": selectors.mediation_recent_activities()},
            status=status,
        )

    def post(self, request):
        form = MediationActivityForm(request.POST, theme_order=selectors.mediation_theme_order())
        known = KnownParticipantFormSet(request.POST, prefix="known")
        if not (form.is_valid() and known.is_valid()):
            return self.get(request, form=form, known=known, status=400)
        try:
            services.mediation_activity_create(by=request.user, **form.service_kwargs(known_participants(known)))
        except DomainError as error:
            # The workshop's participants (known or counted) are asked next to the count.
            field = "anonymous_total" if error.field in ("participants", "anonymous_participants") else error.field
            form.add_error(field if field in form.fields else None, str(error.message))
            return self.get(request, form=form, known=known, status=400)
        another = request.POST.get("next") == "another"
        request.session[REMEMBERED_KEY] = form.remembered(keep_date=another)
        messages.success(request, _("Activity recorded. Log the next one (same date).") if another else _("Activity recorded."))
        return redirect("events:mediation_log")


class MediationDeleteView(StaffRequiredMixin, View):
    """Remove an activity recorded by mistake, from the quick log's recent list, after a confirmation."""

    def get(self, request, pk):
        activity = selectors.mediation_activity_get_for_user(request.user, pk)
        return render(request, "events/declic/delete.html", {"activity": activity})

    def post(self, request, pk):
        activity = selectors.mediation_activity_get_for_user(request.user, pk)
        services.mediation_activity_delete(by=request.user, activity=activity)
        messages.success(request, _("Activity deleted."))
        return redirect("events:mediation_log")


def _period(request) -> tuple[StatisticsFilterForm, datetime.date | None, datetime.date | None]:
    form = StatisticsFilterForm(request.GET or None)
    if form.is_bound and form.is_valid():
        return form, form.cleaned_data.get("du"), form.cleaned_data.get("au")
    return form, None, None


class MediationStatsView(StaffRequiredMixin, View):
    """DOMAIN.md §2 statistics, counted in participants, for a period."""

    def get(self, request):
        form, start, end = _period(request)
        if form.is_bound and not form.is_valid():
            return render(request, "events/declic/stats.html", {"form": form}, status=400)
        statistics = selectors.mediation_statistics(start=start, end=end)
        return render(request, "events/declic/stats.html", {"form": form, "stats": statistics, "query": request.GET.urlencode()})


class MediationExportView(StaffRequiredMixin, View):
    """The national XLSX export (sheet `Activités`, one row per participant), for a period if given."""

    def get(self, request):
        form, start, end = _period(request)
        if form.is_bound and not form.is_valid():
            return HttpResponse(" ".join(str(e) for errors in form.errors.values() for e in errors), status=400,
                                content_type="text/plain; charset=utf-8")
        site = Site.objects.order_by("pk").first()
        sheet = exports.mediation_export_sheet(start=start, end=end, place_name=site.name if site else "",
                                               place_address=site.address if site else "")
        return xlsx.xlsx_response(sheet, filename=f"declic-numerique-activites-{timezone.localdate().isoformat()}.xlsx")
