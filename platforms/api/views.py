"""The platform API: thin views over the liaison use cases."""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import FileResponse
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import generics, serializers
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from ombudsman.letters.views import letter_file_response
from platforms import services
from platforms.api.serializers import (
    AnswerSerializer,
    ExtensionRequestSerializer,
    OrderDetailSerializer,
    OrderSerializer,
    StepSerializer,
)
from platforms.models import DisclosureOrder, OrderState
from platforms.permissions import get_order, orders_for_liaison
from platforms.views import order_letters

AnswerReceipt = inline_serializer(
    "AnswerReceipt",
    fields={
        "reference": serializers.CharField(),
        "state": serializers.CharField(),
        "answer_id": serializers.IntegerField(),
    },
)


def _order(request: Request, reference: str) -> DisclosureOrder:
    return get_order(orders_for_liaison(request.user), reference)


class OrderList(generics.ListAPIView):
    """The orders addressed to your organisation, newest first."""

    serializer_class = OrderSerializer

    @extend_schema(parameters=[OpenApiParameter("state", str, enum=OrderState.values, required=False)])
    def get(self, request: Request, *args, **kwargs) -> Response:
        return super().get(request, *args, **kwargs)

    def get_queryset(self) -> QuerySet[DisclosureOrder]:
        orders = orders_for_liaison(self.request.user).select_related("organisation")
        state = self.request.query_params.get("state")
        if state:
            if state not in OrderState.values:
                raise serializers.ValidationError(
                    {"state": [f"Unknown state; use one of {', '.join(OrderState.values)}."]}
                )
            orders = orders.filter(state=state)
        return orders.order_by("-issued_at", "-id")


class OrderDetail(APIView):
    @extend_schema(responses=OrderDetailSerializer, summary="One order, with its letters")
    def get(self, request: Request, reference: str) -> Response:
        order = _order(request, reference)
        return Response(OrderDetailSerializer(order, context={"request": request}).data)


class OrderLetterPdf(APIView):
    @extend_schema(responses={(200, "application/pdf"): bytes}, summary="The PDF of a letter of the order")
    def get(self, request: Request, reference: str, letter_id: int) -> FileResponse:
        order = _order(request, reference)
        return letter_file_response(get_object_or_404(order_letters(order), pk=letter_id))


class Acknowledge(APIView):
    @extend_schema(request=StepSerializer, responses=OrderSerializer, summary="Acknowledge receipt (DSA art. 10(1))")
    def post(self, request: Request, reference: str) -> Response:
        order = _order(request, reference)
        data = StepSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.acknowledge_order(
            order_id=order.pk, by=request.user, expected_state=data.validated_data.get("expected_state")
        )
        return Response(OrderSerializer(order).data)


class RequestExtension(APIView):
    @extend_schema(request=ExtensionRequestSerializer, responses=OrderSerializer, summary="Ask for more time")
    def post(self, request: Request, reference: str) -> Response:
        order = _order(request, reference)
        data = ExtensionRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        order = services.request_extension(
            order_id=order.pk,
            by=request.user,
            until=data.validated_data["until"],
            reasons=data.validated_data["reasons"],
            expected_state=data.validated_data.get("expected_state"),
        )
        return Response(OrderSerializer(order).data)


class Answer(APIView):
    @extend_schema(
        request=AnswerSerializer,
        responses={201: AnswerReceipt},
        summary="Answer: identity data, no data held, or a reasoned refusal",
    )
    def post(self, request: Request, reference: str) -> Response:
        order = _order(request, reference)
        data = AnswerSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        answer = services.submit_answer(
            order_id=order.pk,
            by=request.user,
            outcome=data.validated_data["outcome"],
            identity=_plain(data.validated_data.get("identity") or {}),
            refusal_reasons=data.validated_data.get("refusal_reasons", ""),
            channel="api",
            expected_state=data.validated_data.get("expected_state"),
        )
        return Response(
            {"reference": order.reference, "state": OrderState.ANSWERED, "answer_id": answer.pk}, status=201
        )


def _plain(value):
    """Validated data as JSON-ready values (datetimes as ISO 8601 in UTC, addresses as text)."""
    from datetime import UTC, datetime

    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    return value
