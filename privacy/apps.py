from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PrivacyConfig(AppConfig):
    name = "privacy"
    verbose_name = _("Personal data")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from contacts.signals import observation_deleting

        from .services import quotes_of_observation_removed

        # Wherever an observation is deleted (its page, the admin, the review), the
        # suggestions' quotes of it go too.
        observation_deleting.connect(quotes_of_observation_removed, dispatch_uid="privacy.quotes")
