from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DeadlinesConfig(AppConfig):
    name = "ombudsman.deadlines"
    label = "deadlines"
    verbose_name = _("Deadlines")

    def ready(self) -> None:
        from ombudsman.core.cache import forget_on_change
        from ombudsman.deadlines.calendar import CLOSURE_DAYS_CACHE_KEY
        from ombudsman.deadlines.models import ClosureDay

        forget_on_change(CLOSURE_DAYS_CACHE_KEY, ClosureDay)
