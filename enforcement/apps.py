from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "referral_opened": _("Referral opened"),
    "referral_assigned": _("Referral assigned"),
    "open_investigation": _("Investigation opened"),
    "notify_grievances": _("Grievances notified"),
    "record_defence": _("Written defence received"),
    "close_defence": _("Defence period over"),
    "schedule_hearing": _("Hearing scheduled"),
    "hold_hearing": _("Hearing held"),
    "draft_decision": _("Draft decision sent"),
    "draft_answer_received": _("Answer to the draft received"),
    "decide": _("Decision taken"),
    "decision_final": _("Decision final (no appeal)"),
    "record_appeal": _("Appeal lodged"),
    "record_judgment": _("Judgment recorded"),
    "record_payment": _("Payment recorded"),
    "payment_reminder_sent": _("Payment reminder sent"),
    "compliance_restored": _("Compliance restored: dismissed"),
    "compliance_noted_procedure_continues": _("Compliance noted: procedure continues"),
}


class EnforcementConfig(AppConfig):
    name = "enforcement"
    verbose_name = _("BIPT enforcement")

    def ready(self) -> None:
        from enforcement import (
            letters,  # noqa: F401  (registers the letter kinds)
            services,  # noqa: F401  (registers the procedure sweepers)
        )
        from ombudsman.audit.models import register_action_labels

        register_action_labels(ACTION_LABELS)
