from django.urls import path

from platforms import views

app_name = "platforms"

urlpatterns = [
    path("office/cases/<str:reference>/orders/new/", views.draft_order, name="draft_order"),
    path("office/orders/<str:reference>/", views.order_detail, name="order"),
    path("office/orders/<str:reference>/do/<str:transition>/", views.order_step, name="order_step"),
    path("office/orders/<str:reference>/answers/<int:answer_id>/identity/", views.read_identity, name="read_identity"),
    path("office/orders/<str:reference>/follow-up/", views.draft_follow_up, name="follow_up"),
    path("office/orders/<str:reference>/letters/<int:letter_id>.pdf", views.order_letter, name="order_letter"),
    path("portal/orders/", views.portal_orders, name="portal_orders"),
    path("portal/api-token/", views.portal_api_token, name="portal_api_token"),
    path("portal/orders/<str:reference>/", views.portal_order, name="portal_order"),
    path("portal/orders/<str:reference>/do/<str:transition>/", views.portal_step, name="portal_step"),
    path("portal/orders/<str:reference>/letters/<int:letter_id>.pdf", views.portal_letter, name="portal_letter"),
]
