from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import models
from django.utils.translation import gettext_lazy as _


class OrderKind(models.TextChoices):
    ACCOUNT_DATA = "account_data", _("Data of the holder of an account")
    IP_SUBSCRIBER = "ip_subscriber", _("Subscriber using an IP address at a given time")
    NUMBER_SUBSCRIBER = "number_subscriber", _("Subscriber of a phone number")


class Organisation(models.Model):
    """A platform provider or a Belgian telecom operator that receives disclosure orders."""

    class Kind(models.TextChoices):
        PLATFORM = "platform", _("Online platform")
        OPERATOR = "operator", _("Telecom operator")

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    legal_address = models.TextField(_("legal address"), blank=True)
    country = models.CharField(_("country"), max_length=2, default="BE", help_text=_("ISO 3166 code"))
    contact_point_email = models.EmailField(
        _("contact point e-mail"), help_text=_("Single point of contact for authorities (DSA art. 11).")
    )
    letter_language = models.CharField(
        _("letter language"), max_length=2, choices=settings.LETTER_LANGUAGES, default="en"
    )
    # Its liaison users are the members of this group; orders are shared with the group.
    liaison_group = models.OneToOneField(
        Group, verbose_name=_("liaison group"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name

    @property
    def is_belgian_operator(self) -> bool:
        return self.kind == self.Kind.OPERATOR and self.country == "BE"


class Service(models.Model):
    """A service a complainant was harassed on (WhatsApp, Instagram, mobile telephony...)."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="services"
    )
    name = models.CharField(_("name"), max_length=120)
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["organisation__name", "name"]
        constraints = [models.UniqueConstraint(fields=["organisation", "name"], name="unique_service_name")]
        verbose_name = _("service")
        verbose_name_plural = _("services")

    def __str__(self) -> str:
        return self.name


class OrderDeadline(models.Model):
    """The time an organisation has to answer one kind of order (calendar days).

    Without a row, the default of settings.DISCLOSURE_ORDER_DAYS applies."""

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="deadlines"
    )
    kind = models.CharField(_("kind of order"), max_length=30, choices=OrderKind.choices)
    days = models.PositiveIntegerField(_("days to answer"))
    source = models.CharField(_("source"), max_length=300, blank=True, help_text=_("Agreement or rule it rests on."))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "kind"], name="unique_order_deadline")]
        verbose_name = _("order deadline")
        verbose_name_plural = _("order deadlines")

    def __str__(self) -> str:
        return f"{self.organisation}: {self.get_kind_display()} {self.days}"

    @staticmethod
    def days_for(organisation: Organisation, kind: str) -> int:
        row = OrderDeadline.objects.filter(organisation=organisation, kind=kind).values_list("days", flat=True).first()
        return row if row is not None else settings.DISCLOSURE_ORDER_DAYS[kind]
