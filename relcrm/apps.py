from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelcrmConfig(AppConfig):
    name = "relcrm"
    verbose_name = _("relcrm")
