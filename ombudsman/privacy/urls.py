from django.urls import path

from ombudsman.privacy import views

app_name = "privacy"

urlpatterns = [
    path("office/privacy/access/", views.subject_access, name="access"),
]
