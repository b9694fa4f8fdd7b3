"""The API's data: orders as a liaison sees them, and the answer with its validation."""

from __future__ import annotations

import re
from typing import Any

import phonenumbers
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from platforms.models import AnswerOutcome, DisclosureOrder, OrderState

E164 = re.compile(r"^\+[1-9]\d{6,14}$")


class AwareDateTimeField(serializers.DateTimeField):
    """A moment with its time zone (e.g. 2026-03-14T21:35:00Z or +01:00); a bare local time is refused."""

    def to_internal_value(self, value: Any):
        if isinstance(value, str):
            parsed = parse_datetime(value.strip())
            if parsed is not None and parsed.tzinfo is None:
                raise serializers.ValidationError(_("Give the time zone (Z for UTC, or an offset such as +01:00)."))
        return super().to_internal_value(value)


class E164PhoneField(serializers.CharField):
    def to_internal_value(self, value: Any) -> str:
        text = super().to_internal_value(value).strip()
        if not E164.match(text):
            raise serializers.ValidationError(_("Give the number in E.164 form, e.g. +32470123456."))
        try:
            valid = phonenumbers.is_valid_number(phonenumbers.parse(text, None))
        except phonenumbers.NumberParseException:
            valid = False
        if not valid:
            raise serializers.ValidationError(_("This is not a valid phone number."))
        return text


class IPUseSerializer(serializers.Serializer):
    address = serializers.IPAddressField(help_text="IPv4 or IPv6 address")
    port = serializers.IntegerField(min_value=0, max_value=65535, required=False, help_text="Source port")
    timestamp = AwareDateTimeField(help_text="When the address was used, with its time zone")


class AccountSerializer(serializers.Serializer):
    created_at = AwareDateTimeField(required=False)
    created_from_ip = serializers.IPAddressField(required=False)
    username = serializers.CharField(required=False, max_length=300)


class IdentitySerializer(serializers.Serializer):
    holder_name = serializers.CharField(required=False, max_length=300, allow_blank=False)
    email = serializers.EmailField(required=False)
    phone = E164PhoneField(required=False, max_length=20)
    postal_address = serializers.CharField(required=False, max_length=500)
    ip_addresses = IPUseSerializer(many=True, required=False, max_length=50)
    account = AccountSerializer(required=False)


class AnswerSerializer(serializers.Serializer):
    expected_state = serializers.ChoiceField(
        choices=OrderState.choices, required=False, help_text="The state you saw; a mismatch gives 409"
    )
    outcome = serializers.ChoiceField(choices=AnswerOutcome.choices)
    identity = IdentitySerializer(required=False)
    refusal_reasons = serializers.CharField(required=False, allow_blank=True, max_length=10000, default="")

    def validate(self, data: dict[str, Any]) -> dict[str, Any]:
        identity = data.get("identity") or {}
        if data["outcome"] == AnswerOutcome.IDENTITY and not identity:
            raise serializers.ValidationError({"identity": [_("Give at least one item of identity data.")]})
        if data["outcome"] != AnswerOutcome.IDENTITY and identity:
            raise serializers.ValidationError({"identity": [_("Identity data goes with the outcome “identity”.")]})
        if data["outcome"] == AnswerOutcome.REFUSAL and not data.get("refusal_reasons", "").strip():
            raise serializers.ValidationError({"refusal_reasons": [_("A refusal states its reasons.")]})
        return data


class ExtensionRequestSerializer(serializers.Serializer):
    expected_state = serializers.ChoiceField(choices=OrderState.choices, required=False)
    until = serializers.DateField(help_text="The due date asked for")
    reasons = serializers.CharField(max_length=5000)


class StepSerializer(serializers.Serializer):
    expected_state = serializers.ChoiceField(choices=OrderState.choices, required=False)


class LetterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    version = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    sha256 = serializers.CharField()
    verification_code = serializers.CharField()
    pdf_url = serializers.SerializerMethodField()

    def get_pdf_url(self, letter: Any) -> str:
        request = self.context["request"]
        order = self.context["order"]
        return request.build_absolute_uri(f"/api/v1/orders/{order.reference}/letters/{letter.pk}/pdf")


class OrderSerializer(serializers.ModelSerializer):
    organisation = serializers.CharField(source="organisation.name")
    identifiers = serializers.JSONField()
    data_requested = serializers.ListField(child=serializers.CharField())

    class Meta:
        model = DisclosureOrder
        fields = [
            "reference",
            "organisation",
            "kind",
            "state",
            "identifiers",
            "data_requested",
            "reasons",
            "issued_at",
            "due_on",
            "acknowledged_at",
            "extension_requested_until",
            "grace_until",
        ]
        read_only_fields = fields


class OrderDetailSerializer(OrderSerializer):
    letters = serializers.SerializerMethodField()

    class Meta(OrderSerializer.Meta):
        fields = [*OrderSerializer.Meta.fields, "letters"]
        read_only_fields = fields

    def get_letters(self, order: DisclosureOrder) -> list[dict[str, Any]]:
        from platforms.views import order_letters

        return LetterSerializer(order_letters(order), many=True, context={**self.context, "order": order}).data
