from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoworkingConfig(AppConfig):
    name = "coworking"
    verbose_name = _("Coworking")

    def ready(self):
        from coworking import registrations  # noqa: F401  (fills quai.registry)
        from coworking.layout import connect_signals

        connect_signals()
