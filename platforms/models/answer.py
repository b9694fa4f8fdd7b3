"""Answers of organisations to orders. Identity data is encrypted at rest and every reading
of it is logged with who, when and why."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ombudsman.core.crypto import decrypt_json, encrypt_json


class AnswerOutcome(models.TextChoices):
    IDENTITY = "identity", _("Identity data provided")
    NO_DATA = "no_data", _("No data held")
    REFUSAL = "refusal", _("Refusal with reasons")


class AnswerReview(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    REJECTED = "rejected", _("Rejected as incomplete")


class DisclosureAnswer(models.Model):
    order = models.ForeignKey(
        "platforms.DisclosureOrder", verbose_name=_("order"), on_delete=models.PROTECT, related_name="answers"
    )
    outcome = models.CharField(_("outcome"), max_length=10, choices=AnswerOutcome.choices)
    # Holder name, e-mail, phone, IP addresses, account data: only ever stored encrypted.
    identity_ciphertext = models.TextField(blank=True)
    # Not identity data: what lets the officer decide on a follow-up order without opening it.
    names_holder = models.BooleanField(_("names a holder"), default=False)
    refusal_reasons = models.TextField(_("reasons for refusing"), blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    answered_at = models.DateTimeField(_("answered"), default=timezone.now)
    channel = models.CharField(_("channel"), max_length=10)  # portal or api
    review = models.CharField(_("review"), max_length=10, choices=AnswerReview.choices, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_reasons = models.TextField(_("reasons"), blank=True)

    class Meta:
        ordering = ["order", "answered_at", "id"]
        verbose_name = _("answer to an order")
        verbose_name_plural = _("answers to orders")

    def __str__(self) -> str:
        return f"{self.order} {self.outcome} {self.answered_at:%Y-%m-%d}"

    def seal_identity(self, identity: dict[str, Any]) -> None:
        self.identity_ciphertext = encrypt_json(identity) if identity else ""

    def unseal_identity(self) -> dict[str, Any]:
        """The decrypted identity data. Call only through a service that logs the reading."""
        return decrypt_json(self.identity_ciphertext) if self.identity_ciphertext else {}


class IdentityAccess(models.Model):
    """One reading of identity data: who, when, and the purpose they stated."""

    answer = models.ForeignKey(DisclosureAnswer, on_delete=models.PROTECT, related_name="accesses")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="identity_accesses")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=120, blank=True)
    purpose = models.TextField(_("purpose"))
    accessed_at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        ordering = ["-accessed_at", "-id"]
        verbose_name = _("reading of identity data")
        verbose_name_plural = _("readings of identity data")

    def __str__(self) -> str:
        return f"{self.accessed_at:%Y-%m-%d %H:%M} {self.actor_label or self.user}"
