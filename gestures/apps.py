from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _rescan_after_observation(sender: object, *, contact_id: int, **kwargs: Any) -> None:
    from .dispatch import contact_rescan_on_commit  # models are loaded once ready() ran

    contact_rescan_on_commit(contact_id=contact_id)


def _settle_before_merge(sender: object, *, keep: Any, other: Any, **kwargs: Any) -> None:
    from .services import suggestions_settle_for_merge

    suggestions_settle_for_merge(keep=keep, other=other)


class GesturesConfig(AppConfig):
    name = "gestures"
    verbose_name = _("Gestures")

    def ready(self) -> None:
        from contacts.signals import contacts_merging, observation_saved

        # A saved observation can make an occasion today ("her birthday is tomorrow").
        observation_saved.connect(_rescan_after_observation, dispatch_uid="gestures.rescan")
        # A merge moves every row; suggestions both contacts have for one occasion clash.
        contacts_merging.connect(_settle_before_merge, dispatch_uid="gestures.merge")
