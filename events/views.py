import csv
import uuid

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View

from events import selectors, services
from events.forms import AgendaFilterForm, DuplicateEventForm, EventForm, GuestRegistrationForm, WalkInForm
from events.ical import event_ics
from events.markdown import render_markdown
from events.models import Event, Registration
from quai.errors import DomainError, InvalidInput
from quai.exports import neutralise
from quai.inputs import paginate
from quai.ical import calendar_response
from quai.permissions import StaffRequiredMixin


AGENDA_PAGE_SIZE = 30


class AgendaView(View):
    def get(self, request):
        form = AgendaFilterForm(request.GET or None)
        try:
            # Thirty at a time: the agenda of a busy year holds thousands of upcoming events.
            page = paginate(request, selectors.agenda(user=request.user, **form.filters()), AGENDA_PAGE_SIZE)
        except InvalidInput:
            # The agenda with the filter's error on its field, and no event: never a filter ignored.
            return render(request, "events/agenda.html", {"form": form, "page": None, "events": [], "active_filters": []}, status=400)
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "events/agenda.html", {
            "form": form if form.is_bound else AgendaFilterForm(), "page": page, "events": page.object_list,
            "active_filters": form.active_filter_labels(), "query": query.urlencode(),
        })


GUEST_REGISTRATIONS_KEY = "events.guest_registrations"


def _remember_guest_registration(request, registration) -> None:
    """A guest has no account: the browser session remembers what they registered for, so the
    event page shows "you are registered — cancel" instead of the form again."""
    remembered = dict(request.session.get(GUEST_REGISTRATIONS_KEY, {}))
    remembered[str(registration.event_id)] = registration.pk
    request.session[GUEST_REGISTRATIONS_KEY] = remembered


class EventDetailView(View):
    def get(self, request, pk, *, guest_form=None, status=200):
        event = selectors.event_get_for_user(request.user, pk)
        guest_registration_pk = request.session.get(GUEST_REGISTRATIONS_KEY, {}).get(str(event.pk))
        mine = selectors.registration_of_visitor(event, member=request.user, guest_registration_pk=guest_registration_pk)
        return render(
            request,
            "events/detail.html",
            {
                "event": event,
                "description_html": render_markdown(event.description),
                "mine": mine,
                "waitlist_position": selectors.waitlist_position(mine) if mine and mine.status == Registration.Status.WAITLISTED else None,
                "guest_cancel_url": services.cancel_link(mine) if mine and mine.member_id is None else "",
                "seats_left": max(0, event.capacity - event.seats_taken),
                "guest_form": guest_form or GuestRegistrationForm(),
            },
            status=status,
        )

    def post(self, request, pk):
        # The service reads the event once, under its lock, among those the visitor may see (404).
        guest_form = None
        try:
            if request.user.is_authenticated:
                registration = services.registration_create(event_id=pk, member=request.user)
            else:
                guest_form = GuestRegistrationForm(request.POST)
                if not guest_form.is_valid():
                    return self.get(request, pk, guest_form=guest_form, status=400)
                registration = services.registration_create(
                    event_id=pk, guest_name=guest_form.cleaned_data["name"], guest_email=guest_form.cleaned_data["email"],
                    consent=guest_form.cleaned_data["consent"],
                )
                _remember_guest_registration(request, registration)
        except DomainError as error:
            if guest_form is not None:
                guest_form.add_error(error.field if error.field in guest_form.fields else None, str(error.message))
                return self.get(request, pk, guest_form=guest_form, status=error.status_code)
            messages.error(request, str(error.message))
            return redirect(reverse("events:detail", args=[pk]) + "#registration")
        # Back to the registration section, where the tap was: it now shows the new state.
        return redirect(reverse("events:detail", args=[pk]) + "#registration")


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
        return redirect(reverse("events:detail", args=[registration.event_id]) + "#registration")


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
        return render(request, "events/staff_events.html", {"events": selectors.staff_events()[:100]})


# Where a service error belongs on the event form (coworking names its fields start/end/resource).
EVENT_ERROR_FIELDS = {"start": "starts_at", "end": "ends_at", "room": "room", "resource": "room", "title": "title", "capacity": "capacity"}


def _event_form_data(form) -> dict:
    data = dict(form.cleaned_data)
    data["is_public"] = bool(data["is_public"])
    return data


class StaffEventCreateView(StaffRequiredMixin, View):
    def get(self, request, *, form=None, status=200):
        return render(request, "events/staff_event_form.html", {"form": form or EventForm(), "event": None}, status=status)

    def post(self, request):
        form = EventForm(request.POST)
        if not form.is_valid():
            return self.get(request, form=form, status=400)
        try:
            event = services.event_create(by=request.user, **_event_form_data(form))
        except DomainError as error:
            form.add_error(EVENT_ERROR_FIELDS.get(error.field), str(error.message))
            return self.get(request, form=form, status=error.status_code)
        messages.success(request, _("Draft saved. Check it, then publish it to open registration."))
        return redirect("events:staff_event_edit", pk=event.pk)


class StaffEventEditView(StaffRequiredMixin, View):
    def get(self, request, pk, *, form=None, duplicate_form=None, status=200):
        event = get_object_or_404(Event.objects.select_related("room__site", "room_booking"), pk=pk)
        return render(request, "events/staff_event_form.html", {
            "form": form or EventForm(event=event), "event": event, "duplicate_form": duplicate_form or DuplicateEventForm(),
        }, status=status)

    def post(self, request, pk):
        event = get_object_or_404(Event.objects.select_related("room_booking"), pk=pk)
        form = EventForm(request.POST, event=event)
        if not form.is_valid():
            return self.get(request, pk, form=form, status=400)
        try:
            services.event_update(event=event, by=request.user, **_event_form_data(form))
        except DomainError as error:
            form.add_error(EVENT_ERROR_FIELDS.get(error.field), str(error.message))
            return self.get(request, pk, form=form, status=error.status_code)
        messages.success(request, _("Event saved."))
        return redirect("events:staff_event_edit", pk=pk)


class StaffEventPublishView(StaffRequiredMixin, View):
    def post(self, request, pk):
        event = get_object_or_404(Event, pk=pk)
        try:
            services.event_publish(event=event, by=request.user)
            messages.success(request, _("Published: the event is in the agenda and open for registration."))
        except DomainError as error:
            messages.error(request, str(error.message))
        return redirect("events:staff_event_edit", pk=pk)


class StaffEventCancelView(StaffRequiredMixin, View):
    def post(self, request, pk):
        event = get_object_or_404(Event, pk=pk)
        services.event_cancel(event=event, by=request.user)
        messages.success(request, _("Event cancelled: its room is freed and everyone registered is told by e-mail."))
        return redirect("events:staff_event_edit", pk=pk)


class StaffEventDuplicateView(StaffRequiredMixin, View):
    def post(self, request, pk):
        event = get_object_or_404(Event, pk=pk)
        form = DuplicateEventForm(request.POST)
        if not form.is_valid():
            return StaffEventEditView().get(request, pk, duplicate_form=form, status=400)
        try:
            copy, room_kept = services.event_duplicate(event=event, by=request.user, starts_at=form.cleaned_data["starts_at"])
        except DomainError as error:
            form.add_error("starts_at", str(error.message))
            return StaffEventEditView().get(request, pk, duplicate_form=form, status=error.status_code)
        if room_kept:
            messages.success(request, _("Copy saved as a draft. Check it, then publish it."))
        else:
            messages.warning(request, _("Copy saved as a draft without a room: the room is taken at that time. Choose another one."))
        return redirect("events:staff_event_edit", pk=copy.pk)


class StaffRoomOptionsView(StaffRequiredMixin, View):
    """The room field again, for the times being typed (htmx): only rooms free then."""

    def get(self, request):
        event = None
        if request.GET.get("event", "").isdigit():
            event = Event.objects.filter(pk=int(request.GET["event"])).select_related("room_booking").first()
        form = EventForm(request.GET, event=event)
        return render(request, "events/_room_field.html", {"field": form["room"]})


class DoorListView(StaffRequiredMixin, View):
    """Émargement on a phone: counters, add a walk-in, search as you type and tap present/absent (htmx)."""

    def get(self, request, pk, *, walk_in_form=None, status=200):
        event = get_object_or_404(Event.objects.select_related("site"), pk=pk)
        search = request.GET.get("q", "").strip()[:100]
        context = {
            "event": event,
            "registrations": list(selectors.door_list(event, search=search)),
            "search": search,
            "counts": selectors.door_counts(event),
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
            return render(request, "events/_door_row.html", {
                "registration": registration, "nonce": uuid.uuid4().hex, "counts": selectors.door_counts(registration.event), "oob_counts": True,
            })
        return redirect("events:door_list", pk=registration.event_id)


class WalkInView(StaffRequiredMixin, View):
    def post(self, request, pk):
        event = get_object_or_404(Event, pk=pk)
        form = WalkInForm(request.POST)
        if not form.is_valid():
            return DoorListView().get(request, pk, walk_in_form=form, status=400)
        try:
            registration = services.walk_in_add(event=event, name=form.cleaned_data["name"], email=form.cleaned_data["email"], by=request.user)
        except DomainError as error:
            form.add_error(error.field if error.field in form.fields else None, str(error.message))
            return DoorListView().get(request, pk, walk_in_form=form, status=error.status_code)
        messages.success(request, _("%(name)s added and marked present.") % {"name": registration.display_name})
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
