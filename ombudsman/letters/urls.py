from django.urls import path

from ombudsman.letters import views

app_name = "letters"

urlpatterns = [
    path("verify/", views.verify, name="verify_form"),
    path("verify/<str:code>", views.verify, name="verify"),
]
