"""Thin views of intake and the officer's screens; rules live in services and permissions."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from cases.forms import (
    CaseQueueFilterForm,
    ComplaintForm,
    IdentifierFormSet,
    MessageTimeFormSet,
    StaffComplaintForm,
)
from cases.permissions import cases_visible_to, get_visible_case, may_enter_complaints
from cases.services import record_evidence_download, submit_complaint
from ombudsman.audit.models import AuditEvent
from ombudsman.letters.models import Letter
from ombudsman.letters.views import letter_file_response

QUEUE_PAGE_SIZE = 25
SUBMITTED_SESSION_KEY = "submitted_reference"


def _intake_forms(request: HttpRequest, form_class: type[ComplaintForm]):
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    return (
        form_class(data, files),
        IdentifierFormSet(data, prefix="identifiers"),
        MessageTimeFormSet(data, prefix="messages"),
    )


@require_http_methods(["GET", "POST"])
def complaint_form(request: HttpRequest) -> HttpResponse:
    form, identifiers, messages = _intake_forms(request, ComplaintForm)
    status = 200
    if request.method == "POST":
        limited = is_ratelimited(
            request,
            group="intake",
            key="ip",
            rate=settings.INTAKE_RATE_LIMIT,
            method="POST",
            increment=True,
        )
        if limited:
            form.is_valid()
            form.add_error(
                None,
                _("Too many complaints were sent from your connection. Please try again later."),
            )
            status = 429
        elif all([form.is_valid(), identifiers.is_valid(), messages.is_valid()]):
            case = submit_complaint(complaint=form.to_complaint(identifiers.identifiers(), messages.message_times()))
            request.session[SUBMITTED_SESSION_KEY] = case.reference
            return redirect("cases:complaint_submitted")
        else:
            status = 400
    return render(
        request,
        "cases/complaint_form.html",
        {"form": form, "identifiers": identifiers, "messages_formset": messages},
        status=status,
    )


@require_GET
def complaint_submitted(request: HttpRequest) -> HttpResponse:
    reference = request.session.get(SUBMITTED_SESSION_KEY)
    if not reference:
        return redirect("cases:complaint_form")
    return render(request, "cases/complaint_submitted.html", {"reference": reference})


def _ombudsman_staff_only(request: HttpRequest) -> None:
    if not may_enter_complaints(request.user):
        raise Http404


@login_required
@require_http_methods(["GET", "POST"])
def staff_complaint_form(request: HttpRequest) -> HttpResponse:
    _ombudsman_staff_only(request)
    form, identifiers, messages = _intake_forms(request, StaffComplaintForm)
    if request.method == "POST" and all([form.is_valid(), identifiers.is_valid(), messages.is_valid()]):
        case = submit_complaint(
            complaint=form.to_complaint(identifiers.identifiers(), messages.message_times()),
            channel=form.cleaned_data["channel"],
            entered_by=request.user,
        )
        return redirect("cases:detail", reference=case.reference)
    return render(
        request,
        "cases/staff_complaint_form.html",
        {"form": form, "identifiers": identifiers, "messages_formset": messages},
        status=400 if request.method == "POST" else 200,
    )


@login_required
@require_GET
def work_queue(request: HttpRequest) -> HttpResponse:
    _ombudsman_staff_only(request)
    filters = CaseQueueFilterForm(request.GET or None)
    cases = filters.apply(cases_visible_to(request.user)).select_related("service__organisation")
    page = Paginator(cases, QUEUE_PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/work_queue.html",
        {"filters": filters, "page": page, "query": query.urlencode()},
    )


@login_required
@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_visible_case(request.user, reference)
    events = AuditEvent.objects.for_object(case).select_related("actor").order_by("id")
    letters = Letter.objects.filter(content_type__app_label="cases", content_type__model="case", object_id=str(case.pk))
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "identifiers": case.identifiers.all(),
            "message_times": case.message_times.all(),
            "evidence": case.evidence.all(),
            "letters": letters,
            "events": events,
        },
    )


@login_required
@require_GET
def evidence_download(request: HttpRequest, reference: str, token: str) -> FileResponse:
    case = get_visible_case(request.user, reference)
    evidence = get_object_or_404(case.evidence, token=token)
    record_evidence_download(case=case, evidence=evidence, user=request.user)
    response = FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def letter_download(request: HttpRequest, reference: str, letter_id: int) -> FileResponse:
    case = get_visible_case(request.user, reference)
    letter = get_object_or_404(
        Letter,
        pk=letter_id,
        content_type__app_label="cases",
        content_type__model="case",
        object_id=str(case.pk),
    )
    return letter_file_response(letter)
