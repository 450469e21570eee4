"""What `coworking` contributes to the shared registries."""

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from quai.registry import (
    NavLink,
    PersonData,
    Seeder,
    StaffGroup,
    register_member_link,
    register_person_data,
    register_seeder,
    register_staff_group,
    register_staff_section,
)


def _has_plan_or_booking(user):
    from coworking.models import Subscription

    return Subscription.objects.filter(member=user, ends_on__gte=timezone.localdate())


def _export(user) -> dict:
    from coworking.models import Booking, Subscription

    return {
        "subscriptions": [
            {"plan": s.plan.name, "from": s.starts_on.isoformat(), "until": s.ends_on.isoformat(),
             "credits_remaining": str(s.credits_remaining) if s.credits_remaining is not None else None}
            for s in Subscription.objects.filter(member=user).select_related("plan")
        ],
        "bookings": [
            {"resource": b.resource.name, "site": b.resource.site.name, "start": b.starts_at.isoformat(),
             "end": b.ends_at.isoformat(), "status": b.status,
             "checked_in_at": b.checked_in_at.isoformat() if b.checked_in_at else None}
            for b in Booking.objects.filter(member=user).select_related("resource__site").order_by("span")
        ],
    }


def _erase(user) -> None:
    # Bookings stay (occupancy figures COW-1/COW-2 need them) attached to the pseudonymised account;
    # future ones are cancelled so the desks are free again, and the calendar link is revoked.
    from django.db.models import F

    from coworking.models import Booking, CalendarFeed, Resource

    now = timezone.now()
    Booking.objects.filter(member=user, status="confirmed", span__startswith__gt=now).update(
        status="cancelled", cancelled_at=now, updated_at=now, sequence=F("sequence") + 1
    )
    CalendarFeed.objects.filter(member=user).delete()
    Resource.objects.filter(assigned_to=user).update(assigned_to=None)
    from coworking.layout import layout_changed

    layout_changed()  # update() sends no signal: the cached grid layout must forget the desk's owner


def _summary(user) -> dict:
    from coworking.models import Booking
    from coworking.selectors import subscription_current

    bookings = Booking.objects.filter(member=user)
    return {
        "subscription": subscription_current(user),
        "upcoming": bookings.filter(status="confirmed", span__startswith__gt=timezone.now()).count(),
        "total": bookings.count(),
    }


def _pending(user) -> list:
    from coworking.selectors import subscription_current

    return [str(_("has a coworking plan running"))] if subscription_current(user) else []


def _seed(*, scale, rng, stdout):
    from coworking.seed import seed_coworking

    seed_coworking(scale=scale, rng=rng, stdout=stdout)


register_member_link(NavLink(label=_("Book"), url_name="coworking:grid", order=20))
register_member_link(
    NavLink(label=_("My bookings"), url_name="coworking:my_bookings", order=21, visible_if=_has_plan_or_booking)
)
register_staff_group(StaffGroup(key="coworking", label=_("Coworking"), order=20))
register_staff_section(NavLink(label=_("Coworking today"), url_name="coworking:staff_today", group="coworking", order=20))
register_staff_section(NavLink(label=_("Occupancy rates"), url_name="coworking:staff_occupancy", group="coworking", order=21))
register_person_data(
    PersonData(
        app_label="coworking",
        label=_("Coworking"),
        export=_export,
        erase=_erase,
        summary=_summary,
        summary_template="coworking/person_summary.html",
        pending=_pending,
        order=20,
    )
)
register_seeder(Seeder(name="coworking.demo", func=_seed, order=20))


def _seed_sites(*, scale, rng, stdout):
    from coworking.seed import seed_coworking_sites

    seed_coworking_sites(scale=scale, rng=rng, stdout=stdout)


register_seeder(Seeder(name="coworking.sites", func=_seed_sites, order=21, own_transactions=True))



def _register_home_panels() -> None:
    from coworking.home import next_bookings_panel
    from quai.registry import HomePanel, register_home_panel

    register_home_panel(HomePanel(name="coworking.bookings", template="coworking/home_panel.html", context=next_bookings_panel, order=10))


_register_home_panels()
# Impact (quai.impact) and the staff home's "today" figures.
from coworking import indicators as _indicators  # noqa: E402
from quai.registry import StaffCard, register_indicator, register_staff_card  # noqa: E402

for _indicator in _indicators.INDICATORS:
    register_indicator(_indicator)
register_staff_card(StaffCard(key="coworking.today", label=_("Bookings today"), compute=_indicators.card_bookings_today,
                              url_name="coworking:staff_today", order=10))
