"""What `members` contributes to the shared registries (navigation, demo data)."""

from django.utils.translation import gettext_lazy as _

from members.seed import print_demo_logins, seed_accounts, seed_members
from quai.registry import NavLink, Seeder, StaffGroup, register_member_link, register_seeder, register_staff_group, register_staff_section

register_member_link(NavLink(label=_("My account"), url_name="members:account", order=10))
register_member_link(NavLink(label=_("Directory"), url_name="members:directory", order=50))
register_staff_group(StaffGroup(key="members", label=_("Members"), order=10))
register_staff_group(StaffGroup(key="memberships", label=_("Memberships and renewals"), order=15))
register_staff_section(NavLink(label=_("Members"), url_name="members:staff_list", group="members", order=10))
register_staff_section(NavLink(label=_("Import a CSV"), url_name="members:staff_import", group="members", order=11))
register_staff_section(NavLink(label=_("Renewals to confirm"), url_name="members:staff_list", query="status=pending", group="memberships", order=15))
register_staff_section(NavLink(label=_("Expiring within 30 days"), url_name="members:staff_list", query="status=expiring", group="memberships", order=16))
register_staff_section(NavLink(label=_("How to pay (instructions)"), url_name="admin:members_paymentinstructions_changelist", group="memberships", order=17))
register_staff_section(NavLink(label=_("Membership types"), url_name="admin:members_membershiptype_changelist", group="memberships", order=18))
register_seeder(Seeder(name="members.accounts", func=seed_accounts, order=10, report=print_demo_logins))
register_seeder(Seeder(name="members.demo", func=seed_members, order=11))


def _register_home_panels() -> None:
    from members.home import membership_panel
    from quai.registry import HomePanel, register_home_panel

    register_home_panel(HomePanel(name="members.membership", template="members/home_panel.html", context=membership_panel, order=30))


_register_home_panels()
# Impact (quai.impact) and the staff home's "today" figures.
from members import indicators as _indicators  # noqa: E402
from quai.registry import StaffCard, register_indicator, register_staff_card  # noqa: E402

for _indicator in _indicators.INDICATORS:
    register_indicator(_indicator)
register_staff_card(StaffCard(key="members.renewals", label=_("Renewals to confirm"), compute=_indicators.card_renewals,
                              url_name="members:staff_list", order=40))
