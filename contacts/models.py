"""Teams and users; organizations, contacts, their observations and the facts in them."""

from __future__ import annotations

from typing import Any, ClassVar

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords


class Team(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    lead = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("team lead"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="led_teams",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class RelcrmUserManager(UserManager["User"]):
    def create_superuser(
        self, username: str, email: str | None = None, password: str | None = None, **extra: Any
    ) -> User:
        extra.setdefault("role", User.Role.ADMIN)
        return super().create_superuser(username, email, password, **extra)


class User(AbstractUser):
    class Role(models.TextChoices):
        ACCOUNT_MANAGER = "account_manager", _("Account manager")
        TEAM_LEAD = "team_lead", _("Team lead")
        ADMIN = "admin", _("Admin")

    class Language(models.TextChoices):
        EN = "en", _("English")
        DE = "de", _("German")

    role = models.CharField(
        _("role"), max_length=20, choices=Role.choices, default=Role.ACCOUNT_MANAGER
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="members",
    )
    language = models.CharField(
        _("language"), max_length=2, choices=Language.choices, default=Language.EN
    )

    objects: ClassVar[RelcrmUserManager] = RelcrmUserManager()

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["account_manager", "team_lead", "admin"]),
                name="user_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=["en", "de"]), name="user_language_valid"
            ),
            # Only admins work across teams; everyone else belongs to exactly one.
            models.CheckConstraint(
                condition=models.Q(role="admin") | models.Q(team__isnull=False),
                name="user_team_required_unless_admin",
            ),
        ]

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN or self.is_superuser

    @property
    def is_team_lead(self) -> bool:
        return self.role == self.Role.TEAM_LEAD

    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Tag(models.Model):
    """An interest of the taxonomy, with the words that name it in English and German."""

    slug = models.SlugField(_("slug"), max_length=50, unique=True)
    name_en = models.CharField(_("English name"), max_length=100)
    name_de = models.CharField(_("German name"), max_length=100)
    synonyms_en = models.JSONField(_("English synonyms"), default=list, blank=True)
    synonyms_de = models.JSONField(_("German synonyms"), default=list, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["slug"]
        verbose_name = _("interest")
        verbose_name_plural = _("interests")

    def __str__(self) -> str:
        return self.name_en

    def name_in(self, language: str) -> str:
        return self.name_de if language == "de" else self.name_en


class Organization(models.Model):
    class Kind(models.TextChoices):
        COMPANY = "company", _("Company")
        PUBLIC_SECTOR = "public_sector", _("Public sector")
        NONPROFIT = "nonprofit", _("Non-profit")

    class GiftPolicy(models.TextChoices):
        ALLOWED = "allowed", _("Gifts allowed")
        NO_GIFTS = "no_gifts", _("No gifts")

    external_id = models.CharField(
        _("external id"), max_length=100, unique=True, null=True, blank=True
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.COMPANY)
    gift_policy = models.CharField(
        _("gift policy"), max_length=20, choices=GiftPolicy.choices, default=GiftPolicy.ALLOWED
    )
    gift_limit_eur = models.DecimalField(
        _("gift limit (EUR per recipient and year)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("Leave empty for the default limit; set it when the organization's is lower."),
    )
    # Who changed a gift policy or limit, and when, matters when a gift is questioned.
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        verbose_name = _("organization")
        verbose_name_plural = _("organizations")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["company", "public_sector", "nonprofit"]),
                name="organization_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(gift_policy__in=["allowed", "no_gifts"]),
                name="organization_gift_policy_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(gift_limit_eur__isnull=True) | models.Q(gift_limit_eur__gte=0),
                name="organization_gift_limit_not_negative",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def accepts_gifts(self) -> bool:
        return self.gift_policy == self.GiftPolicy.ALLOWED and self.kind != self.Kind.PUBLIC_SECTOR


class Contact(models.Model):
    class Tier(models.TextChoices):
        A = "A", _("A — key")
        B = "B", _("B — regular")
        C = "C", _("C — occasional")

    class Address(models.TextChoices):
        """How a note draft addresses the person: German "Sie" or "du"; in English by
        title and surname or by first name."""

        FORMAL = "formal", _("Formal (Sie; title and surname)")
        INFORMAL = "informal", _("Informal (du; first name)")

    external_id = models.CharField(
        _("external id"), max_length=100, unique=True, null=True, blank=True
    )
    first_name = models.CharField(_("first name"), max_length=100)
    last_name = models.CharField(_("last name"), max_length=100)
    organization = models.ForeignKey(
        Organization,
        verbose_name=_("organization"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="contacts",
    )
    title = models.CharField(_("title"), max_length=150, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    language = models.CharField(
        _("language"), max_length=2, choices=User.Language.choices, default=User.Language.DE
    )
    tier = models.CharField(_("tier"), max_length=1, choices=Tier.choices, default=Tier.B)
    address = models.CharField(
        _("form of address"),
        max_length=10,
        choices=Address.choices,
        default=Address.FORMAL,
        help_text=_("How note drafts address the person."),
    )
    salutation = models.CharField(
        _("salutation"),
        max_length=40,
        blank=True,
        help_text=_("Before the surname in a formal address: Frau, Herr Dr., Ms, Dr …"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner"),
        on_delete=models.PROTECT,
        related_name="owned_contacts",
    )
    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.PROTECT, related_name="contacts"
    )
    do_not_gift = models.BooleanField(_("do not give gifts"), default=False)
    compliance_review = models.BooleanField(
        _("flagged for compliance"),
        default=False,
        help_text=_("Every gift for this contact needs the team lead's approval."),
    )
    archived = models.BooleanField(_("archived"), default=False)
    customer_since = models.DateField(
        _("customer since"),
        null=True,
        blank=True,
        help_text=_("The day they became our customer: round years get a note."),
    )
    # The latest observation or gesture: raised by the services that record one
    # (contacts.services.contact_touch), read by the scan, the lists and the reports.
    last_touch_on = models.DateField(_("last touch"), null=True, blank=True, editable=False)
    privacy_notice_on = models.DateField(
        _("privacy notice given on"),
        null=True,
        blank=True,
        help_text=_("When the person was told what relcrm records about them (GDPR Art. 14)."),
    )
    # Set by an erasure (privacy.services.contact_erase): the row stays only so the gift
    # ledger keeps its recipient, under the pseudonym in last_name and nothing else personal.
    erased_at = models.DateTimeField(_("erased at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords(excluded_fields=["last_touch_on"])

    class Meta:
        ordering = ["last_name", "first_name"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(tier__in=["A", "B", "C"]), name="contact_tier_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(language__in=["en", "de"]), name="contact_language_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(address__in=["formal", "informal"]),
                name="contact_address_valid",
            ),
            models.CheckConstraint(
                condition=~models.Q(first_name="") | ~models.Q(last_name=""),
                name="contact_has_a_name",
            ),
            # An erased person is never active again.
            models.CheckConstraint(
                condition=models.Q(erased_at__isnull=True) | models.Q(archived=True),
                name="contact_erased_is_archived",
            ),
        ]
        indexes = [
            models.Index(fields=["team", "archived", "last_name"], name="contact_team_list_idx"),
            models.Index(fields=["owner", "archived"], name="contact_owner_idx"),
            # Who is out of touch: the scan's keep-in-touch selection and the team report.
            models.Index(fields=["tier", "archived", "last_touch_on"], name="contact_touch_idx"),
        ]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None


class Observation(models.Model):
    """What someone noticed about a contact, in their own words: the source of truth."""

    external_id = models.CharField(
        _("external id"), max_length=100, unique=True, null=True, blank=True
    )
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="observations"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("noted by"),
        on_delete=models.PROTECT,
        related_name="observations",
    )
    text = models.TextField(_("observation"), max_length=10_000)
    noted_on = models.DateField(_("noted on"))
    language = models.CharField(
        _("language"), max_length=2, choices=User.Language.choices, default=User.Language.EN
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-noted_on", "-created_at"]
        verbose_name = _("observation")
        verbose_name_plural = _("observations")
        constraints = [
            models.CheckConstraint(condition=~models.Q(text=""), name="observation_text_not_empty"),
            models.CheckConstraint(
                condition=models.Q(language__in=["en", "de"]), name="observation_language_valid"
            ),
        ]
        indexes = [
            models.Index(fields=["contact", "-noted_on"], name="observation_contact_idx"),
            # The daily scan looks for recent observations across all contacts.
            models.Index(fields=["noted_on"], name="observation_noted_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.contact} · {self.noted_on:%Y-%m-%d}"

    @property
    def team_id(self) -> int:
        """Observations belong to their contact's team (for contacts.permissions)."""
        return self.contact.team_id


class Fact(models.Model):
    """A structured statement derived from an observation (see docs/facts.md)."""

    class Kind(models.TextChoices):
        BIRTHDAY = "birthday", _("Birthday")
        ANNIVERSARY = "anniversary", _("Anniversary")
        ROLE_CHANGE = "role_change", _("Role change")
        LIFE_EVENT = "life_event", _("Life event")
        INTEREST = "interest", _("Interest")
        DISLIKE = "dislike", _("Dislike")
        CONSTRAINT = "constraint", _("Constraint")
        MILESTONE = "milestone", _("Milestone")

    class Person(models.TextChoices):
        """Whose fact it is when it is not the contact's own."""

        PARTNER = "partner", _("Partner")
        CHILD = "child", _("Child")
        PARENT = "parent", _("Parent")
        SIBLING = "sibling", _("Sibling")
        GRANDCHILD = "grandchild", _("Grandchild")
        GRANDPARENT = "grandparent", _("Grandparent")

    class Subject(models.TextChoices):
        WORK = "work", _("Work anniversary")
        COMPANY = "company", _("Company anniversary")
        CUSTOMER = "customer", _("Customer anniversary")
        WEDDING = "wedding", _("Wedding anniversary")
        OTHER = "other", _("Anniversary")

    class Event(models.TextChoices):
        WEDDING = "wedding", _("Wedding")
        BIRTH = "birth", _("Birth")
        MOVE = "move", _("Move")
        GRADUATION = "graduation", _("Graduation")
        RETIREMENT = "retirement", _("Retirement")
        BEREAVEMENT = "bereavement", _("Bereavement")
        ILLNESS = "illness", _("Illness")

    class Constraint(models.TextChoices):
        NO_ALCOHOL = "no_alcohol", _("No alcohol")
        VEGAN = "vegan", _("Vegan")
        VEGETARIAN = "vegetarian", _("Vegetarian")
        GLUTEN_FREE = "gluten_free", _("Gluten-free")
        LACTOSE_FREE = "lactose_free", _("Lactose-free")
        NUT_ALLERGY = "nut_allergy", _("Nut allergy")
        HALAL = "halal", _("Halal")
        KOSHER = "kosher", _("Kosher")
        NO_GIFTS = "no_gifts", _("No gifts")

    # What a fact says, field by field: two facts with the same content are the same fact.
    CONTENT_FIELDS: ClassVar[tuple[str, ...]] = (
        "kind",
        "month",
        "day",
        "year",
        "date",
        "subject",
        "event",
        "title",
        "label",
        "tag",
        "person",
    )

    observation = models.ForeignKey(
        Observation, verbose_name=_("observation"), on_delete=models.CASCADE, related_name="facts"
    )
    # The observation's contact, kept here so the daily scan can find facts by date
    # without joining through observations.
    contact = models.ForeignKey(
        Contact, verbose_name=_("contact"), on_delete=models.CASCADE, related_name="facts"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    month = models.PositiveSmallIntegerField(_("month"), null=True, blank=True)
    day = models.PositiveSmallIntegerField(_("day"), null=True, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices, blank=True)
    event = models.CharField(_("event"), max_length=20, choices=Event.choices, blank=True)
    title = models.CharField(_("title"), max_length=200, blank=True)
    label = models.CharField(_("label"), max_length=200, blank=True)
    tag = models.SlugField(_("tag"), max_length=50, blank=True)
    person = models.CharField(
        _("about"),
        max_length=20,
        choices=Person.choices,
        blank=True,
        help_text=_("The relative the fact is about; empty for the contact."),
    )
    sensitive = models.BooleanField(
        _("special category (GDPR Art. 9)"),
        default=False,
        help_text=_("Reveals health, religion or another special category of personal data."),
    )
    evidence = models.TextField(_("evidence"), blank=True)

    class Meta:
        ordering = ["observation", "pk"]
        verbose_name = _("fact")
        verbose_name_plural = _("facts")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(
                    kind__in=[
                        "birthday",
                        "anniversary",
                        "role_change",
                        "life_event",
                        "interest",
                        "dislike",
                        "constraint",
                        "milestone",
                    ]
                ),
                name="fact_kind_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(month__isnull=True) | models.Q(month__gte=1, month__lte=12),
                name="fact_month_range",
            ),
            models.CheckConstraint(
                condition=models.Q(day__isnull=True) | models.Q(day__gte=1, day__lte=31),
                name="fact_day_range",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["birthday", "anniversary"])
                | models.Q(month__isnull=False, day__isnull=False),
                name="fact_yearly_date_has_month_and_day",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="anniversary") | ~models.Q(subject=""),
                name="fact_anniversary_has_subject",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="life_event") | ~models.Q(event=""),
                name="fact_life_event_has_event",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind__in=["interest", "dislike", "constraint"])
                | ~models.Q(tag=""),
                name="fact_interest_or_constraint_has_tag",
            ),
            models.CheckConstraint(
                condition=~models.Q(kind="milestone") | ~models.Q(label=""),
                name="fact_milestone_has_label",
            ),
        ]
        indexes = [
            models.Index(fields=["kind", "month", "day"], name="fact_yearly_idx"),
            models.Index(fields=["kind", "date"], name="fact_dated_idx"),
            models.Index(fields=["contact", "kind"], name="fact_contact_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.contact_id}"

    @property
    def team_id(self) -> int:
        return self.contact.team_id


class ContactImport(models.Model):
    """An uploaded contact file on its way in: the mapping chosen, then the background
    run's progress and result."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Mapping")
        QUEUED = "queued", _("Waiting")
        RUNNING = "running", _("Importing")
        DONE = "done", _("Imported")
        FAILED = "failed", _("Not imported")

    team = models.ForeignKey(
        Team, verbose_name=_("team"), on_delete=models.CASCADE, related_name="contact_imports"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("imported by"),
        on_delete=models.CASCADE,
        related_name="contact_imports",
    )
    default_owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("owner of new contacts"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField(_("file name"), max_length=255)
    format = models.CharField(_("format"), max_length=10)
    # The file as uploaded; it is read again by the background run.
    content = models.BinaryField(_("file"))
    mapping = models.JSONField(_("column mapping"), default=dict)
    status = models.CharField(
        _("status"), max_length=10, choices=Status.choices, default=Status.DRAFT
    )
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    processed_rows = models.PositiveIntegerField(_("rows done"), default=0)
    result = models.JSONField(_("result"), default=dict, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("contact import")
        verbose_name_plural = _("contact imports")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(status__in=["draft", "queued", "running", "done", "failed"]),
                name="contact_import_status_valid",
            ),
        ]

    def __str__(self) -> str:
        return self.filename

    @property
    def owner_id(self) -> int:
        """Whoever uploaded it may change it (and team leads; contacts.permissions)."""
        return self.created_by_id

    # How far each phase takes the progress bar: checking the rows is quick, reading the
    # facts in the notes takes most of the time, writing happens at once at the end.
    PHASES: ClassVar[dict[str, tuple[int, int]]] = {
        "checking": (0, 15),
        "reading": (15, 90),
        "writing": (90, 100),
    }

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        start, end = self.PHASES.get(self.phase, (0, 0))
        if not self.total_rows:
            return start
        share = min(1.0, self.processed_rows / self.total_rows)
        return start + round((end - start) * share)
