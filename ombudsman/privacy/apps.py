from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ACTION_LABELS = {
    "identity_data_erased": _("Identity data erased (retention)"),
    "case_pseudonymised": _("Case pseudonymised (retention)"),
    "subject_access_export": _("Data-subject access export"),
}


class PrivacyConfig(AppConfig):
    name = "ombudsman.privacy"
    label = "privacy"
    verbose_name = _("Privacy")

    def ready(self) -> None:
        from ombudsman.audit.models import register_action_labels

        register_action_labels(ACTION_LABELS)
