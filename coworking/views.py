import datetime
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.decorators.cache import cache_control

from coworking import selectors, services
from coworking.forms import (
    BookSlotForm,
    MoveDayForm,
    MoveSlotForm,
    PeriodForm,
    RecurringForm,
    StaffDayForm,
)
from coworking.ical import bookings_calendar
from coworking.models import CalendarFeed, Site
from coworking.time import PARIS, local_dt
from quai.errors import DomainError, InvalidInput
from quai.ical import calendar_response
from quai.inputs import paginate, parse_date, shift_date
from quai.permissions import StaffRequiredMixin


def _parse_day(value) -> datetime.date:
    """?date=YYYY-MM-DD (today when absent); a bad or out-of-range date is a 400 naming `date`.

    Bounded a day inside the handled years: the grid links to the day before and the day after.
    """
    if not value:
        return timezone.localdate(timezone.now(), PARIS)
    try:
        day = parse_date(value)
        shift_date(day, days=-1), shift_date(day, days=1)
    except ValidationError as error:
        raise InvalidInput(error.messages[0], field="date")
    return day


def _parse_kind(value) -> str:
    if value in (None, "", "desk", "room"):
        return value or "desk"
    raise InvalidInput(_("Choose desks or rooms."), field="kind")


def _layout(request) -> selectors.SiteLayout:
    """The site asked for (?site=slug) or the default one, with its layout; 404 if none is active."""
    slug = request.GET.get("site") or request.POST.get("site")
    layout = selectors.site_layout(slug=slug) if slug else selectors.site_layout()
    if layout is None:
        raise Http404
    return layout


def _site(request) -> Site:
    return _layout(request).site


FEEDBACK_KEY = "coworking:grid-feedback"


def _grid_url(*, site: Site, day: datetime.date, kind: str, zone: str = "", resource_id: int | None = None) -> str:
    """The grid of a day, scrolled to a resource's card (#resource-<id>) when given."""
    query = {"site": site.slug, "date": day.isoformat(), "kind": kind}
    if zone:
        query["zone"] = zone
    return f"{reverse('coworking:grid')}?{urlencode(query)}" + (f"#resource-{resource_id}" if resource_id else "")


def _booked_text(booking, *, moved: bool = False) -> str:
    start = booking.starts_at.astimezone(PARIS)
    text = _("Moved: %(resource)s on %(day)s, %(start)s–%(end)s.") if moved else _("Booked: %(resource)s on %(day)s, %(start)s–%(end)s.")
    return text % {
        "resource": booking.resource.name,
        "day": date_format(start.date(), "l j F"),
        "start": start.strftime("%H:%M"),
        "end": booking.ends_at.astimezone(PARIS).strftime("%H:%M"),
    }


def _picked_start(request, day: datetime.date):
    """?room=<id>&start=HH:MM: the room whose start time was tapped (its lengths are then offered)."""
    try:
        room = int(request.GET.get("room", ""))
        at = datetime.time.fromisoformat(request.GET.get("start", ""))
    except ValueError:
        return None
    return room, local_dt(day, at.replace(second=0, microsecond=0, tzinfo=None))


class GridView(LoginRequiredMixin, View):
    """The day's availability, one card per resource: desks by half-day or the whole day, rooms by
    start time and length. Opens on the first day something can still be booked."""

    template_name = "coworking/grid.html"

    def get(self, request, *, feedback=None, status=200):
        layout = _layout(request)
        kind = _parse_kind(request.GET.get("kind") or request.POST.get("kind"))
        now = timezone.now()
        today = timezone.localdate(now, PARIS)
        asked = request.GET.get("date") or request.POST.get("date")
        day = _parse_day(asked) if asked else selectors.first_bookable_day(layout, kind=kind, now=now)
        day_note = ""
        if not asked and day != today:
            day_note = "over" if selectors.day_is_open(layout, today) else "closed"
        zone = request.GET.get("zone") or request.POST.get("zone") or ""
        grid = selectors.availability(layout=layout, day=day, kind=kind, user=request.user, zone=zone, now=now)
        if feedback is None and FEEDBACK_KEY in request.session:  # left by the booking just made (POST, redirect, GET)
            feedback = request.session.pop(FEEDBACK_KEY)
        on_a_card = feedback is not None and any(row.resource.pk == feedback.get("resource") for row in grid.rows)
        previous_day = selectors.neighbour_open_day(layout, day, step=-1)
        context = {
            "grid": grid,
            "card_feedback": feedback if on_a_card else None,
            "page_feedback": None if on_a_card else feedback,
            "picked": _picked_start(request, day) if kind == "room" else None,
            "day_note": day_note,
            "previous_day": previous_day if previous_day and previous_day >= today else None,
            "next_day": selectors.neighbour_open_day(layout, day, step=1),
            "today": today,
            "last_day": today + datetime.timedelta(days=layout.site.booking_window_days),
            "subscription": selectors.subscription_current(request.user, day),
        }
        return render(request, self.template_name, context, status=status)


class BookSlotView(LoginRequiredMixin, View):
    """Book the slot tapped on a card. Success: back to the grid on that card, the confirmation in
    it (POST, redirect, GET). A refusal: the grid again, the reason in the card (4xx; 200 for htmx,
    which swaps only successful answers)."""

    def post(self, request):
        form = BookSlotForm(request.POST)
        if not form.is_valid():
            feedback = {"ok": False, "text": _("This slot cannot be booked: reload the page.")}
            return GridView().get(request, feedback=feedback, status=200 if request.htmx else 400)
        resource = form.cleaned_data["resource"]
        try:
            booking = services.booking_create(
                member=request.user, resource=resource, starts_at=form.cleaned_data["start"], ends_at=form.cleaned_data["end"]
            )
        except DomainError as error:
            feedback = {"resource": resource.pk, "ok": False, "text": str(error.message)}
            return GridView().get(request, feedback=feedback, status=200 if request.htmx else error.status_code)
        request.session[FEEDBACK_KEY] = {"resource": resource.pk, "ok": True, "text": _booked_text(booking)}
        url = _grid_url(
            site=resource.site, day=booking.starts_at.astimezone(PARIS).date(), kind=_parse_kind(request.POST.get("kind")),
            zone=request.POST.get("zone", ""), resource_id=resource.pk,
        )
        return redirect(url)


class MyBookingsView(LoginRequiredMixin, View):
    template_name = "coworking/my_bookings.html"

    def get(self, request):
        today = timezone.localdate(timezone.now(), PARIS)
        feed = CalendarFeed.objects.filter(member=request.user).first()
        return render(
            request,
            self.template_name,
            {
                # Twenty at a time: a resident books every day, the list must not grow with them.
                "page": paginate(request, selectors.bookings_for_member(request.user), 20),
                "today": today,
                "subscription": selectors.subscription_current(request.user, today),
                **_feed_links(request, feed),
            },
        )


def _feed_links(request, feed) -> dict:
    if feed is None:
        return {"feed_url": None}
    url = request.build_absolute_uri(reverse("coworking:ical", args=[feed.token]))
    # Apple Calendar subscribes on a webcal:// link; Google takes one in its "cid" parameter.
    webcal = "webcal://" + url.split("://", 1)[1]
    mine = _("My bookings")  # outside the f-string: xgettext (`make messages`) does not read calls in one
    return {"feed_url": url, "feed_webcal": webcal, "feed_name": f"{settings.QUAI_SITE_NAME} — {mine}"}


class BookingCancelView(LoginRequiredMixin, View):
    """GET asks first (what is cancelled, whether the credit comes back); POST cancels."""

    def get(self, request, pk):
        booking = selectors.booking_get_for_user(request.user, pk)
        if not booking.can_be_cancelled():
            return redirect("coworking:my_bookings")
        return render(request, "coworking/cancel_confirm.html", {
            "booking": booking, "returns_credit": bool(booking.credits_used) and booking.cancel_returns_credit()})

    def post(self, request, pk):
        booking = selectors.booking_get_for_user(request.user, pk)
        try:
            cancelled = services.booking_cancel(booking=booking, by=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            if cancelled.credits_returned:
                messages.success(request, _("Booking cancelled; your credit has been returned."))
            elif cancelled.booking.credits_used:
                messages.success(request, _("Booking cancelled. It was after the cancellation cut-off: the credit is not returned."))
            else:
                messages.success(request, _("Booking cancelled."))
        return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/staff/") else "coworking:my_bookings")


def _slot_label(which: str, span) -> str:
    times = f"{span.start_label}–{span.end_label}"
    names = {"am": _("Morning"), "pm": _("Afternoon"), "day": _("All day")}
    return f"{names[which]} {times}" if which in names else times


class BookingMoveView(LoginRequiredMixin, View):
    """Move one of my bookings: its current slot checked, only the free slots of its resource on
    the day chosen offered (credits follow the new cost)."""

    template_name = "coworking/move.html"

    def get(self, request, pk, *, form=None, status=200):
        booking = selectors.booking_get_for_user(request.user, pk)
        layout = selectors.site_layout(pk=booking.resource.site_id) or selectors.SiteLayout(
            site=booking.resource.site, resources=(), hours={}, closures=()
        )
        current_day = booking.starts_at.astimezone(PARIS).date()
        booked_minutes = int((booking.ends_at - booking.starts_at).total_seconds() // 60)
        room = booking.resource.is_room_like
        day, minutes = current_day, booked_minutes
        max_minutes = layout.site.max_room_booking_minutes
        day_form = MoveDayForm(request.GET, room=room, max_minutes=max_minutes) if "date" in request.GET else None
        if day_form is not None:
            if day_form.is_valid():
                day = day_form.cleaned_data["date"]
                minutes = day_form.cleaned_data.get("minutes") or booked_minutes
            else:
                status = 400
        row = selectors.resource_day(layout=layout, resource=booking.resource, day=day, user=request.user, ignore_booking=booking.pk)
        choices = selectors.move_choices(row, minutes=minutes if room else None, max_minutes=max_minutes)
        # As the grid writes slots (Paris offsets), so that the current one is found among the choices.
        current = f"{booking.starts_at.astimezone(PARIS).isoformat()}|{booking.ends_at.astimezone(PARIS).isoformat()}"
        if form is None:
            form = MoveSlotForm(initial={"slot": current})
        form.fields["slot"].widget.choices = [(span.period, _slot_label(which, span)) for which, span in choices]
        context = {
            "booking": booking,
            "day": day,
            "day_form": day_form or MoveDayForm(initial={"date": day, "minutes": minutes}, room=room, max_minutes=max_minutes),
            "form": form,
            "has_choices": bool(choices),
            "current": current,
            "from_grid": request.GET.get("from") == "grid" or request.POST.get("from") == "grid",
            "open": selectors.day_is_open(layout, day),
        }
        return render(request, self.template_name, context, status=status)

    def post(self, request, pk):
        booking = selectors.booking_get_for_user(request.user, pk)
        form = MoveSlotForm(request.POST)
        if not form.is_valid():
            return self.get(request, pk, form=form, status=400)
        try:
            moved = services.booking_move(booking=booking, starts_at=form.cleaned_data["start"], ends_at=form.cleaned_data["end"])
        except DomainError as error:
            form.add_error(None, str(error.message))
            return self.get(request, pk, form=form, status=error.status_code)
        text = _booked_text(moved, moved=True)
        if request.POST.get("from") == "grid":
            request.session[FEEDBACK_KEY] = {"resource": moved.resource_id, "ok": True, "text": text}
            kind = "desk" if moved.resource.kind == "desk" else "room"
            return redirect(_grid_url(site=moved.resource.site, day=moved.starts_at.astimezone(PARIS).date(), kind=kind, resource_id=moved.resource_id))
        messages.success(request, text)
        return redirect("coworking:my_bookings")


class BookingCheckInView(LoginRequiredMixin, View):
    def post(self, request, pk):
        booking = selectors.booking_get_for_user(request.user, pk)
        try:
            services.booking_check_in(booking=booking, by=request.user)
        except DomainError as error:
            messages.error(request, str(error.message))
        else:
            messages.success(request, _("Checked in. Have a good day!"))
        return redirect(request.POST.get("next") if request.POST.get("next", "").startswith("/staff/") else "coworking:my_bookings")


class RecurringView(LoginRequiredMixin, View):
    template_name = "coworking/recurring.html"

    def get(self, request):
        return render(request, self.template_name, {"form": RecurringForm()})

    def post(self, request):
        form = RecurringForm(request.POST)
        context = {"form": form}
        if form.is_valid():
            data = form.cleaned_data
            args = {
                "member": request.user,
                "resource": data["resource"],
                "starts_at": local_dt(data["date"], data["start_time"]),
                "ends_at": local_dt(data["date"], data["end_time"]),
                "weeks": data["weeks"],
            }
            try:
                if request.POST.get("confirm"):
                    created = services.booking_series_create(**args)
                    messages.success(request, ngettext("%(count)s booking created.", "%(count)s bookings created.",
                                                       len(created)) % {"count": len(created)})
                    return redirect("coworking:my_bookings")
                context["preview"] = services.booking_series_preview(**args)
            except DomainError as error:
                form.add_error(None, str(error.message))
        return render(request, self.template_name, context, status=200 if form.is_valid() else 400)


class CalendarFeedResetView(LoginRequiredMixin, View):
    """Create the calendar link, or replace it after a confirmation: replacing breaks every
    calendar subscribed to the old link."""

    def get(self, request):
        if not CalendarFeed.objects.filter(member=request.user).exists():
            return redirect("coworking:my_bookings")
        return render(request, "coworking/feed_reset_confirm.html")

    def post(self, request):
        exists = CalendarFeed.objects.filter(member=request.user).exists()
        if exists and request.POST.get("confirm") != "yes":
            return render(request, "coworking/feed_reset_confirm.html", status=400)
        services.calendar_feed_reset(member=request.user)
        if exists:
            messages.success(request, _("Your calendar link has been replaced: the old one no longer works. Add the new one to your calendar."))
        else:
            messages.success(request, _("Your calendar link is ready: add it to your calendar below."))
        return redirect(reverse("coworking:my_bookings") + "#feed-heading")


@cache_control(private=True, no_store=True)  # personal data fetched without a session (quai.middleware)
def ical_feed(request, token):
    """The member's private iCal feed: the secret token is the only credential."""
    feed = get_object_or_404(CalendarFeed.objects.select_related("member"), token=token)
    return calendar_response(bookings_calendar(selectors.bookings_for_calendar_feed(feed.member)), personal=True)


class StaffTodayView(StaffRequiredMixin, View):
    template_name = "coworking/staff_today.html"

    def get(self, request):
        site = _site(request)
        today = timezone.localdate(timezone.now(), PARIS)
        # Another day with ?date=YYYY-MM-DD (the date picker, or the day before / after links);
        # a date that is not understood is an error on the picker, not a 500.
        form = StaffDayForm(request.GET if "date" in request.GET else None, initial={"date": today})
        if form.is_bound and not form.is_valid():
            return render(request, self.template_name, {"site": site, "form": form, "today": today, "day": None, "bookings": []}, status=400)
        day = form.cleaned_data["date"] if form.is_bound else today
        around = {"site": request.GET["site"]} if request.GET.get("site") else {}
        return render(request, self.template_name, {
            # The picker shows the day read, in ISO (a date input drops "02/03/2026" typed in French).
            "site": site, "form": StaffDayForm(initial={"date": day}), "today": today, "day": day,
            "bookings": selectors.today_occupancy(site=site, day=day),
            "previous_query": urlencode({**around, "date": (day - datetime.timedelta(days=1)).isoformat()}),
            "next_query": urlencode({**around, "date": (day + datetime.timedelta(days=1)).isoformat()}),
            "today_query": urlencode(around),
        })


class StaffOccupancyView(StaffRequiredMixin, View):
    template_name = "coworking/staff_occupancy.html"

    def get(self, request):
        site = _site(request)
        today = timezone.localdate(timezone.now(), PARIS)
        form = PeriodForm(request.GET or {"start": today.replace(day=1), "end": today})
        rows, coworkers = [], None
        if form.is_valid():
            rows = selectors.occupancy(site=site, start=form.cleaned_data["start"], end=form.cleaned_data["end"])
            coworkers = selectors.active_coworkers(start=form.cleaned_data["start"], end=form.cleaned_data["end"])
        return render(request, self.template_name, {"site": site, "form": form, "rows": rows, "coworkers": coworkers},
                      status=200 if form.is_valid() else 400)
