"""Thin views of disclosure orders: the officer's order pages and the liaison portal."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from cases.permissions import get_visible_case
from cases.services import CaseChangedMeanwhile
from ombudsman.audit.models import AuditEvent
from ombudsman.letters.models import Letter
from ombudsman.letters.views import letter_file_response
from platforms import actions, services
from platforms.forms import DraftOrderForm, FollowUpOrderForm, ReadIdentityForm
from platforms.models import DisclosureOrder, OrderState
from platforms.permissions import get_order, orders_for_liaison, orders_for_office
from platforms.services.identity import reading_case

PORTAL_PAGE_SIZE = 25


def order_letters(order: DisclosureOrder):
    return Letter.objects.filter(
        content_type__app_label="platforms", content_type__model="disclosureorder", object_id=str(order.pk)
    )


def _run(request: HttpRequest, action: actions.OrderAction, order: DisclosureOrder, form: Any) -> str | None:
    """Run a step; None when done, else the message that explains why not."""
    try:
        action.perform(order, request.user, form.cleaned_data, form)
    except (services.OrderChangedMeanwhile, CaseChangedMeanwhile) as changed:
        return str(changed)
    except ValidationError as invalid:
        for field, errors in getattr(invalid, "error_dict", {None: invalid.error_list}).items():
            for error in errors:
                form.add_error(field if field in form.fields else None, error.message % (error.params or {}))
        return ""
    return None


def _take_step(
    request: HttpRequest,
    order: DisclosureOrder,
    transition: str,
    registry: dict[str, actions.OrderAction],
    page: Any,
    page_url: str,
) -> HttpResponse:
    """Validate a step's form and run it; back to the page with the outcome."""
    action = registry.get(transition)
    if action is None:
        raise Http404
    form = action.form_class(request.POST, order=order, user=request.user)
    if form.is_valid():
        try:
            problem = _run(request, action, order, form)
        except PermissionDenied as refused:
            return HttpResponseForbidden(str(refused))
        if problem is None:
            flash.success(request, _("Done: %(step)s.") % {"step": action.title})
            return redirect(page_url, reference=order.reference)
        if problem:
            flash.error(request, problem)
            return redirect(page_url, reference=order.reference)
    return page(request, order, bound={transition: form}, status=400)


# The officer's pages.


def _order_page(
    request: HttpRequest, order: DisclosureOrder, *, bound: dict | None = None, identity=None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    steps = [
        (action, bound.get(action.transition) or action.form_class(order=order, user=request.user))
        for action in actions.available(order, request.user, actions.OFFICER_ACTIONS)
    ]
    may_follow_up = order.state == OrderState.FULFILLED and services.may_draft_order(order.case, request.user)
    return render(
        request,
        "platforms/order_detail.html",
        {
            "order": order,
            "case": order.case,
            "steps": steps,
            "answers": order.answers.select_related("answered_by", "reviewed_by"),
            "letters": order_letters(order),
            "events": AuditEvent.objects.for_object(order).select_related("actor"),
            "may_read_identity": reading_case(order, request.user) is not None,
            "read_form": bound.get("read_identity") or ReadIdentityForm(),
            "identity": identity,
            "follow_up_form": (bound.get("follow_up") or FollowUpOrderForm(order=order)) if may_follow_up else None,
        },
        status=status,
    )


def _office_order(request: HttpRequest, reference: str) -> DisclosureOrder:
    return get_order(orders_for_office(request.user), reference)


@login_required
@require_GET
def order_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _order_page(request, _office_order(request, reference))


@login_required
@require_POST
def order_step(request: HttpRequest, reference: str, transition: str) -> HttpResponse:
    order = _office_order(request, reference)
    return _take_step(request, order, transition, actions.OFFICER_ACTIONS, _order_page, "platforms:order")


@login_required
@require_POST
def read_identity(request: HttpRequest, reference: str, answer_id: int) -> HttpResponse:
    order = _office_order(request, reference)
    answer = get_object_or_404(order.answers, pk=answer_id)
    form = ReadIdentityForm(request.POST)
    if not form.is_valid():
        return _order_page(request, order, bound={"read_identity": form}, status=400)
    try:
        identity = services.read_identity(answer_id=answer.pk, by=request.user, purpose=form.cleaned_data["purpose"])
    except PermissionDenied as refused:
        return HttpResponseForbidden(str(refused))
    except ValidationError as invalid:
        form.add_error("purpose", invalid.messages[0])
        return _order_page(request, order, bound={"read_identity": form}, status=400)
    response = _order_page(request, order, identity={"answer": answer, "data": identity})
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def draft_order(request: HttpRequest, reference: str) -> HttpResponse:
    case = get_visible_case(request.user, reference)
    form = DraftOrderForm(request.POST, case=case, user=request.user)
    if form.is_valid():
        try:
            order = services.draft_order(
                case_id=case.pk,
                by=request.user,
                organisation=form.cleaned_data["organisation"],
                kind=form.cleaned_data["kind"],
                identifiers=form.identifier_rows(),
                data_requested=form.cleaned_data["data_requested"],
                reasons=form.cleaned_data["reasons"],
                joint_cases=list(form.cleaned_data.get("joint_cases") or []),
            )
        except PermissionDenied as refused:
            return HttpResponseForbidden(str(refused))
        except ValidationError as invalid:
            for message in invalid.messages:
                form.add_error(None, message)
        else:
            return redirect("platforms:order", reference=order.reference)
    from cases.views import _case_page

    return _case_page(request, case, {"draft_order": form}, status=400)


@login_required
@require_POST
def draft_follow_up(request: HttpRequest, reference: str) -> HttpResponse:
    order = _office_order(request, reference)
    form = FollowUpOrderForm(request.POST, order=order)
    if form.is_valid():
        try:
            follow_up = services.draft_order(
                case_id=order.case_id,
                by=request.user,
                organisation=form.cleaned_data["organisation"],
                kind=form.cleaned_data["kind"],
                identifiers=form.identifier_rows(),
                data_requested=["subscriber", "names", "email", "phone"],
                reasons=form.cleaned_data["reasons"],
                follows=order,
            )
        except PermissionDenied as refused:
            return HttpResponseForbidden(str(refused))
        except ValidationError as invalid:
            for message in invalid.messages:
                form.add_error(None, message)
        else:
            return redirect("platforms:order", reference=follow_up.reference)
    return _order_page(request, order, bound={"follow_up": form}, status=400)


@login_required
@require_GET
def order_letter(request: HttpRequest, reference: str, letter_id: int) -> FileResponse:
    order = _office_order(request, reference)
    return letter_file_response(get_object_or_404(order_letters(order), pk=letter_id))


# The liaison portal: the organisation's own orders only; anything else is a 404.


def _liaison_order(request: HttpRequest, reference: str) -> DisclosureOrder:
    return get_order(orders_for_liaison(request.user), reference)


@login_required
@require_GET
def portal_orders(request: HttpRequest) -> HttpResponse:
    if not _is_liaison(request.user):
        raise Http404
    orders = orders_for_liaison(request.user)
    if request.GET.get("state") in OrderState.values:
        orders = orders.filter(state=request.GET["state"])
    orders = orders.select_related("organisation").order_by("-issued_at", "-id")
    page = Paginator(orders, PORTAL_PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "platforms/portal_orders.html", {"page": page, "states": OrderState.choices})


def _portal_page(
    request: HttpRequest, order: DisclosureOrder, *, bound: dict | None = None, status: int = 200
) -> HttpResponse:
    bound = bound or {}
    steps = [
        (action, bound.get(action.transition) or action.form_class(order=order, user=request.user))
        for action in actions.available(order, request.user, actions.LIAISON_ACTIONS)
    ]
    return render(
        request,
        "platforms/portal_order.html",
        {
            "order": order,
            "steps": steps,
            "letters": order_letters(order),
            "answers": order.answers.select_related("answered_by"),
        },
        status=status,
    )


@login_required
@require_GET
def portal_order(request: HttpRequest, reference: str) -> HttpResponse:
    return _portal_page(request, _liaison_order(request, reference))


@login_required
@require_POST
def portal_step(request: HttpRequest, reference: str, transition: str) -> HttpResponse:
    order = _liaison_order(request, reference)
    return _take_step(request, order, transition, actions.LIAISON_ACTIONS, _portal_page, "platforms:portal_order")


@login_required
@require_GET
def portal_letter(request: HttpRequest, reference: str, letter_id: int) -> FileResponse:
    order = _liaison_order(request, reference)
    return letter_file_response(get_object_or_404(order_letters(order), pk=letter_id))


@login_required
def portal_api_token(request: HttpRequest) -> HttpResponse:
    """A liaison creates (or replaces) their API token; it is shown once."""
    if not _is_liaison(request.user):
        raise Http404
    token = None
    if request.method == "POST":
        token = services.issue_api_token(user=request.user)
    from rest_framework.authtoken.models import Token

    response = render(
        request,
        "platforms/portal_token.html",
        {"token": token, "has_token": Token.objects.filter(user=request.user).exists()},
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _is_liaison(user) -> bool:
    from ombudsman.accounts.roles import PLATFORM_LIAISON, has_role

    return has_role(user, PLATFORM_LIAISON)
