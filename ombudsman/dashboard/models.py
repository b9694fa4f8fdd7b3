from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone


class DigestSent(models.Model):
    """One morning digest sent to one user on one day (so it is sent once, whatever happens)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="one_digest_per_user_per_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day}"


# The statistics summaries (ombudsman.dashboard.summaries): per day, the facts that can no longer
# change, so the statistics page adds them up instead of reading every case and order.


class SummaryState(models.Model):
    """How far the summaries reach (one row): the ended cases closed and the orders finished on
    or before `summarised_to`; whatever came after is still computed live."""

    summarised_to = models.DateField(null=True)
    built_at = models.DateTimeField(null=True)

    def __str__(self) -> str:
        return f"statistics summarised to {self.summarised_to}"


class CaseDaySummary(models.Model):
    """Ended cases per day of submission (Brussels), service and final state."""

    submitted_on = models.DateField()
    service = models.ForeignKey("platforms.Service", on_delete=models.PROTECT, related_name="+", db_index=False)
    state = models.CharField(max_length=20)
    cases = models.PositiveIntegerField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["submitted_on", "service", "state"], name="case_day_summary_key")
        ]

    def __str__(self) -> str:
        return f"{self.submitted_on} {self.service_id} {self.state}: {self.cases}"


class CategoryDaySummary(models.Model):
    """Ended cases per day of submission and offence category (a case counts once per category)."""

    submitted_on = models.DateField()
    category = models.TextField()
    cases = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["submitted_on", "category"], name="category_day_summary_key")]

    def __str__(self) -> str:
        return f"{self.submitted_on} {self.category}: {self.cases}"


class ClosureDaySummary(models.Model):
    """Ended cases per day of closure and days from submission to closure: the histogram from which
    the median handling time is exact (the days are whole numbers)."""

    closed_on = models.DateField()
    handling_days = models.IntegerField()
    cases = models.PositiveIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["closed_on", "handling_days"], name="closure_day_summary_key")]

    def __str__(self) -> str:
        return f"{self.closed_on} {self.handling_days} days: {self.cases}"


class OrderDaySummary(models.Model):
    """Finished orders (fulfilled, withdrawn, escalated) per day of issue (Brussels) and organisation.
    The days to the first answer are kept one by one: their median is not a sum."""

    issued_on = models.DateField()
    organisation = models.ForeignKey(
        "platforms.Organisation", on_delete=models.PROTECT, related_name="+", db_index=False
    )
    received = models.PositiveIntegerField()
    acknowledged_in_time = models.PositiveIntegerField()
    answered_in_time = models.PositiveIntegerField()
    overdue = models.PositiveIntegerField()
    escalated = models.PositiveIntegerField()
    days_to_answer = ArrayField(models.FloatField(), default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issued_on", "organisation"], name="order_day_summary_key")]

    def __str__(self) -> str:
        return f"{self.issued_on} {self.organisation_id}: {self.received}"
