"""Thin views of intake and the officer's screens; rules live in services and permissions."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from cases.action_forms import IdentityRecipientForm, InformationReplyForm
from cases.actions import ACTIONS, available_actions
from cases.forms import (
    CaseQueueFilterForm,
    ComplaintForm,
    IdentifierFormSet,
    MessageTimeFormSet,
    StaffComplaintForm,
)
from cases.models import OPEN_STATES
from cases.permissions import (
    QUEUE_VIEWS,
    get_visible_case,
    mark_linked,
    may_enter_complaints,
    queue_branches,
    queue_view,
)
from cases.rules import may_close_or_withdraw
from cases.search import recent_linked_cases, search_page
from cases.services import (
    CaseChangedMeanwhile,
    InvalidReplyLink,
    answer_information_request,
    open_request_from_link,
    record_evidence_download,
    set_identity_recipient,
    submit_complaint,
)
from cases.templatetags.case_lists import queue_row_cases
from ombudsman.audit.models import AuditEvent
from ombudsman.core.paging import LargeListPaginator
from ombudsman.letters.models import Letter
from ombudsman.letters.views import letter_file_response

# The confirmation page learns the new reference from a signed cookie rather than the session:
# an anonymous visitor's complaint then writes nothing but the complaint itself.
SUBMITTED_COOKIE = "submitted_reference"
SUBMITTED_COOKIE_SALT = "cases.complaint_submitted"
SUBMITTED_COOKIE_MAX_AGE = 3600


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
            response = redirect("cases:complaint_submitted")
            response.set_signed_cookie(
                SUBMITTED_COOKIE,
                case.reference,
                salt=SUBMITTED_COOKIE_SALT,
                max_age=SUBMITTED_COOKIE_MAX_AGE,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
            return response
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
    reference = request.get_signed_cookie(
        SUBMITTED_COOKIE, default=None, salt=SUBMITTED_COOKIE_SALT, max_age=SUBMITTED_COOKIE_MAX_AGE
    )
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
    view = request.GET.get("view") if request.GET.get("view") in QUEUE_VIEWS else "all"
    cases = queue_view(request.user, view, today=timezone.localdate())
    # The near-deadline view lists by nearest target unless another order is chosen.
    default_sort = "deadline" if view == "deadline" else "oldest"
    cases = filters.apply(cases, default_sort)
    paginator = LargeListPaginator(
        cases, filters.page_size(), branches=queue_branches(cases, request.user), rows=queue_row_cases()
    )
    page = paginator.get_page(request.GET.get("page"))
    mark_linked(page.object_list, request.user)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "cases/work_queue.html",
        {
            "filters": filters,
            "page": page,
            "query": query.urlencode(),
            "view": view,
            "today": timezone.localdate(),
            "near_days": settings.CASE_HANDLING_NEAR_DAYS,
        },
    )


# Linked cases shown on a case page, the most recent first: an identifier named in thousands of
# cases would otherwise list them all. The search by identifier shows every one.
LINKED_CASES_SHOWN = 20


def _linked(case, user) -> dict:
    linked = recent_linked_cases(case, user, limit=LINKED_CASES_SHOWN + 1)
    return {"linked": linked[:LINKED_CASES_SHOWN], "more_linked": len(linked) > LINKED_CASES_SHOWN}


def _case_page(request: HttpRequest, case, bound_forms: dict | None = None, status: int = 200) -> HttpResponse:
    bound_forms = bound_forms or {}
    actions = [
        (action, bound_forms.get(action.transition) or action.form_class(case=case, user=request.user))
        for action in available_actions(case, request.user)
    ]
    events = AuditEvent.objects.for_object(case).select_related("actor").order_by("id")
    letters = Letter.objects.filter(content_type__app_label="cases", content_type__model="case", object_id=str(case.pk))
    from platforms.forms import DraftOrderForm
    from platforms.services import may_draft_order

    draft_form = None
    if may_draft_order(case, request.user):
        draft_form = bound_forms.get("draft_order") or DraftOrderForm(case=case, user=request.user)
    return render(
        request,
        "cases/case_detail.html",
        {
            "case": case,
            "actions": actions,
            "identifiers": case.identifiers.all(),
            "message_times": case.message_times.all(),
            "evidence": case.evidence.all(),
            "assessments": case.assessments.select_related("proposed_by", "reviewed_by").order_by("-version"),
            "information_requests": case.information_requests.select_related("requested_by").order_by("-id"),
            "letters": letters,
            "events": events,
            "handling": case.handling_status(),
            "orders": case.orders.select_related("organisation").order_by("id"),
            "joint_orders": case.joint_orders.select_related("organisation", "case").order_by("id"),
            **_linked(case, request.user),
            "draft_form": draft_form,
            "identity_accesses": case.identity_accesses.select_related("user", "answer__order"),
            "recipient_form": (
                bound_forms.get("identity_recipient")
                or IdentityRecipientForm(
                    initial={
                        "recipient": case.identity_recipient,
                        "name": case.identity_recipient_name,
                        "address": case.identity_recipient_address,
                    }
                )
            )
            if may_close_or_withdraw(case, request.user) and case.state in OPEN_STATES
            else None,
        },
        status=status,
    )


@login_required
@require_GET
def case_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _case_page(request, get_visible_case(request.user, reference))


@login_required
@require_http_methods(["POST"])
def case_action(request: HttpRequest, reference: str, transition: str) -> HttpResponse:
    case = get_visible_case(request.user, reference)
    action = ACTIONS.get(transition)
    if action is None:
        raise Http404
    form = action.form_class(request.POST, request.FILES, case=case, user=request.user)
    if not form.is_valid():
        return _case_page(request, case, {transition: form}, status=400)
    try:
        action.perform(case, request.user, form.cleaned_data, form)
    except CaseChangedMeanwhile as changed:
        flash.error(request, str(changed))
        return redirect("cases:detail", reference=case.reference)
    except ValidationError as invalid:
        for message in invalid.messages:
            form.add_error(None, message)
        return _case_page(request, case, {transition: form}, status=400)
    except PermissionDenied as refused:
        return HttpResponseForbidden(str(refused) or _("You may not do this on this case."))
    flash.success(request, _("Done: %(step)s.") % {"step": action.title})
    return redirect("cases:detail", reference=case.reference)


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


@require_http_methods(["GET", "POST"])
def information_reply(request: HttpRequest, token: str) -> HttpResponse:
    """The complainant answers a request for information through the link in our letter."""
    try:
        information_request = open_request_from_link(token)
    except InvalidReplyLink:
        return render(request, "cases/reply_invalid.html", status=404)
    form = InformationReplyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if is_ratelimited(
            request, group="reply", key="ip", rate=settings.INTAKE_RATE_LIMIT, method="POST", increment=True
        ):
            form.add_error(None, _("Too many answers were sent from your connection. Please try again later."))
            return render(request, "cases/reply_form.html", {"form": form, "request_": information_request}, status=429)
        if form.is_valid():
            try:
                answer_information_request(
                    token=token, answer=form.cleaned_data["answer"], files=form.cleaned_data["evidence"]
                )
            except InvalidReplyLink:
                return render(request, "cases/reply_invalid.html", status=404)
            except ValidationError as invalid:
                for message in invalid.messages:
                    form.add_error(None, message)
            else:
                return render(request, "cases/reply_received.html", {"reference": information_request.case.reference})
        return render(request, "cases/reply_form.html", {"form": form, "request_": information_request}, status=400)
    return render(request, "cases/reply_form.html", {"form": form, "request_": information_request})


@login_required
@require_http_methods(["POST"])
def identity_recipient(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_visible_case(request.user, reference)
    form = IdentityRecipientForm(request.POST)
    if form.is_valid():
        try:
            set_identity_recipient(
                case_id=case.pk,
                by=request.user,
                recipient=form.cleaned_data["recipient"],
                name=form.cleaned_data["name"],
                address=form.cleaned_data["address"],
            )
        except PermissionDenied as refused:
            return HttpResponseForbidden(str(refused))
        except ValidationError as invalid:
            for message in invalid.messages:
                form.add_error(None, message)
        else:
            flash.success(request, _("Saved: who receives the identity."))
            return redirect("cases:detail", reference=case.reference)
    return _case_page(request, case, {"identity_recipient": form}, status=400)


@login_required
@require_GET
def search(request: HttpRequest) -> HttpResponse:
    """One box: reference, complainant, identifier, platform or words; only visible cases."""
    _ombudsman_staff_only(request)
    query = request.GET.get("q", "")
    page = search_page(request.user, query, request.GET.get("page"))
    return render(request, "cases/search.html", {"query": query, "page": page})
