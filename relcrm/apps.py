from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RelcrmConfig(AppConfig):
    name = "relcrm"
    verbose_name = _("relcrm")

    def ready(self) -> None:
        # Connects the sign-in receiver that records what a new session still needs.
        from . import two_factor  # noqa: F401
