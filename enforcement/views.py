"""Thin views of BIPT's referrals and procedures, and of the Ombudsman's referral by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import messages as flash
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseForbidden
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from cases import rules as case_rules
from enforcement import actions, forms, rules, services
from enforcement.models import ProcedureState, Referral
from enforcement.permissions import get_visible_referral, referrals_visible_to
from ombudsman.audit.models import AuditEvent
from ombudsman.letters.models import Letter
from ombudsman.letters.views import letter_file_response
from platforms.models import Organisation


def referral_letters(referral: Referral):
    """The dossier and the procedure's letters (the orders' letters are listed in the dossier)."""
    return Letter.objects.filter(
        Q(content_type__app_label="enforcement", content_type__model="referral", object_id=str(referral.pk))
        | Q(
            content_type__app_label="enforcement",
            content_type__model="sanctionprocedure",
            object_id=str(referral.procedure.pk),
        )
    ).order_by("created_at")


@login_required
@require_GET
def referral_list(request: HttpRequest) -> HttpResponse:
    if not _is_bipt(request.user):
        raise Http404
    referrals = referrals_visible_to(request.user)
    state = request.GET.get("state")
    if state in ProcedureState.values:
        referrals = referrals.filter(procedure__state=state)
    page = Paginator(
        referrals.select_related("organisation", "procedure", "assigned_to").order_by("-opened_at", "-id"), 25
    ).get_page(request.GET.get("page"))
    return render(request, "enforcement/referral_list.html", {"page": page, "states": ProcedureState.choices})


def _is_bipt(user: Any) -> bool:
    from ombudsman.accounts.roles import BIPT_HEAD, BIPT_OFFICER, has_role

    return has_role(user, BIPT_OFFICER, BIPT_HEAD)


def _page(request: HttpRequest, referral: Referral, *, bound: dict | None = None, status: int = 200) -> HttpResponse:
    bound = bound or {}
    procedure = referral.procedure
    steps = [
        (action, bound.get(action.transition) or action.form_class(procedure=procedure))
        for action in actions.available(procedure, request.user)
    ]
    officer = rules.is_procedure_officer(procedure, request.user)
    helper = forms.FineHelperForm(request.GET or None) if procedure.state == ProcedureState.DRAFT_DECISION else None
    proposal = None
    if helper is not None and helper.is_valid():
        proposal = services.propose_fine(procedure, **helper.cleaned_data)
    orders = referral.orders.select_related("organisation").order_by("id")
    return render(
        request,
        "enforcement/referral_detail.html",
        {
            "referral": referral,
            "procedure": procedure,
            "orders": orders,
            "steps": steps,
            "letters": referral_letters(referral),
            "events": AuditEvent.objects.for_object(procedure).select_related("actor"),
            "assign_form": (bound.get("assign") or forms.AssignForm()) if rules.is_bipt_head(request.user) else None,
            "draft_answer_form": (bound.get("draft_answer") or forms.DraftAnswerForm())
            if officer and procedure.state == ProcedureState.DRAFT_DECISION
            else None,
            "continue_form": (bound.get("continue") or forms.ContinueForm())
            if officer and procedure.state in (ProcedureState.INVESTIGATING, ProcedureState.GRIEVANCES_NOTIFIED)
            else None,
            "helper": helper,
            "proposal": proposal,
        },
        status=status,
    )


@login_required
@require_GET
def referral_detail(request: HttpRequest, reference: str) -> HttpResponse:
    return _page(request, get_visible_referral(request.user, reference))


def _outcome(request: HttpRequest, referral: Referral, form: Any, key: str, run: Any) -> HttpResponse:
    """Run a use case for a valid form; back to the page with its errors or the outcome."""
    if form.is_valid():
        try:
            run(form.cleaned_data)
        except services.ProcedureChangedMeanwhile as changed:
            flash.error(request, str(changed))
            return redirect("enforcement:referral", reference=referral.reference)
        except PermissionDenied as refused:
            return HttpResponseForbidden(str(refused))
        except ValidationError as invalid:
            for message in invalid.messages:
                form.add_error(None, message)
        else:
            flash.success(request, _("Done."))
            return redirect("enforcement:referral", reference=referral.reference)
    return _page(request, referral, bound={key: form}, status=400)


@login_required
@require_POST
def procedure_step(request: HttpRequest, reference: str, transition: str) -> HttpResponse:
    referral = get_visible_referral(request.user, reference)
    action = actions.ACTIONS.get(transition)
    if action is None:
        raise Http404
    form = action.form_class(request.POST, procedure=referral.procedure)
    return _outcome(
        request,
        referral,
        form,
        transition,
        lambda data: services.run_procedure_step(
            procedure_id=referral.procedure.pk, step=transition, by=request.user, **data
        ),
    )


@login_required
@require_POST
def assign(request: HttpRequest, reference: str) -> HttpResponse:
    referral = get_visible_referral(request.user, reference)
    return _outcome(
        request,
        referral,
        forms.AssignForm(request.POST),
        "assign",
        lambda data: services.assign_referral(referral_id=referral.pk, by=request.user, officer=data["officer"]),
    )


@login_required
@require_POST
def draft_answer(request: HttpRequest, reference: str) -> HttpResponse:
    referral = get_visible_referral(request.user, reference)
    return _outcome(
        request,
        referral,
        forms.DraftAnswerForm(request.POST),
        "draft_answer",
        lambda data: services.record_draft_answer(procedure_id=referral.procedure.pk, by=request.user, **data),
    )


@login_required
@require_POST
def continue_procedure(request: HttpRequest, reference: str) -> HttpResponse:
    referral = get_visible_referral(request.user, reference)
    return _outcome(
        request,
        referral,
        forms.ContinueForm(request.POST),
        "continue",
        lambda data: services.continue_despite_compliance(
            procedure_id=referral.procedure.pk, by=request.user, reasons=data["reasons"]
        ),
    )


@login_required
@require_GET
def referral_letter(request: HttpRequest, reference: str, letter_id: int) -> FileResponse:
    referral = get_visible_referral(request.user, reference)
    return letter_file_response(get_object_or_404(referral_letters(referral), pk=letter_id))


@login_required
@require_http_methods(["GET", "POST"])
def new_referral(request: HttpRequest) -> HttpResponse:
    """The Ombudsman refers an organisation by hand, for a pattern of non-cooperation."""
    if not case_rules.is_reviewer(request.user):
        raise Http404
    organisation = Organisation.objects.filter(pk=request.GET.get("organisation") or 0).first()
    form = forms.ManualReferralForm(request.POST or None, organisation=organisation) if organisation else None
    if request.method == "POST" and form is not None and form.is_valid():
        try:
            referral = services.open_referral_by_hand(
                organisation=organisation,
                orders=list(form.cleaned_data["orders"]),
                reason=form.cleaned_data["reason"],
                by=request.user,
            )
        except ValidationError as invalid:
            for message in invalid.messages:
                form.add_error(None, message)
        else:
            flash.success(request, _("Referral %(reference)s sent to BIPT.") % {"reference": referral.reference})
            return redirect("cases:queue")
    return render(
        request,
        "enforcement/new_referral.html",
        {"organisations": Organisation.objects.order_by("name"), "organisation": organisation, "form": form},
        status=400 if request.method == "POST" else 200,
    )
