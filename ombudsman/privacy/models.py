"""What the retention purge did (a record per case and stage) and the register of
data-subject access requests answered. Neither holds personal data: references, kinds, counts."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PurgeStage(models.TextChoices):
    IDENTITY = "identity", _("Identity data erased")
    CASE = "case", _("Case pseudonymised")


class PurgeRun(models.Model):
    """One run of the retention purge (nightly, or `manage.py purge_expired_data`)."""

    today = models.DateField(_("date purged for"))
    started_at = models.DateTimeField(_("started"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    results = models.JSONField(_("cases purged per stage"), default=dict)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("purge run")
        verbose_name_plural = _("purge runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.results}"


class PurgeRecord(models.Model):
    """What one stage of the purge erased from one case, and when."""

    run = models.ForeignKey(PurgeRun, verbose_name=_("run"), on_delete=models.PROTECT, related_name="records")
    case = models.ForeignKey("cases.Case", on_delete=models.PROTECT, related_name="purge_records")
    case_reference = models.CharField(_("case"), max_length=20)
    stage = models.CharField(_("stage"), max_length=10, choices=PurgeStage.choices)
    closed_on = models.DateField(_("closed"))
    purged_at = models.DateTimeField(_("purged"), default=timezone.now)
    erased = models.JSONField(_("kinds of data erased"), default=list)
    counts = models.JSONField(_("counts"), default=dict)

    class Meta:
        ordering = ["-purged_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["case", "stage"], name="one_purge_per_case_and_stage")]
        verbose_name = _("purge record")
        verbose_name_plural = _("purge records")

    def __str__(self) -> str:
        return f"{self.case_reference} {self.stage} {self.purged_at:%Y-%m-%d}"


class DataSubject(models.TextChoices):
    COMPLAINANT = "complainant", _("A complainant (or the victim they filed for)")
    HOLDER = "holder", _("A holder named in an answer to an order")


class SubjectAccessRequest(models.Model):
    """One data-subject access export (GDPR art. 15): who ran it, about which kind of person,
    and which cases it covered; never the person's name or contact data."""

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    actor_label = models.CharField(max_length=120, blank=True)
    requested_at = models.DateTimeField(_("when"), default=timezone.now)
    subject = models.CharField(_("data subject"), max_length=12, choices=DataSubject.choices)
    output = models.CharField(_("format"), max_length=4)
    case_references = models.JSONField(_("cases"), default=list)
    answers = models.PositiveIntegerField(_("answers to orders"), default=0)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("data-subject access export")
        verbose_name_plural = _("data-subject access exports")

    def __str__(self) -> str:
        return f"{self.requested_at:%Y-%m-%d %H:%M} {self.subject} {len(self.case_references)}"
