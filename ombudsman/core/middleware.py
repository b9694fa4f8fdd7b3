"""Refuse an oversized request before its body is read."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


class RequestSizeLimitMiddleware:
    """413 for a body larger than REQUEST_MAX_BODY_SIZE, before anything reads it.

    Django limits the form fields it keeps in memory (DATA_UPLOAD_MAX_MEMORY_SIZE) but streams
    any amount of uploaded files to temporary files; and gunicorn sets no limit either."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.REQUEST_MAX_BODY_SIZE:
            context = {"limit": settings.REQUEST_MAX_BODY_SIZE, "evidence_limit": settings.EVIDENCE_MAX_TOTAL_SIZE}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)
