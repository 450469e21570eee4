from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FabriqueConfig(AppConfig):
    name = "fabrique"
    verbose_name = _("Fabrique de Territoire")

    def ready(self):
        from fabrique import registrations  # noqa: F401  (fills quai.registry)
