from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuaiConfig(AppConfig):
    name = "quai"
    verbose_name = _("Platform")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from quai.second_factor import record_second_factor_on_totp_activation

        authenticator_added.connect(record_second_factor_on_totp_activation, dispatch_uid="quai-second-factor-on-totp-activation")
        from quai.impact_seed import seed_impact
        from quai.registry import Seeder, register_seeder

        # Last: the impact demo computes snapshots of what the apps seeded before it.
        register_seeder(Seeder(name="quai.impact", func=seed_impact, order=900))
        _register_staff_navigation()


def _register_staff_navigation() -> None:
    """The staff side navigation's own parts: home, impact and tools (apps add theirs)."""
    from quai.registry import NavLink, StaffGroup, register_staff_group, register_staff_section

    register_staff_group(StaffGroup(key="home", label=_("Home"), order=0))
    register_staff_group(StaffGroup(key="impact", label=_("Impact"), order=60))
    register_staff_group(StaffGroup(key="tools", label=_("Tools"), order=90))
    register_staff_section(NavLink(label=_("Home"), url_name="staff_home", group="home", order=0))
    register_staff_section(NavLink(label=_("Funder report"), url_name="impact_report", group="impact", order=60))
    register_staff_section(NavLink(label=_("Public impact page"), url_name="impact_public", group="impact", order=61))
    register_staff_section(NavLink(label=_("Administration (all data)"), url_name="admin:index", group="tools", order=90))
    register_staff_section(NavLink(label=_("Outbox (e-mails)"), url_name="admin:quai_outboxmessage_changelist", group="tools", order=91))
    register_staff_section(NavLink(label=_("API documentation"), url_name="api-docs", group="tools", order=92))
