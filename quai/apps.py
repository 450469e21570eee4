from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class QuaiConfig(AppConfig):
    name = "quai"
    verbose_name = _("Platform")
