"""What `members` contributes to the shared registries (navigation, person data, demo data)."""

from django.utils.translation import gettext_lazy as _

from members.seed import seed_accounts
from quai.registry import NavLink, Seeder, register_member_link, register_seeder

register_member_link(NavLink(label=_("My account"), url_name="members:account", order=10))
register_seeder(Seeder(name="members.accounts", func=seed_accounts, order=10))
