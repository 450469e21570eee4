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
