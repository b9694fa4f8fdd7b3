from django.urls import path

from cases import views

app_name = "cases"

urlpatterns = [
    path("complaint/", views.complaint_form, name="complaint_form"),
    path("complaint/submitted/", views.complaint_submitted, name="complaint_submitted"),
    path("reply/<str:token>/", views.information_reply, name="information_reply"),
    path("office/cases/", views.work_queue, name="queue"),
    path("office/cases/new/", views.staff_complaint_form, name="staff_complaint_form"),
    path("office/search/", views.search, name="search"),
    path("office/cases/<str:reference>/", views.case_detail, name="detail"),
    path("office/cases/<str:reference>/do/<str:transition>/", views.case_action, name="action"),
    path("office/cases/<str:reference>/identity-recipient/", views.identity_recipient, name="identity_recipient"),
    path(
        "office/cases/<str:reference>/evidence/<str:token>/",
        views.evidence_download,
        name="evidence",
    ),
    path(
        "office/cases/<str:reference>/letters/<int:letter_id>.pdf",
        views.letter_download,
        name="letter",
    ),
]
