import csv
import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from events import selectors, services
from events.forms import AgendaFilterForm, GuestRegistrationForm, WalkInForm
from events.ical import event_ics
from events.markdown import render_markdown
from events.models import Event, Registration
from quai.errors import DomainError
from quai.exports import neutralise
from quai.ical import calendar_response
from quai.permissions import StaffRequiredMixin


class AgendaView(View):
    def get(self, request):
        form = AgendaFilterForm(request.GET or None)
        filters = form.cleaned_data if form.is_valid() else {}
        events = selectors.agenda(user=request.user, kind=filters.get("kind", ""), theme=filters.get("theme", ""), month=filters.get("month", ""))
        return render(request, "events/agenda.html", {"form": form if form.is_bound else AgendaFilterForm(), "events": events})


class EventDetailView(View):
    def get(self, request, pk, *, guest_form=None, status=200):
        event = selectors.event_get_for_user(request.user, pk)
        mine = None
        if request.user.is_authenticated:
            mine = event.registrations.filter(member=request.user).exclude(status="cancelled").first()
        return render(
            request,
            "events/detail.html",
            {
                "event": event,
                "description_html": render_markdown(event.description),
                "mine": mine,
                "seats_left": max(0, event.capacity - event.seats_taken),
                "guest_form": guest_form or GuestRegistrationForm(),
            },
            status=status,
        )

    def post(self, request, pk):
        event = selectors.event_get_for_user(request.user, pk)
        guest_form = None
        try:
            if request.user.is_authenticated:
                registration = services.registration_create(event=event, member=request.user)
            else:
                guest_form = GuestRegistrationForm(request.POST)
                if not guest_form.is_valid():
                    return self.get(request, pk, guest_form=guest_form, status=400)
                registration = services.registration_create(
                    event=event, guest_name=guest_form.cleaned_data["name"], guest_email=guest_form.cleaned_data["email"],
                    consent=guest_form.cleaned_data["consent"],
                )
        except DomainError as error:
            if guest_form is not None:
                guest_form.add_error(error.field if error.field in guest_form.fields else None, str(error.message))
                return self.get(request, pk, guest_form=guest_form, status=error.status_code)
            messages.error(request, str(error.message))
            return redirect("events:detail", pk=pk)
        if registration.status == Registration.Status.CONFIRMED:
            messages.success(request, _("You are registered. A confirmation e-mail is on its way."))
        else:
            messages.warning(request, _("The event is full: you are on the waiting list. We will e-mail you if a seat is freed."))
        return redirect("events:detail", pk=pk)


class CancelMyRegistrationView(View):
    def post(self, request, pk):
        if not request.user.is_authenticated:
            return redirect("account_login")
        registration = selectors.registration_get_for_user(request.user, pk)
        try:
            services.registration_cancel(registration=registration, by=request.user)
            messages.success(request, _("Your registration is cancelled."))
        except DomainError as error:
            messages.error(request, str(error.message))
        return redirect("events:detail", pk=registration.event_id)


class CancelByLinkView(View):
    """The signed link of the confirmation e-mail: works without login, until the event is over."""

    def get(self, request, token):
        try:
            registration = services.registration_from_cancel_token(token)
        except DomainError as error:
            return render(request, "events/cancel_link.html", {"error": str(error.message)}, status=400)
        return render(request, "events/cancel_link.html", {"registration": registration})

    def post(self, request, token):
        try:
            registration = services.registration_from_cancel_token(token)
            services.registration_cancel(registration=registration)
        except DomainError as error:
            return render(request, "events/cancel_link.html", {"error": str(error.message)}, status=400)
        return render(request, "events/cancel_link.html", {"done": True, "registration": registration})


def event_ics_view(request, pk):
    event = selectors.event_get_for_user(request.user, pk)
    return calendar_response(event_ics([event]), filename=f"evenement-{event.pk}.ics")


def agenda_ics_view(request):
    """Public iCal feed of public events, the last 12 months and the future, cancelled ones marked
    as such (no login, no secret inside)."""
    return calendar_response(event_ics(selectors.events_for_public_feed()))


class StaffEventsView(StaffRequiredMixin, View):
    def get(self, request):
        events = selectors.agenda(user=request.user).order_by("starts_at")[:100]
        return render(request, "events/staff_events.html", {"events": events})


class DoorListView(StaffRequiredMixin, View):
    """Émargement on a phone: search, tap present/absent (htmx), add a walk-in."""

    def get(self, request, pk, *, walk_in_form=None, status=200):
        event = get_object_or_404(Event.objects.select_related("site"), pk=pk)
        search = request.GET.get("q", "").strip()
        registrations = list(selectors.door_list(event, search=search))
        context = {
            "event": event,
            "registrations": registrations,
            "search": search,
            "present_count": sum(1 for r in registrations if r.attended),
            "walk_in_form": walk_in_form or WalkInForm(),
            "nonce": uuid.uuid4().hex,
        }
        if request.htmx and request.GET.get("partial"):
            return render(request, "events/_door_rows.html", context)
        return render(request, "events/door_list.html", context, status=status)


class MarkAttendanceView(StaffRequiredMixin, View):
    def post(self, request, pk):
        registration = get_object_or_404(Registration.objects.select_related("member", "event"), pk=pk)
        try:
            services.attendance_mark(
                registration=registration, present=request.POST.get("present") == "1",
                nonce=request.POST.get("nonce", ""), by=request.user,
            )
        except DomainError as error:
            messages.error(request, str(error.message))
        registration.refresh_from_db()
        if request.htmx:
            return render(request, "events/_door_row.html", {"registration": registration, "nonce": uuid.uuid4().hex})
        return redirect("events:door_list", pk=registration.event_id)


class WalkInView(StaffRequiredMixin, View):
    def post(self, request, pk):
        event = get_object_or_404(Event, pk=pk)
        form = WalkInForm(request.POST)
        if not form.is_valid():
            return DoorListView().get(request, pk, walk_in_form=form, status=400)
        services.walk_in_add(event=event, name=form.cleaned_data["name"], email=form.cleaned_data["email"], by=request.user)
        messages.success(request, _("Walk-in added and marked present."))
        return redirect("events:door_list", pk=pk)


class AttendanceCsvView(StaffRequiredMixin, View):
    def get(self, request, pk):
        event = get_object_or_404(Event, pk=pk)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="emargement-{event.pk}.csv"'
        response.write("\ufeff")
        writer = csv.writer(response, delimiter=";")
        writer.writerow([_("Name"), _("E-mail"), _("Status"), _("Walk-in"), _("Present")])
        for registration in selectors.door_list(event):
            writer.writerow([
                neutralise(registration.display_name), neutralise(registration.email), registration.get_status_display(),
                _("yes") if registration.walk_in else "", _("yes") if registration.attended else (_("no") if registration.attended is False else ""),
            ])
        return response


class AttendancePrintView(StaffRequiredMixin, View):
    def get(self, request, pk):
        event = get_object_or_404(Event.objects.select_related("site"), pk=pk)
        return render(request, "events/attendance_print.html", {"event": event, "registrations": selectors.door_list(event)})


class MyRegistrationsView(View):
    def get(self, request):
        if not request.user.is_authenticated:
            return redirect(f"{reverse('account_login')}?next={request.path}")
        return render(request, "events/my_registrations.html", {"registrations": selectors.registrations_for_member(request.user)})


class FeedbackView(View):
    """After the event: the participant rates it (1–5) and comments, from the link of the e-mail."""

    def get(self, request, token, *, form=None, status=200):
        from events.forms import FeedbackForm

        try:
            registration = services.registration_from_feedback_token(token)
        except DomainError as error:
            return render(request, "events/feedback.html", {"error": str(error.message)}, status=400)
        return render(request, "events/feedback.html", {"registration": registration, "form": form or FeedbackForm()}, status=status)

    def post(self, request, token):
        from events.forms import FeedbackForm

        try:
            registration = services.registration_from_feedback_token(token)
        except DomainError as error:
            return render(request, "events/feedback.html", {"error": str(error.message)}, status=400)
        form = FeedbackForm(request.POST)
        if not form.is_valid():
            return self.get(request, token, form=form, status=400)
        services.feedback_save(registration=registration, rating=int(form.cleaned_data["rating"]), comment=form.cleaned_data["comment"])
        return render(request, "events/feedback.html", {"done": True, "registration": registration})
