"""Referrals to BIPT: opened when an order is escalated, or by hand for a pattern."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from ombudsman.core.choices import ChoiceLabelsMixin


class Referral(ChoiceLabelsMixin, models.Model):
    reference = models.CharField(_("reference"), max_length=40, unique=True)
    organisation = models.ForeignKey(
        "platforms.Organisation", verbose_name=_("organisation"), on_delete=models.PROTECT, related_name="referrals"
    )
    orders = models.ManyToManyField("platforms.DisclosureOrder", verbose_name=_("orders"), related_name="referrals")
    reason = models.TextField(_("reason"))
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    # Empty when the sweep opened it on an escalated order.
    opened_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("BIPT officer"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bipt_referrals",
    )

    class Meta:
        ordering = ["-opened_at", "-id"]
        verbose_name = _("referral to BIPT")
        verbose_name_plural = _("referrals to BIPT")

    def __str__(self) -> str:
        return self.reference


class ReferralUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Referral, on_delete=models.CASCADE)


class ReferralGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Referral, on_delete=models.CASCADE)
