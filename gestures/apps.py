from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class GesturesConfig(AppConfig):
    name = "gestures"
    verbose_name = _("Gestures")
