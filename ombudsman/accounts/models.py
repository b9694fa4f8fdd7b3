from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class User(AbstractUser):
    """A member of staff: Ombudsman, BIPT, a platform's legal team, or an administrator.

    Name, capacity and contact appear on the letters the user signs."""

    capacity = models.CharField(_("capacity"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    language = models.CharField(_("language"), max_length=2, choices=settings.LANGUAGES, default="en")
    digest_opt_in = models.BooleanField(_("morning e-mail digest"), default=False)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def display_name(self) -> str:
        return self.name_to_display(self.first_name, self.last_name, self.username)

    @staticmethod
    def name_to_display(first_name: str, last_name: str, username: str) -> str:
        """The full name (as `get_full_name` gives it), or the username for a user without one."""
        return f"{first_name} {last_name}".strip() or username
