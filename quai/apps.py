from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuaiConfig(AppConfig):
    name = "quai"
    verbose_name = _("Platform")

    def ready(self):
        from allauth.mfa.signals import authenticator_added

        from quai.second_factor import record_second_factor_on_totp_activation

        authenticator_added.connect(record_second_factor_on_totp_activation, dispatch_uid="quai-second-factor-on-totp-activation")
