from django.urls import path

from ombudsman.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("statistics/", views.statistics_page, name="statistics"),
    path("start/digest/", views.digest_settings, name="digest"),
    path("statistics/<str:key>.csv", views.statistics_csv, name="csv"),
]
