from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _rescan_after_observation(sender: object, *, contact_id: int, **kwargs: Any) -> None:
    from .dispatch import contact_rescan_on_commit  # models are loaded once ready() ran

    contact_rescan_on_commit(contact_id=contact_id)


class GesturesConfig(AppConfig):
    name = "gestures"
    verbose_name = _("Gestures")

    def ready(self) -> None:
        from contacts.signals import observation_saved

        # A saved observation can make an occasion today ("her birthday is tomorrow").
        observation_saved.connect(_rescan_after_observation, dispatch_uid="gestures.rescan")
