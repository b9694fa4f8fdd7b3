"""What a complaint brings in: its choices, the perpetrator's identifiers, message times, evidence."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


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


class IdentifierKind(models.TextChoices):
    ACCOUNT_NAME = "account_name", _("Account name")
    PROFILE_URL = "profile_url", _("Profile URL")
    PHONE = "phone", _("Phone number")
    EMAIL = "email", _("E-mail address")


class PerpetratorIdentifier(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="identifiers")
    kind = models.CharField(_("type"), max_length=20, choices=IdentifierKind.choices)
    value = models.CharField(_("identifier"), max_length=500)
    # The canonical form (cases.identifiers.normalise): the same account, however it was written.
    normalised = models.CharField(_("normalised"), max_length=500, default="")

    class Meta:
        ordering = ["id"]
        # Looked up by equality only (an index in Meta, without the LIKE index that db_index adds),
        # and the cases naming a value read newest first (cases.search.recent_linked_cases).
        indexes = [models.Index(fields=["normalised", "case"], name="identifier_normalised_case")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.value}"


class MessageTime(models.Model):
    """When one of the harassing messages was received (precise date and time)."""

    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="message_times")
    received_at = models.DateTimeField(_("date and time"))

    class Meta:
        ordering = ["received_at"]

    def __str__(self) -> str:
        return self.received_at.isoformat()


def evidence_path(instance: Evidence, filename: str) -> str:
    # Never the uploaded name: it may hold personal data, and paths must not be guessable.
    return f"evidence/{timezone.now():%Y/%m}/{instance.sha256[:2]}/{instance.token}"


class Evidence(models.Model):
    case = models.ForeignKey("cases.Case", on_delete=models.CASCADE, related_name="evidence")
    # Evidence sent later, with the answer to a request for information.
    information_request = models.ForeignKey(
        "cases.InformationRequest", null=True, blank=True, on_delete=models.PROTECT, related_name="evidence"
    )
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
