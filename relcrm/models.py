"""Operational state of the installation itself, not of the domain."""

from django.db import models
from django.db.models.functions import Now
from django.utils.translation import gettext_lazy as _


class Heartbeat(models.Model):
    """When a periodic task last actually ran on a worker (not when beat sent it)."""

    name = models.SlugField(_("name"), max_length=64, unique=True)
    last_seen = models.DateTimeField(_("last seen"))

    class Meta:
        verbose_name = _("heartbeat")
        verbose_name_plural = _("heartbeats")

    def __str__(self) -> str:
        return f"{self.name} @ {self.last_seen:%Y-%m-%d %H:%M:%S}"


class OutboxTask(models.Model):
    """A background task a write asked for, recorded in the write's own transaction.

    relcrm.outbox sends it to the broker once the write commits and marks it sent; what a
    broker outage kept from being sent is sent by the sweep (beat every minute, and every
    worker when it connects to the broker), so an outage delays work and loses none.
    """

    task = models.CharField(_("task"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    # The database's clock, like the sweep's comparison: one clock for every process.
    created_at = models.DateTimeField(_("created at"), db_default=Now())
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("failed attempts"), default=0)
    last_error = models.CharField(_("last error"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("outbox task")
        verbose_name_plural = _("outbox tasks")
        indexes = [
            models.Index(
                fields=["created_at"],
                condition=models.Q(sent_at__isnull=True),
                name="outbox_pending_idx",
            ),
            models.Index(fields=["sent_at"], name="outbox_sent_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.task} {self.args}"
