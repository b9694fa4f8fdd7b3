from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


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
        _("contact point e-mail"),
        help_text=_("Single point of contact for authorities (DSA art. 11)."),
    )
    letter_language = models.CharField(
        _("letter language"), max_length=2, choices=settings.LETTER_LANGUAGES, default="en"
    )
    liaisons = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("liaison users"),
        blank=True,
        related_name="organisations",
    )
    active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Service(models.Model):
    """A service a complainant was harassed on (WhatsApp, Instagram, mobile telephony...)."""

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        related_name="services",
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
