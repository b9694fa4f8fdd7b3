from __future__ import annotations

from django.conf import settings
from django.db import connection, models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField

from platforms.models import Service


class CaseState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_ASSESSMENT = "in_assessment", _("In assessment")
    AWAITING_INFORMATION = "awaiting_information", _("Awaiting information")
    IN_REVIEW = "in_review", _("In review")
    ESTABLISHED = "established", _("Established")
    REJECTED = "rejected", _("Rejected")
    DISCLOSURE_PENDING = "disclosure_pending", _("Disclosure pending")
    IDENTIFIED = "identified", _("Identified")
    NOT_IDENTIFIED = "not_identified", _("Not identified")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Channel(models.TextChoices):
    WEB = "web", _("Public web form")
    POST = "post", _("Post")
    EMAIL = "email", _("E-mail")


class FilerRole(models.TextChoices):
    VICTIM = "victim", _("I am the victim")
    PARENT = "parent", _("Parent or guardian of the victim")
    LAWYER = "lawyer", _("Lawyer of the victim")


class OffenceCategory(models.TextChoices):
    THREATS = "threats", _("Threats")
    INTIMIDATION = "intimidation", _("Intimidation")
    STALKING = "stalking", _("Stalking")
    SEXUAL_EXTORTION = "sexual_extortion", _("Sexual extortion")
    REPEATED_INSULTS = "repeated_insults", _("Repeated insults")
    OTHER = "other", _("Other")


class ReferenceSequence(models.Model):
    """The last case number given out in a year."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"

    @classmethod
    def next_number(cls, year: int) -> int:
        """Atomically take the next number of `year` (one statement, safe under concurrency)."""
        table = connection.ops.quote_name(cls._meta.db_table)
        # Django's ORM cannot express an upsert that returns the new value; one SQL statement does.
        sql = (
            f"INSERT INTO {table} (year, last_number) VALUES (%s, 1) "  # noqa: S608 (table name is ours)
            f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + 1 "
            "RETURNING last_number"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [year])
            return cursor.fetchone()[0]


class Case(models.Model):
    """A complaint and its handling, from submission to closure."""

    reference = models.CharField(_("reference"), max_length=20, unique=True, editable=False)
    state = FSMField(
        _("state"),
        default=CaseState.SUBMITTED,
        choices=CaseState.choices,
        protected=True,
        db_index=True,
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    language = models.CharField(_("language of correspondence"), max_length=2, choices=settings.LETTER_LANGUAGES)

    filer_role = models.CharField(_("who files"), max_length=10, choices=FilerRole.choices)
    complainant_first_name = models.CharField(_("first name"), max_length=100)
    complainant_last_name = models.CharField(_("last name"), max_length=100)
    complainant_email = models.EmailField(_("e-mail"), blank=True)
    complainant_phone = models.CharField(_("phone"), max_length=40, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=12)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=60, default="Belgium")
    victim_name = models.CharField(
        _("name of the victim"),
        max_length=200,
        blank=True,
        help_text=_("When you file for someone else."),
    )

    service = models.ForeignKey(Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+")
    offence_categories = models.JSONField(_("offence categories"), default=list)
    description = models.TextField(_("description"))
    police_report_number = models.CharField(_("police report number"), max_length=60, blank=True)
    declared_truthful = models.BooleanField(_("declared truthful"), default=False)
    consented_to_processing = models.BooleanField(_("consented to processing"), default=False)

    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The staff member who entered a complaint received by post or e-mail."),
    )

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["state", "submitted_at"]),
            models.Index(fields=["service", "submitted_at"]),
            models.Index(fields=["channel", "submitted_at"]),
            models.Index(fields=["submitted_at", "id"]),
        ]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference

    @property
    def complainant_name(self) -> str:
        return f"{self.complainant_first_name} {self.complainant_last_name}".strip()

    @property
    def postal_address(self) -> str:
        return f"{self.street}\n{self.postal_code} {self.city}\n{self.country}"

    def offence_category_labels(self) -> list[str]:
        labels = dict(OffenceCategory.choices)
        return [str(labels.get(code, code)) for code in self.offence_categories]

    @staticmethod
    def format_reference(year: int, number: int) -> str:
        return f"OMB-{year}-{number:06d}"


class IdentifierKind(models.TextChoices):
    ACCOUNT_NAME = "account_name", _("Account name")
    PROFILE_URL = "profile_url", _("Profile URL")
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("E-mail address")


class PerpetratorIdentifier(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("type"), max_length=20, choices=IdentifierKind.choices)
    value = models.CharField(_("identifier"), max_length=500)

    class Meta:
        ordering = ["id"]
        indexes = [models.Index(fields=["kind", "value"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class MessageTime(models.Model):
    """When one of the harassing messages was received (precise date and time)."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="message_times")
    received_at = models.DateTimeField(_("date and time"))

    class Meta:
        ordering = ["received_at"]

    def __str__(self) -> str:
        return self.received_at.isoformat()


def evidence_path(instance: Evidence, filename: str) -> str:
    # Never the uploaded name: it may hold personal data, and paths must not be guessable.
    return f"evidence/{timezone.now():%Y/%m}/{instance.sha256[:2]}/{instance.token}"


class Evidence(models.Model):
    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="evidence")
    token = models.CharField(max_length=32, unique=True)
    file = models.FileField(upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField("SHA-256", max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["id"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self) -> str:
        return self.original_name
