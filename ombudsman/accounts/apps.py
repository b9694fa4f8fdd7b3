from django.apps import AppConfig
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "ombudsman.accounts"
    label = "accounts"
    verbose_name = _("Accounts and roles")

    def ready(self) -> None:
        from ombudsman.accounts.middleware import mark_login
        from ombudsman.accounts.roles import grant_role_permissions

        # Model permissions exist only after every app migrated, hence post_migrate.
        post_migrate.connect(grant_role_permissions, dispatch_uid="grant_role_permissions")
        user_logged_in.connect(mark_login, dispatch_uid="staff_session_login_time")
