from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "draft": _("Order drafted"),
    "issue": _("Order issued"),
    "acknowledge": _("Receipt acknowledged"),
    "request_extension": _("Extension requested"),
    "grant_extension": _("Extension granted"),
    "refuse_extension": _("Extension refused"),
    "answer": _("Answered"),
    "reminder_sent": _("Reminder sent"),
    "mark_overdue": _("Overdue: formal notice"),
    "escalate": _("Escalated to BIPT"),
    "accept_answer": _("Answer accepted"),
    "reject_answer": _("Answer rejected as incomplete"),
    "order_disclosure": _("Disclosure ordered"),
    "record_identified": _("Holder identified"),
    "record_not_identified": _("Not identified"),
    "identity_read": _("Identity data read"),
    "api_token_issued": _("API token issued"),
}


class PlatformsConfig(AppConfig):
    name = "platforms"
    verbose_name = _("Platforms and operators")

    def ready(self) -> None:
        from ombudsman.audit.models import register_action_labels
        from platforms import (
            letters,  # noqa: F401  (registers the letter kinds of orders)
            services,  # noqa: F401  (registers the order sweepers)
        )

        register_action_labels(ACTION_LABELS)

        from ombudsman.core.cache import forget_on_change
        from platforms.catalogue import COMPLAINT_SERVICES_CACHE_KEY
        from platforms.models import Organisation, Service

        forget_on_change(COMPLAINT_SERVICES_CACHE_KEY, Service, Organisation)
