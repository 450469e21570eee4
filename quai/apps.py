from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuaiConfig(AppConfig):
    name = "quai"
    verbose_name = _("Platform")

    def ready(self):
        from quai.impact_seed import seed_impact
        from quai.registry import Seeder, register_seeder

        # Last: the impact demo computes snapshots of what the apps seeded before it.
        register_seeder(Seeder(name="quai.impact", func=seed_impact, order=900))
