"""What `events` contributes to the shared registries."""

from django.utils.translation import gettext_lazy as _

from quai.registry import (
    EmailBuilder,
    NavLink,
    PersonData,
    Seeder,
    StaffGroup,
    register_email_builder,
    register_member_link,
    register_person_data,
    register_seeder,
    register_staff_group,
    register_staff_section,
)


def _export(user) -> dict:
    from events.models import Registration

    return {
        "registrations": [
            {"event": r.event.title, "start": r.event.starts_at.isoformat(), "status": r.status, "attended": r.attended}
            for r in Registration.objects.filter(member=user).select_related("event").order_by("event__starts_at")
        ]
    }


def _erase(user) -> None:
    # Registrations stay with the pseudonymised account: ESS-1 counts people by person_key
    # ("member:<id>"), which survives. Future registrations are cancelled to free the seats.
    from django.utils import timezone

    from events.models import Registration

    for registration in Registration.objects.filter(member=user, event__starts_at__gt=timezone.now()).exclude(status="cancelled"):
        from events.services import registration_cancel

        registration_cancel(registration=registration, force=True)


def _summary(user) -> dict:
    from events.models import Registration

    registrations = Registration.objects.filter(member=user)
    return {"total": registrations.count(), "attended": registrations.filter(attended=True).count()}


def _seed(*, scale, rng, stdout):
    from events.seed import seed_events

    seed_events(scale=scale, rng=rng, stdout=stdout)


register_member_link(NavLink(label=_("Agenda"), url_name="events:agenda", order=30))
register_member_link(NavLink(label=_("My events"), url_name="events:mine", order=31))
register_staff_group(StaffGroup(key="events", label=_("Events"), order=30))
register_staff_group(StaffGroup(key="declic", label=_("Déclic Numérique"), order=35))
register_staff_section(NavLink(label=_("Events and door lists"), url_name="events:staff_events", group="events", order=30))
register_staff_section(NavLink(label=_("New event"), url_name="events:staff_event_create", group="events", order=31))
register_staff_section(NavLink(label=_("Record an activity"), url_name="events:mediation_log", group="declic", order=35))
register_staff_section(NavLink(label=_("Statistics"), url_name="events:mediation_stats", group="declic", order=36))
register_person_data(
    PersonData(app_label="events", label=_("Events"), export=_export, erase=_erase, summary=_summary,
               summary_template="events/person_summary.html", order=30)
)
register_seeder(Seeder(name="events.demo", func=_seed, order=30, own_transactions=True))


def _registration_email(params: dict) -> tuple[dict, list[dict]]:
    from events.services import registration_email

    return registration_email(params)


# The e-mails about a registration (confirmed, waiting list, promoted, reminder, event cancelled)
# are rendered by the outbox's delivery task, not in the request that registers.
register_email_builder(EmailBuilder(name="events.registration", build=_registration_email))


def _register_home_panels() -> None:
    from events.home import agenda_panel, my_events_panel
    from quai.registry import HomePanel, register_home_panel

    register_home_panel(HomePanel(name="events.mine", template="events/home_panel.html", context=my_events_panel, order=20))
    register_home_panel(HomePanel(name="events.agenda", template="events/front_page_agenda.html", context=agenda_panel,
                                  audience="visitor", order=10))


_register_home_panels()
# Impact (quai.impact) and the staff home's "today" figures.
from events import indicators as _indicators  # noqa: E402
from quai.registry import StaffCard, register_indicator, register_staff_card  # noqa: E402

for _indicator in _indicators.INDICATORS:
    register_indicator(_indicator)
register_staff_card(StaffCard(key="events.week", label=_("Events this week"), compute=_indicators.card_events_week,
                              url_name="events:staff_events", order=20))
register_staff_card(StaffCard(key="events.declic", label=_("Déclic accompaniments this month"),
                              compute=_indicators.card_declic_month, url_name="events:mediation_log", order=60))


def _seed_history(*, scale, rng, stdout):
    from events.seed_history import seed_event_history

    seed_event_history(scale=scale, rng=rng, stdout=stdout)


register_seeder(Seeder(name="events.history", func=_seed_history, order=35, own_transactions=True))
