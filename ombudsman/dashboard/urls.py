from django.urls import path

from ombudsman.dashboard import views

app_name = "dashboard"

urlpatterns = [
    path("statistics/", views.statistics_page, name="statistics"),
    path("statistics/<str:key>.csv", views.statistics_csv, name="csv"),
]
