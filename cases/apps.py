from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "submitted": _("Complaint submitted"),
    "evidence_downloaded": _("Evidence downloaded"),
    "assign": _("Assigned"),
    "reassign": _("Reassigned"),
    "request_information": _("Information requested"),
    "receive_information": _("Information received"),
    "lapse": _("Closed: no reply in time"),
    "propose_decision": _("Assessment proposed"),
    "send_back": _("Assessment sent back"),
    "approve": _("Assessment approved"),
    "close": _("Closed"),
    "withdraw": _("Withdrawn"),
    "identity_recipient_changed": _("Recipient of the identity changed"),
}


class CasesConfig(AppConfig):
    name = "cases"
    verbose_name = _("Cases")

    def ready(self) -> None:
        from cases import letters  # noqa: F401  (registers the letter kinds of cases)
        from cases.services import information  # noqa: F401  (registers the lapse sweeper)
        from ombudsman.audit.models import register_action_labels

        register_action_labels(ACTION_LABELS)
