from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "ombudsman.core"
    label = "core"
    verbose_name = _("Office")

    def ready(self) -> None:
        from ombudsman.core import checks  # noqa: F401  (registers the deployment checks)
