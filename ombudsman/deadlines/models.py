from django.db import models
from django.utils.translation import gettext_lazy as _


class ClosureDay(models.Model):
    """A day the office is closed besides the legal holidays (e.g. a bridge day)."""

    day = models.DateField(_("day"), unique=True)
    reason = models.CharField(_("reason"), max_length=200)

    class Meta:
        ordering = ["day"]
        verbose_name = _("closure day")
        verbose_name_plural = _("closure days")

    def __str__(self) -> str:
        return f"{self.day:%Y-%m-%d} {self.reason}"


class SweepRun(models.Model):
    """What one run of the deadline sweep did, for operations and proof."""

    today = models.DateField(_("date swept for"))
    started_at = models.DateTimeField(_("started"))
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    results = models.JSONField(_("results"), default=dict)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["-finished_at"], name="sweeprun_finished")]
        verbose_name = _("sweep run")
        verbose_name_plural = _("sweep runs")

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.results}"
