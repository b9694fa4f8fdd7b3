from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ombudsman.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from ombudsman.accounts.roles import grant_role_permissions

        # Model permissions exist only after every app migrated, hence post_migrate.
        post_migrate.connect(grant_role_permissions, dispatch_uid="grant_role_permissions")
