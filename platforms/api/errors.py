"""Every API error is a JSON body with a clear message: {"error": {status, code, message, fields}}."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

from cases.services import CaseChangedMeanwhile
from platforms.services import OrderChangedMeanwhile


class Conflict(exceptions.APIException):
    status_code = status.HTTP_409_CONFLICT
    default_code = "conflict"


def _flatten(detail: Any) -> Any:
    if isinstance(detail, list):
        return [str(item) for item in detail]
    if isinstance(detail, dict):
        return {key: _flatten(value) for key, value in detail.items()}
    return str(detail)


def _summary(fields: Any) -> str:
    if isinstance(fields, dict):
        key, value = next(iter(fields.items()))
        inner = _summary(value)
        return inner if key in ("non_field_errors", "__all__") else f"{key}: {inner}"
    if isinstance(fields, list) and fields:
        return _summary(fields[0])
    return str(fields)


def json_error_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    if isinstance(exc, OrderChangedMeanwhile | CaseChangedMeanwhile):
        exc = Conflict(str(exc))
    elif isinstance(exc, DjangoValidationError):
        exc = exceptions.ValidationError(exc.message_dict if hasattr(exc, "error_dict") else exc.messages)
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc) or None)
    elif isinstance(exc, Http404):
        exc = exceptions.NotFound("No such order for your organisation.")
    response = exception_handler(exc, context)
    if response is None:
        return None
    fields = None
    if isinstance(exc, exceptions.ValidationError):
        fields = _flatten(exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail})
        message = _summary(fields)
    else:
        message = _flatten(exc.detail) if hasattr(exc, "detail") else str(exc)
    codes = exc.get_codes() if hasattr(exc, "get_codes") else "error"
    body = {
        "error": {
            "status": response.status_code,
            "code": codes if isinstance(codes, str) else "invalid",
            "message": message if isinstance(message, str) else str(message),
        }
    }
    if fields is not None:
        body["error"]["fields"] = fields
    response.data = body
    return response
