"""What relcrm keeps about its own handling of personal data: erasures and access."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Erasure(models.Model):
    """One erasure of a person (GDPR Art. 17): who, when, why and the pseudonym the gift
    ledger shows in their place. Nothing that identifies the person is kept here."""

    pseudonym = models.CharField(_("pseudonym"), max_length=40, unique=True)
    erased_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erased by"),
        on_delete=models.PROTECT,
        related_name="erasures",
    )
    erased_at = models.DateTimeField(_("erased at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=500)
    observations = models.PositiveIntegerField(_("observations deleted"), default=0)
    suggestions = models.PositiveIntegerField(_("suggestions deleted"), default=0)
    gifts_kept = models.PositiveIntegerField(_("gifts kept in the ledger"), default=0)

    class Meta:
        ordering = ["-erased_at"]
        verbose_name = _("erasure")
        verbose_name_plural = _("erasures")
        constraints = [
            models.CheckConstraint(condition=~models.Q(reason=""), name="erasure_has_reason")
        ]

    def __str__(self) -> str:
        return self.pseudonym


class AccessLogEntry(models.Model):
    """Someone viewed, exported or erased a person with special-category (Art. 9) data."""

    class Action(models.TextChoices):
        VIEW = "view", _("Viewed")
        EXPORT = "export", _("Exported")
        ERASE = "erase", _("Erased")

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.PROTECT,
        related_name="personal_data_accesses",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # After an erasure the contact row holds only its pseudonym, so the entry stays readable
    # and says nothing more about the person.
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="access_log",
    )

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action__in=["view", "export", "erase"]),
                name="access_log_action_valid",
            )
        ]
        indexes = [
            models.Index(fields=["at"], name="access_log_at_idx"),
            models.Index(fields=["contact", "-at"], name="access_log_contact_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} · {self.contact_id} · {self.at:%Y-%m-%d %H:%M}"


class RetentionSettings(models.Model):
    """How long notes about people stay without anyone looking at them again, and how long
    the access log is kept; changeable by admins in the admin (one row)."""

    observation_review_months = models.PositiveSmallIntegerField(
        _("observations: review after (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_(
            "An observation comes up for review this long after it was noted or last confirmed."
        ),
    )
    sensitive_review_months = models.PositiveSmallIntegerField(
        _("special-category facts: review after (months)"),
        default=12,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("The same for an observation with a GDPR Art. 9 fact (health, religion)."),
    )
    access_log_months = models.PositiveSmallIntegerField(
        _("keep the access log for (months)"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(240)],
        help_text=_("Older entries are deleted every night."),
    )

    class Meta:
        verbose_name = _("retention settings")
        verbose_name_plural = _("retention settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="retentionsettings_single_row"),
            models.CheckConstraint(
                condition=models.Q(
                    observation_review_months__gte=1,
                    sensitive_review_months__gte=1,
                    access_log_months__gte=1,
                ),
                name="retentionsettings_months_positive",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Retention settings"))

    @classmethod
    def current(cls) -> RetentionSettings:
        current, _created = cls.objects.get_or_create(pk=1)
        return current


class ObservationReview(models.Model):
    """Someone looked at an observation that was due for review and confirmed it still
    holds: from this day on it counts as noted anew for retention."""

    observation = models.ForeignKey(
        "contacts.Observation",
        verbose_name=_("observation"),
        on_delete=models.CASCADE,
        related_name="reviews",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confirmed by"),
        on_delete=models.PROTECT,
        related_name="observation_reviews",
    )
    reviewed_on = models.DateField(_("confirmed on"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-reviewed_on", "-pk"]
        verbose_name = _("observation review")
        verbose_name_plural = _("observation reviews")
        indexes = [
            models.Index(fields=["observation", "-reviewed_on"], name="observation_review_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.observation_id} · {self.reviewed_on:%Y-%m-%d}"
