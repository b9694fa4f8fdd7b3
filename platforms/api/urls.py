from django.urls import path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from platforms.api import views

urlpatterns = [
    path("v1/orders/", views.OrderList.as_view(), name="api-orders"),
    path("v1/orders/<str:reference>/", views.OrderDetail.as_view(), name="api-order"),
    path("v1/orders/<str:reference>/letters/<int:letter_id>/pdf", views.OrderLetterPdf.as_view(), name="api-letter"),
    path("v1/orders/<str:reference>/acknowledge/", views.Acknowledge.as_view(), name="api-acknowledge"),
    path("v1/orders/<str:reference>/extension-request/", views.RequestExtension.as_view(), name="api-extension"),
    path("v1/orders/<str:reference>/answer/", views.Answer.as_view(), name="api-answer"),
    path("schema/", SpectacularAPIView.as_view(authentication_classes=[], permission_classes=[]), name="api-schema"),
    path(
        "docs/",
        # The split view serves its start-up script from a URL, so the page needs no inline script.
        SpectacularSwaggerSplitView.as_view(
            url_name="api-schema",
            template_name="platforms/api_docs.html",
            authentication_classes=[],
            permission_classes=[],
        ),
        name="api-docs",
    ),
]
