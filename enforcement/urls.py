from django.urls import path

from enforcement import views

app_name = "enforcement"

urlpatterns = [
    path("bipt/referrals/", views.referral_list, name="referrals"),
    path("bipt/referrals/<str:reference>/", views.referral_detail, name="referral"),
    path("bipt/referrals/<str:reference>/do/<str:transition>/", views.procedure_step, name="step"),
    path("bipt/referrals/<str:reference>/assign/", views.assign, name="assign"),
    path("bipt/referrals/<str:reference>/draft-answer/", views.draft_answer, name="draft_answer"),
    path("bipt/referrals/<str:reference>/continue/", views.continue_procedure, name="continue"),
    path("bipt/referrals/<str:reference>/letters/<int:letter_id>.pdf", views.referral_letter, name="letter"),
    path("office/referrals/new/", views.new_referral, name="new_referral"),
]
