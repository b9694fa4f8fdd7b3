from django.conf import settings
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
