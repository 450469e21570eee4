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
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.cache import cache_control

from coworking import selectors, services
from coworking.forms import BookSlotForm, MoveForm, PeriodForm, RecurringForm, StaffDayForm
from coworking.ical import bookings_calendar
from coworking.models import CalendarFeed, Site
from coworking.time import PARIS, desk_slots, local_dt
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


class GridView(LoginRequiredMixin, View):
    """The day's availability: desks × half-days or rooms × 30 minutes; book in one click (htmx)."""

    template_name = "coworking/grid.html"

    def get(self, request, *, feedback=None, status=200):
        layout = _layout(request)
        day = _parse_day(request.GET.get("date") or request.POST.get("date"))
        kind = _parse_kind(request.GET.get("kind") or request.POST.get("kind"))
        zone = request.GET.get("zone") or request.POST.get("zone") or ""
        grid = selectors.availability(layout=layout, day=day, kind=kind, user=request.user, zone=zone)
        context = {
            "grid": grid,
            "feedback": feedback,
            "previous_day": day - datetime.timedelta(days=1),
            "next_day": day + datetime.timedelta(days=1),
            "today": timezone.localdate(timezone.now(), PARIS),
            "subscription": selectors.subscription_current(request.user, day),
        }
        template = "coworking/_grid.html" if request.htmx else self.template_name
        return render(request, template, context, status=status)


class BookSlotView(LoginRequiredMixin, View):
    def post(self, request):
        form = BookSlotForm(request.POST)
        if not form.is_valid():
            return GridView().get(request, feedback={"ok": False, "text": _("This slot cannot be booked: reload the page.")}, status=400)
        try:
            booking = services.booking_create(
                member=request.user,
                resource=form.cleaned_data["resource"],
                starts_at=form.cleaned_data["start"],
                ends_at=form.cleaned_data["end"],
            )
        except DomainError as error:
            feedback = {"ok": False, "text": str(error.message)}
            return GridView().get(request, feedback=feedback, status=200 if request.htmx else error.status_code)
        start = booking.starts_at.astimezone(PARIS)
        text = _("Booked: %(resource)s on %(day)s, %(start)s–%(end)s.") % {
            "resource": booking.resource.name,
            "day": start.strftime("%d/%m/%Y"),
            "start": start.strftime("%H:%M"),
            "end": booking.ends_at.astimezone(PARIS).strftime("%H:%M"),
        }
        if request.htmx:
            return GridView().get(request, feedback={"ok": True, "text": text})
        messages.success(request, text)
        return redirect(f"{reverse('coworking:grid')}?date={start.date()}&kind={request.POST.get('kind', 'desk')}")


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
    return {"feed_url": url, "feed_webcal": webcal, "feed_name": f"{settings.QUAI_SITE_NAME} — {_('My bookings')}"}


class BookingCancelView(LoginRequiredMixin, View):
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


class BookingMoveView(LoginRequiredMixin, View):
    """Move one of my bookings to another day or slot (credits follow the new cost)."""

    template_name = "coworking/move.html"

    def get(self, request, pk, *, form=None, status=200):
        booking = selectors.booking_get_for_user(request.user, pk)
        start = booking.starts_at.astimezone(PARIS)
        initial = {"date": start.date(), "start_time": start.time(), "end_time": booking.ends_at.astimezone(PARIS).time()}
        return render(request, self.template_name, {"booking": booking, "form": form or MoveForm(initial=initial)}, status=status)

    def post(self, request, pk):
        booking = selectors.booking_get_for_user(request.user, pk)
        form = MoveForm(request.POST)
        if not form.is_valid():
            return self.get(request, pk, form=form, status=400)
        data = form.cleaned_data
        if booking.resource.kind == "desk":
            starts_at, ends_at = desk_slots(booking.resource.site, data["date"])[data.get("slot") or "day"]
        else:
            if not data.get("start_time") or not data.get("end_time"):
                form.add_error("start_time", _("Give the new times."))
                return self.get(request, pk, form=form, status=400)
            starts_at, ends_at = local_dt(data["date"], data["start_time"]), local_dt(data["date"], data["end_time"])
        try:
            services.booking_move(booking=booking, starts_at=starts_at, ends_at=ends_at)
        except DomainError as error:
            form.add_error(None, str(error.message))
            return self.get(request, pk, form=form, status=error.status_code)
        messages.success(request, _("Booking moved."))
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
                    messages.success(request, _("%(count)s bookings created.") % {"count": len(created)})
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
