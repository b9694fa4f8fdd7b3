"""Letters: every PDF the office issues, immutable once written (a correction is a new
version), and the request that triggered each one (so one trigger gives one letter)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# No 0/O/1/I: codes are typed from paper.
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"


def new_verification_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def letter_path(instance: Letter, filename: str) -> str:
    # One name per request: a rendering cut off after writing its file (a worker killed before
    # its commit) leaves a file that the next attempt replaces, never a second copy.
    return f"letters/{instance.request.requested_at:%Y/%m}/{instance.request_id}.pdf"


class ImmutableLetterError(Exception):
    pass


class LetterRequestQuerySet(models.QuerySet):
    def rendered(self) -> LetterRequestQuerySet:
        return self.filter(completed_at__isnull=False)

    def waiting(self) -> LetterRequestQuerySet:
        """Not rendered and never failed: queued, or lost with the broker or a killed worker."""
        return self.filter(completed_at__isnull=True, attempts=0)

    def retrying(self) -> LetterRequestQuerySet:
        return self.filter(completed_at__isnull=True, attempts__gt=0, failed_at__isnull=True)

    def failed(self) -> LetterRequestQuerySet:
        """Every automatic retry failed: an administrator looks at the error and retries."""
        return self.filter(completed_at__isnull=True, failed_at__isnull=False)


class LetterRequest(models.Model):
    """The trigger of a letter, written in the transaction of the change it reports.

    The letter is rendered after commit by a task; a sweep re-queues requests that are
    still pending, so no letter is lost when the broker was down."""

    class Status(models.TextChoices):
        RENDERED = "rendered", _("rendered")
        WAITING = "waiting", _("waiting")
        RETRYING = "retrying", _("failed, retrying")
        FAILED = "failed", _("failed")

    kind = models.CharField(_("kind"), max_length=40)
    language = models.CharField(_("language"), max_length=2, choices=settings.LETTER_LANGUAGES)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    trigger_key = models.CharField(max_length=200)  # unique (Meta)
    # What the letter's builder needs besides its object (e.g. which request for information).
    parameters = models.JSONField(default=dict, blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    completed_at = models.DateTimeField(_("rendered"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    # When the automatic retries ran out; the request stays failed until a retry renders it.
    failed_at = models.DateTimeField(_("failed"), null=True, blank=True)

    objects = LetterRequestQuerySet.as_manager()

    class Meta:
        # Unique by a constraint rather than unique=True, which adds an index for LIKE searches too.
        constraints = [models.UniqueConstraint(fields=["trigger_key"], name="letters_letterrequest_trigger_key_key")]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="letterrequest_object"),
            models.Index(
                fields=["requested_at"],
                name="letterrequest_pending",
                condition=models.Q(completed_at__isnull=True),
            ),
        ]
        verbose_name = _("letter request")
        verbose_name_plural = _("letter requests")

    def __str__(self) -> str:
        return self.trigger_key

    @property
    def status(self) -> Status:
        if self.completed_at is not None:
            return self.Status.RENDERED
        if self.failed_at is not None:
            return self.Status.FAILED
        return self.Status.RETRYING if self.attempts else self.Status.WAITING


class Letter(models.Model):
    request = models.OneToOneField(LetterRequest, on_delete=models.PROTECT, related_name="letter")
    kind = models.CharField(_("kind"), max_length=40)
    language = models.CharField(_("language"), max_length=2, choices=settings.LETTER_LANGUAGES)
    # Indexed with object_id (Meta).
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+", db_index=False)
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    reference = models.CharField(_("reference"), max_length=60)
    version = models.PositiveIntegerField(_("version"), default=1)
    recipient_name = models.CharField(_("recipient"), max_length=200)
    recipient_email = models.EmailField(_("recipient e-mail"), blank=True)
    recipient_address = models.TextField(_("recipient address"), blank=True)
    signatory_name = models.CharField(_("signed by"), max_length=200)
    signatory_capacity = models.CharField(_("capacity"), max_length=200)
    signatory_contact = models.CharField(_("contact"), max_length=200)
    pdf = models.FileField(_("PDF"), upload_to=letter_path, max_length=200)
    sha256 = models.CharField("SHA-256", max_length=64)
    verification_code = models.CharField(_("verification code"), max_length=14)  # unique (Meta)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["content_type", "object_id", "kind", "version"],
                name="unique_letter_version",
            ),
            # A constraint rather than unique=True, which adds an index for LIKE searches too.
            models.UniqueConstraint(fields=["verification_code"], name="letters_letter_verification_code_key"),
        ]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"])]
        verbose_name = _("letter")
        verbose_name_plural = _("letters")

    def __str__(self) -> str:
        return f"{self.reference} {self.kind} v{self.version}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None:
            raise ImmutableLetterError("A letter is never changed; issue a new version instead.")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        raise ImmutableLetterError("A letter is never deleted.")

    @property
    def title(self) -> str:
        from ombudsman.letters.kinds import get_kind

        return str(get_kind(self.kind).title)
