"""The gift catalog, the suggestions the daily scan makes, and the gestures people made."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from decimal import Decimal
from typing import ClassVar

from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models.functions import Now
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from contacts.models import Tag

from .rules.guard import SYMBOLS
from .rules.occasions import OCCASIONS
from .rules.occasions.base import label_lazy
from .rules.types import Explanation

# The occasions a catalog item can suit: those of the registry that may come with a gift,
# and "any".
Occasion = models.TextChoices(  # type: ignore[call-overload]
    "Occasion",
    [
        *(
            (rule.name.upper(), (rule.name, rule.label))
            for rule in OCCASIONS.values()
            if rule.in_catalog
        ),
        ("ANY", ("any", _("Any occasion"))),
    ],
)


# What an item says besides its use, for the appropriateness guard (gestures.rules.guard).
Symbol = models.TextChoices(  # type: ignore[call-overload]
    "Symbol",
    [(value.upper(), (value, label_lazy(en, de))) for value, en, de in SYMBOLS],
)


class DietaryLabel(models.TextChoices):
    VEGAN = "vegan", _("Vegan")
    VEGETARIAN = "vegetarian", _("Vegetarian")
    GLUTEN_FREE = "gluten_free", _("Gluten-free")
    LACTOSE_FREE = "lactose_free", _("Lactose-free")
    NUT_FREE = "nut_free", _("Nut-free")
    HALAL = "halal", _("Halal")
    KOSHER = "kosher", _("Kosher")


def _choice_list_errors(values: object, choices: Iterable[str]) -> str | None:
    allowed = list(choices)
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        return str(_("Must be a list of: %(choices)s.") % {"choices": ", ".join(allowed)})
    unknown = [v for v in values if v not in allowed]
    if unknown:
        return str(
            _("Unknown value(s) %(unknown)s; allowed are %(choices)s.")
            % {"unknown": ", ".join(unknown), "choices": ", ".join(allowed)}
        )
    if len(set(values)) != len(values):
        return str(_("Each value may appear only once."))
    return None


class GiftItem(models.Model):
    # What admins curate: the admin form, the CSV/XLSX resource and the catalog records of
    # import_json all read and write these (the image goes its own way).
    CATALOG_FIELDS: ClassVar[tuple[str, ...]] = (
        "sku",
        "name",
        "name_de",
        "description",
        "description_de",
        "price_eur",
        "tags",
        "occasions",
        "contains_alcohol",
        "food",
        "dietary",
        "lead_time_days",
        "stock",
        "active",
        "supplier",
        "supplier_url",
    )

    sku = models.CharField(_("SKU"), max_length=64, unique=True)
    name = models.CharField(_("name (English)"), max_length=200)
    name_de = models.CharField(_("name (German)"), max_length=200, blank=True)
    description = models.TextField(_("description (English)"), blank=True)
    description_de = models.TextField(_("description (German)"), blank=True)
    price_eur = models.DecimalField(
        _("price (EUR)"),
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(Decimal("0.01"))],
    )
    tags = models.ManyToManyField(
        Tag, verbose_name=_("interests"), related_name="gift_items", blank=True
    )
    # Small fixed vocabularies kept as JSON lists of their values (see Occasion and
    # DietaryLabel); selectors filter them portably on SQLite and PostgreSQL.
    occasions = models.JSONField(_("suitable occasions"), default=list, blank=True)
    contains_alcohol = models.BooleanField(_("contains alcohol"), default=False)
    food = models.BooleanField(_("food"), default=False)
    dietary = models.JSONField(_("dietary labels"), default=list, blank=True)
    # The appropriateness guard reads these (see Symbol): a period of care rules out
    # celebratory and alcoholic items, and an item is never proposed for an occasion it is
    # marked unsuitable for.
    symbols = models.JSONField(_("symbolism"), default=list, blank=True)
    unsuitable_occasions = models.JSONField(_("unsuitable for"), default=list, blank=True)
    lead_time_days = models.PositiveSmallIntegerField(
        _("lead time (days)"),
        default=3,
        help_text=_("Days from ordering until the gift can be handed over."),
    )
    stock = models.PositiveIntegerField(
        _("stock"), null=True, blank=True, help_text=_("Leave empty for unlimited.")
    )
    active = models.BooleanField(_("active"), default=True)
    supplier = models.CharField(_("supplier"), max_length=200, blank=True)
    supplier_url = models.URLField(_("supplier URL"), blank=True)
    # Files always have generated names (gestures.services); never the uploaded one.
    image = models.FileField(_("image"), upload_to="gifts/", max_length=200, blank=True)
    image_sha256 = models.CharField(_("image checksum"), max_length=64, blank=True, editable=False)
    thumbnail_list = models.FileField(
        _("list thumbnail"), max_length=200, blank=True, editable=False
    )
    thumbnail_detail = models.FileField(
        _("detail thumbnail"), max_length=200, blank=True, editable=False
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name", "sku"]
        verbose_name = _("gift item")
        verbose_name_plural = _("gift items")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(price_eur__gt=0), name="giftitem_price_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(lead_time_days__gte=0), name="giftitem_lead_time_not_negative"
            ),
            models.CheckConstraint(
                condition=models.Q(stock__isnull=True) | models.Q(stock__gte=0),
                name="giftitem_stock_not_negative",
            ),
            models.CheckConstraint(condition=~models.Q(sku=""), name="giftitem_sku_not_empty"),
            models.CheckConstraint(condition=~models.Q(name=""), name="giftitem_name_not_empty"),
        ]
        indexes = [models.Index(fields=["active", "price_eur"], name="giftitem_active_price_idx")]

    def __str__(self) -> str:
        return f"{self.name} ({self.sku})"

    def clean(self) -> None:
        errors = {}
        for field, choices in (
            ("occasions", Occasion.values),
            ("dietary", DietaryLabel.values),
            ("symbols", Symbol.values),
            ("unsuitable_occasions", [v for v in Occasion.values if v != Occasion.ANY]),
        ):
            problem = _choice_list_errors(getattr(self, field), choices)
            if problem:
                errors[field] = problem
        if "occasions" not in errors and not self.occasions:
            errors["occasions"] = str(_("Choose at least one occasion (or “Any occasion”)."))
        if errors:
            raise ValidationError(errors)

    # -- single-row rules ---------------------------------------------------------------

    @property
    def in_stock(self) -> bool:
        return self.stock is None or self.stock > 0

    def name_in(self, language: str) -> str:
        return (self.name_de if language == "de" else "") or self.name

    @property
    def localized_name(self) -> str:
        """The name in the language of the page being rendered (templates)."""
        return self.name_in(get_language() or "en")

    def description_in(self, language: str) -> str:
        return (self.description_de if language == "de" else "") or self.description

    def image_url_for(self, size: str) -> str:
        """The best image to show at `size` ("list" or "detail"): the thumbnail once it is
        made, else the original (scaled by the browser), else "" for a placeholder."""
        thumbnail = self.thumbnail_list if size == "list" else self.thumbnail_detail
        for candidate in (thumbnail, self.image):
            if candidate and candidate.name:
                return candidate.url
        return ""

    def occasion_labels(self) -> list[str]:
        labels = dict(Occasion.choices)
        return [str(labels.get(value, value)) for value in self.occasions]

    def symbol_names(self) -> list[str]:
        labels = dict(Symbol.choices)
        return [str(labels.get(value, value)) for value in self.symbols]

    def dietary_label_names(self) -> list[str]:
        labels = dict(DietaryLabel.choices)
        return [str(labels.get(value, value)) for value in self.dietary]


class ScanConfiguration(models.Model):
    """The knobs of the daily scan, changeable by admins in the admin (one row)."""

    horizon_days = models.PositiveSmallIntegerField(
        _("horizon (days)"),
        default=21,
        help_text=_("How far ahead birthdays and anniversaries are suggested."),
    )
    cadence_a_days = models.PositiveSmallIntegerField(_("keep in touch, tier A (days)"), default=30)
    cadence_b_days = models.PositiveSmallIntegerField(_("keep in touch, tier B (days)"), default=60)
    cadence_c_days = models.PositiveSmallIntegerField(
        _("keep in touch, tier C (days)"), default=120
    )
    annual_gift_limit_eur = models.DecimalField(
        _("annual gift limit per recipient (EUR)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("50.00"),
        help_text=_("§4 Abs. 5 Nr. 1 EStG: business gifts are deductible up to 50 EUR a year."),
    )
    approval_threshold_eur = models.DecimalField(
        _("approval threshold (EUR)"),
        max_digits=8,
        decimal_places=2,
        default=Decimal("25.00"),
        help_text=_("Gifts at or above this price need the team lead's approval."),
    )
    gift_spacing_days = models.PositiveSmallIntegerField(
        _("days between two gifts to one contact"), default=90
    )
    max_open_per_contact = models.PositiveSmallIntegerField(
        _("open suggestions per contact, at most"), default=2
    )

    class Meta:
        verbose_name = _("scan settings")
        verbose_name_plural = _("scan settings")
        constraints = [
            models.CheckConstraint(condition=models.Q(pk=1), name="scanconfiguration_single_row"),
            models.CheckConstraint(
                condition=models.Q(annual_gift_limit_eur__gte=0, approval_threshold_eur__gte=0),
                name="scanconfiguration_amounts_not_negative",
            ),
            models.CheckConstraint(
                condition=models.Q(max_open_per_contact__gte=1),
                name="scanconfiguration_room_for_one",
            ),
        ]

    def __str__(self) -> str:
        return str(_("Scan settings"))

    def cadence_days(self) -> dict[str, int]:
        """Days without a touch after which a contact of each tier is due for a call."""
        return {"A": self.cadence_a_days, "B": self.cadence_b_days, "C": self.cadence_c_days}

    @classmethod
    def current(cls) -> ScanConfiguration:
        configuration, _created = cls.objects.get_or_create(pk=1)
        return configuration


class Suggestion(models.Model):
    """A gesture relcrm proposes for a contact; people decide what becomes of it."""

    class Kind(models.TextChoices):
        GIFT = "gift", _("Gift")
        NOTE = "note", _("Handwritten note")
        CALL = "call", _("Call")

    # Every occasion of the registry (gestures.rules.occasions).
    Occasion = models.TextChoices(  # type: ignore[call-overload]
        "Occasion", [(rule.name.upper(), (rule.name, rule.label)) for rule in OCCASIONS.values()]
    )

    class Status(models.TextChoices):
        PENDING = "pending", _("New")
        CONFIRMED = "confirmed", _("To do")
        AWAITING_APPROVAL = "awaiting_approval", _("Awaiting approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")
        SNOOZED = "snoozed", _("Snoozed")
        DISMISSED = "dismissed", _("Dismissed")
        DONE = "done", _("Done")
        EXPIRED = "expired", _("Expired")

    class DismissReason(models.TextChoices):
        NOT_RELEVANT = "not_relevant", _("Not relevant")
        WRONG_TIMING = "wrong_timing", _("Wrong timing")
        TOO_EXPENSIVE = "too_expensive", _("Too expensive")
        INAPPROPRIATE = "inappropriate", _("Inappropriate")
        ALREADY_DONE = "already_done", _("Already done")
        OTHER = "other", _("Other")

    # The allowed moves between statuses; services refuse every other one.
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        Status.PENDING: frozenset(
            {
                Status.CONFIRMED,
                Status.AWAITING_APPROVAL,
                Status.SNOOZED,
                Status.DISMISSED,
                Status.DONE,
                Status.EXPIRED,
            }
        ),
        # Back to new: a confirmed gift swapped for one that needs approval is confirmed
        # again, which sends it to the team lead.
        Status.CONFIRMED: frozenset(
            {Status.PENDING, Status.DONE, Status.SNOOZED, Status.DISMISSED}
        ),
        Status.AWAITING_APPROVAL: frozenset({Status.APPROVED, Status.REJECTED, Status.DISMISSED}),
        Status.APPROVED: frozenset({Status.DONE, Status.DISMISSED}),
        Status.SNOOZED: frozenset({Status.PENDING, Status.DISMISSED, Status.EXPIRED}),
        Status.REJECTED: frozenset(),
        Status.DISMISSED: frozenset(),
        Status.DONE: frozenset(),
        Status.EXPIRED: frozenset(),
    }
    CLOSED: ClassVar[frozenset[str]] = frozenset(
        {Status.DISMISSED, Status.REJECTED, Status.DONE, Status.EXPIRED}
    )
    # The decisions their author may take back for a short while (gestures.services
    # .suggestion_undo): an approval or a rejection is the lead's, a swap is swapped again.
    UNDOABLE: ClassVar[frozenset[str]] = frozenset(
        {Status.CONFIRMED, Status.AWAITING_APPROVAL, Status.SNOOZED, Status.DISMISSED, Status.DONE}
    )
    UNDO_WINDOW: ClassVar[timedelta] = timedelta(minutes=10)

    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.CASCADE,
        related_name="suggestions",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    occasion = models.CharField(_("occasion"), max_length=20, choices=Occasion.choices)
    source_fact = models.ForeignKey(
        "contacts.Fact",
        verbose_name=_("source fact"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    # The source fact's id (0 for keep in touch), kept when the fact is gone so that the
    # unique key still says "this one was already suggested".
    source_ref = models.PositiveBigIntegerField(_("source reference"), default=0)
    event_date = models.DateField(_("event date"))
    due_date = models.DateField(_("due date"))
    gift_item = models.ForeignKey(
        GiftItem,
        verbose_name=_("gift"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="suggestions",
    )
    price_eur = models.DecimalField(
        _("price (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    score = models.FloatField(_("score"), default=0)
    needs_approval = models.BooleanField(_("needs approval"), default=False)
    explanation = models.JSONField(_("explanation"), default=dict)
    observation_ids = models.JSONField(_("source observations"), default=list)
    # A note's (or a gift card's) text as the scan drafted it and the account manager
    # edits it (gestures.rules.drafts); empty for a call. relcrm never sends it.
    draft = models.TextField(_("draft"), blank=True, max_length=2000)
    draft_variant = models.CharField(_("draft variant"), max_length=60, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("decided by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="decided_suggestions",
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    reason = models.CharField(_("reason"), max_length=20, choices=DismissReason.choices, blank=True)
    reason_text = models.CharField(_("reason (details)"), max_length=500, blank=True)
    snoozed_until = models.DateField(_("snoozed until"), null=True, blank=True)
    # The last day the gesture still makes sense (the day of a birthday, the end of a life
    # event's window); a pending or snoozed suggestion past it expires.
    expires_on = models.DateField(_("expires on"))
    # The note that stands in for a gift the team lead rejected: same occasion, same day,
    # so it needs a place of its own in the unique key (the rejected gift keeps 0).
    replaces = models.OneToOneField(
        "self",
        verbose_name=_("instead of"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="replaced_by",
    )
    revision = models.PositiveSmallIntegerField(_("revision"), default=0)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["due_date", "-score", "pk"]
        verbose_name = _("suggestion")
        verbose_name_plural = _("suggestions")
        constraints = [
            # The same occasion of the same fact in the same year is suggested once, ever:
            # what was dismissed does not come back, and two scans cannot both insert it.
            models.UniqueConstraint(
                fields=["contact", "occasion", "source_ref", "event_date", "revision"],
                name="suggestion_once_per_occurrence",
            ),
            models.CheckConstraint(
                condition=models.Q(
                    status__in=[
                        "pending",
                        "confirmed",
                        "awaiting_approval",
                        "approved",
                        "rejected",
                        "snoozed",
                        "dismissed",
                        "done",
                        "expired",
                    ]
                ),
                name="suggestion_status_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(kind__in=["gift", "note", "call"]), name="suggestion_kind_valid"
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="gift") | models.Q(gift_item__isnull=False),
                name="suggestion_gift_has_item",
            ),
            models.CheckConstraint(
                condition=~models.Q(status="snoozed") | models.Q(snoozed_until__isnull=False),
                name="suggestion_snooze_has_date",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_on__gte=models.F("event_date")),
                name="suggestion_expires_after_event",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "due_date"], name="suggestion_status_due_idx"),
            models.Index(fields=["contact", "status"], name="suggestion_contact_idx"),
            models.Index(fields=["status", "event_date"], name="suggestion_status_event_idx"),
            models.Index(fields=["status", "expires_on"], name="suggestion_status_expiry_idx"),
            models.Index(fields=["status", "snoozed_until"], name="suggestion_snoozed_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_occasion_display()} · {self.contact_id} · {self.event_date}"

    @property
    def team_id(self) -> int:
        return self.contact.team_id

    @property
    def owner_id(self) -> int:
        return self.contact.owner_id

    @property
    def is_open(self) -> bool:
        return self.status not in self.CLOSED

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS.get(self.status, frozenset())

    def undoable_by(self, user: AbstractBaseUser, *, now: datetime) -> bool:
        """Whether `user` may still take back the latest decision, judged from the row
        (the service checks the recorded transition too)."""
        return (
            self.status in self.UNDOABLE
            and self.decided_by_id == user.pk
            and self.decided_at is not None
            and now - self.decided_at <= self.UNDO_WINDOW
        )

    @property
    def draft_or_none(self) -> str | None:
        """The draft as `scan_gestures --json` and the API give it: None for a call."""
        if self.kind == self.Kind.CALL or not self.draft:
            return None
        return self.draft

    def stored_explanation(self) -> Explanation | None:
        """The stored explanation as data; None when it cannot be read (a row from before a
        format change, or edited by hand), which must never break a page."""
        try:
            return Explanation.from_json(self.explanation)
        except (KeyError, TypeError, ValueError, AttributeError):
            return None

    def explanation_data(self) -> Explanation:
        """The stored explanation, or one naming at least the occasion, kind and date."""
        return self.stored_explanation() or Explanation(
            occasion=self.occasion, kind=self.kind, event_date=self.event_date
        )


class DraftVariantUse(models.Model):
    """How many of a team's suggestions of a month got each draft variant: the scan picks
    the least used, so no two contacts of a team get the same wording in a month while
    variants are left (gestures.rules.drafts.choose_variant)."""

    team = models.ForeignKey(
        "contacts.Team",
        verbose_name=_("team"),
        on_delete=models.CASCADE,
        related_name="draft_variant_uses",
    )
    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    variant = models.CharField(_("draft variant"), max_length=60)
    uses = models.PositiveIntegerField(_("uses"), default=0)

    class Meta:
        verbose_name = _("draft variant use")
        verbose_name_plural = _("draft variant uses")
        constraints = [
            models.UniqueConstraint(
                fields=["team", "month", "variant"], name="draft_variant_use_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.team_id} · {self.month:%Y-%m} · {self.variant}: {self.uses}"


class SuggestionTransition(models.Model):
    """One decision a person took on a suggestion: the audit trail behind its status and the
    figures of the team overview. Changes the scan makes itself (expiry, a snooze running
    out) are not decisions and are not recorded here."""

    suggestion = models.ForeignKey(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.CASCADE,
        related_name="transitions",
    )
    from_status = models.CharField(
        _("from status"), max_length=20, choices=Suggestion.Status.choices
    )
    to_status = models.CharField(_("to status"), max_length=20, choices=Suggestion.Status.choices)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="suggestion_transitions",
    )
    at = models.DateTimeField(_("at"), default=timezone.now)
    reason = models.CharField(_("reason"), max_length=20, blank=True)
    reason_text = models.CharField(_("reason (details)"), max_length=500, blank=True)

    class Meta:
        ordering = ["at", "pk"]
        verbose_name = _("suggestion decision")
        verbose_name_plural = _("suggestion decisions")
        indexes = [
            models.Index(fields=["to_status", "at"], name="transition_status_at_idx"),
            models.Index(fields=["by", "at"], name="transition_by_at_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion_id}: {self.from_status} → {self.to_status}"


class ScanRun(models.Model):
    """One run of the daily scan: for which day, when, and what it did.

    A fanned-out run has a ScanChunk row per chunk; its counts are those of its chunks,
    each counted once however often it was delivered. A run that has not finished keeps a
    second scan of the same day from starting (see gestures.scan); the watchdog re-sends
    its lost chunks until each has finished or failed, so it always finishes.
    """

    class Trigger(models.TextChoices):
        BEAT = "beat", _("Daily schedule")
        COMMAND = "command", _("Command")

    day = models.DateField(_("day"))
    trigger = models.CharField(_("started by"), max_length=10, choices=Trigger.choices)
    started_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    contacts = models.PositiveIntegerField(_("contacts scanned"), default=0)
    chunks_total = models.PositiveIntegerField(_("chunks"), default=0)
    chunks_done = models.PositiveIntegerField(_("chunks done"), default=0)
    chunks_failed = models.PositiveIntegerField(_("chunks given up"), default=0)
    created = models.PositiveIntegerField(_("suggestions created"), default=0)
    expired = models.PositiveIntegerField(_("suggestions expired"), default=0)
    returned = models.PositiveIntegerField(_("snoozed suggestions returned"), default=0)

    class Meta:
        ordering = ["-started_at"]
        verbose_name = _("scan run")
        verbose_name_plural = _("scan runs")
        indexes = [models.Index(fields=["day", "finished_at"], name="scanrun_day_idx")]

    def __str__(self) -> str:
        return f"{self.day} ({self.get_trigger_display()})"


class ScanChunk(models.Model):
    """One chunk of a fanned-out scan: its contacts, and whether it was sent, started and
    finished. Unique per run and index, so a chunk delivered twice is counted once."""

    run = models.ForeignKey(
        ScanRun, verbose_name=_("scan run"), on_delete=models.CASCADE, related_name="chunks"
    )
    index = models.PositiveIntegerField(_("index"))
    contact_ids = models.JSONField(_("contacts"), default=list)
    # The database's clock, like every time of a chunk: workers and senders compare them.
    created_at = models.DateTimeField(_("created at"), db_default=Now())
    sent_at = models.DateTimeField(_("last sent at"), null=True, blank=True)
    sends = models.PositiveIntegerField(_("times sent"), default=0)
    started_at = models.DateTimeField(_("last started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    failed_at = models.DateTimeField(_("given up at"), null=True, blank=True)
    created = models.PositiveIntegerField(_("suggestions created"), default=0)

    class Meta:
        ordering = ["run_id", "index"]
        verbose_name = _("scan chunk")
        verbose_name_plural = _("scan chunks")
        constraints = [
            models.UniqueConstraint(fields=["run", "index"], name="scanchunk_run_index_uniq")
        ]
        indexes = [
            models.Index(
                fields=["run"],
                condition=models.Q(finished_at__isnull=True, failed_at__isnull=True),
                name="scanchunk_open_idx",
            )
        ]

    def __str__(self) -> str:
        return f"{self.run} #{self.index}"


class CalendarFeed(models.Model):
    """A user's personal iCal feed: its secret token is the only credential of the URL, so
    revoking the feed means replacing the token."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="calendar_feed",
    )
    token = models.CharField(_("token"), max_length=64, unique=True)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        verbose_name = _("calendar feed")
        verbose_name_plural = _("calendar feeds")

    def __str__(self) -> str:
        return str(self.user)


class DigestDelivery(models.Model):
    """The weekly digest a user was sent for a week; the unique key makes sending it once."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user"),
        on_delete=models.CASCADE,
        related_name="digest_deliveries",
    )
    week_of = models.DateField(_("week of"), help_text=_("The Monday the week starts on."))
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)

    class Meta:
        ordering = ["-week_of"]
        verbose_name = _("weekly digest")
        verbose_name_plural = _("weekly digests")
        constraints = [
            models.UniqueConstraint(fields=["user", "week_of"], name="digest_once_per_week")
        ]

    def __str__(self) -> str:
        return f"{self.user} · {self.week_of}"


class Gesture(models.Model):
    """What was actually done for a contact: feeds last touch, gift history and totals."""

    class Kind(models.TextChoices):
        GIFT = "gift", _("Gift")
        NOTE = "note", _("Handwritten note")
        CALL = "call", _("Call")
        MEETING = "meeting", _("Meeting")

    # The gift ledger is a tax record: a contact with gestures is never deleted, only
    # erased (privacy.services.contact_erase), which keeps its gifts under a pseudonym.
    contact = models.ForeignKey(
        "contacts.Contact",
        verbose_name=_("contact"),
        on_delete=models.PROTECT,
        related_name="gestures",
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    date = models.DateField(_("date"))
    gift_item = models.ForeignKey(
        GiftItem,
        verbose_name=_("gift"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="gestures",
    )
    value_eur = models.DecimalField(
        _("value (EUR)"), max_digits=8, decimal_places=2, null=True, blank=True
    )
    note = models.TextField(_("note"), blank=True)
    # The final text of the note or gift card: the suggestion's draft as it was when the
    # gesture was marked done, and the draft variant it started from.
    card_text = models.TextField(_("card text"), blank=True)
    draft_variant = models.CharField(_("draft variant"), max_length=60, blank=True)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        on_delete=models.PROTECT,
        related_name="gestures",
    )
    suggestion = models.OneToOneField(
        Suggestion,
        verbose_name=_("suggestion"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="gesture",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = _("gesture")
        verbose_name_plural = _("gestures")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["gift", "note", "call", "meeting"]),
                name="gesture_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(value_eur__isnull=True) | models.Q(value_eur__gte=0),
                name="gesture_value_not_negative",
            ),
        ]
        indexes = [
            models.Index(fields=["contact", "-date"], name="gesture_contact_idx"),
            models.Index(fields=["kind", "date"], name="gesture_kind_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.contact_id} · {self.date}"

    @property
    def team_id(self) -> int:
        return self.contact.team_id

    @property
    def owner_id(self) -> int:
        """Who made the gesture: they are asked what came of it (contacts.permissions)."""
        return self.by_id


class GestureOutcome(models.Model):
    """What came of a gesture, as its owner (or the team lead) recorded it; one per gesture,
    changed in place when someone corrects it later."""

    class Result(models.TextChoices):
        THANKED = "thanked", _("Thanked")
        REPLIED = "replied", _("Replied")
        MET = "met", _("Met")
        REFERRAL = "referral", _("Referral")
        NEW_ORDER = "new_order", _("New order")
        NOTHING_YET = "nothing_yet", _("Nothing yet")
        FELT_WRONG = "felt_wrong", _("Felt wrong")

    # The person answered: the gesture got a response (the team overview's share).
    RESPONSES: ClassVar[frozenset[str]] = frozenset(
        {Result.THANKED, Result.REPLIED, Result.MET, Result.REFERRAL, Result.NEW_ORDER}
    )
    NOTE_MAX = 500

    gesture = models.OneToOneField(
        Gesture,
        verbose_name=_("gesture"),
        on_delete=models.CASCADE,
        related_name="outcome",
    )
    result = models.CharField(_("outcome"), max_length=20, choices=Result.choices)
    note = models.CharField(_("note"), max_length=NOTE_MAX, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("recorded by"),
        on_delete=models.PROTECT,
        related_name="gesture_outcomes",
    )
    recorded_at = models.DateTimeField(_("recorded at"), default=timezone.now)
    created_at = models.DateTimeField(_("first recorded at"), default=timezone.now)

    class Meta:
        ordering = ["-recorded_at", "-pk"]
        verbose_name = _("gesture outcome")
        verbose_name_plural = _("gesture outcomes")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    result__in=[
                        "thanked",
                        "replied",
                        "met",
                        "referral",
                        "new_order",
                        "nothing_yet",
                        "felt_wrong",
                    ]
                ),
                name="gestureoutcome_result_valid",
            ),
            # "Felt wrong" is only useful with why: the note is what the team learns from.
            models.CheckConstraint(
                condition=~models.Q(result="felt_wrong") | ~models.Q(note=""),
                name="gestureoutcome_felt_wrong_has_note",
            ),
        ]
        indexes = [
            models.Index(fields=["recorded_at"], name="gestureoutcome_recorded_idx"),
            models.Index(fields=["result"], name="gestureoutcome_result_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.gesture_id}: {self.result}"

    @property
    def got_response(self) -> bool:
        return self.result in self.RESPONSES
