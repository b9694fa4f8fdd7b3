from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path
from django.views.i18n import set_language

from ombudsman.accounts import views as account_views
from ombudsman.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("healthz", core_views.healthz, name="healthz"),
    path("start/", core_views.start, name="start"),
    path("i18n/setlang/", set_language, name="set_language"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("accounts/two-factor/", account_views.verify, name="two_factor_verify"),
    path("accounts/two-factor/setup/", account_views.setup, name="two_factor_setup"),
    path("admin/", admin.site.urls),
    path("", include("cases.urls")),
    path("", include("platforms.urls")),
    path("", include("enforcement.urls")),
    path("", include("ombudsman.dashboard.urls")),
    path("", include("ombudsman.privacy.urls")),
    path("api/", include("platforms.api.urls")),
    path("", include("ombudsman.letters.urls")),
]

handler400 = "ombudsman.core.views.bad_request"
handler404 = "ombudsman.core.views.not_found"
handler500 = "ombudsman.core.views.server_error"
