"""The start page of each role: what needs attention today and this week. Counts are
aggregate queries; each section lists a few items with a link."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from cases.models import CaseState, InformationRequest
from cases.models.case import CLOCK_STATES
from cases.permissions import cases_visible_to
from enforcement.models import ProcedureState, Referral, SanctionProcedure
from ombudsman.accounts.roles import (
    BIPT_HEAD,
    BIPT_OFFICER,
    OMBUDSMAN_STAFF_ROLES,
    PLATFORM_LIAISON,
    REVIEWER,
    has_role,
)
from platforms.models import DisclosureOrder
from platforms.models.order import AWAITING_ANSWER
from platforms.permissions import orders_for_liaison

SHOWN = 10


@dataclass(frozen=True)
class Item:
    label: str
    url: str
    detail: str = ""


@dataclass(frozen=True)
class Section:
    key: str
    title: str | Promise
    count: int
    items: list[Item] = field(default_factory=list)


def week_end(today: date) -> date:
    return today + timedelta(days=6 - today.weekday())


def _section(key: str, title: Any, queryset: QuerySet, item: Any) -> Section:
    return Section(key, title, queryset.count(), [item(row) for row in queryset[:SHOWN]])


def _case_item(case: Any, detail: str = "") -> Item:
    return Item(case.reference, reverse("cases:detail", args=[case.reference]), detail)


def _order_item(order: Any, portal: bool = False) -> Item:
    name = "platforms:portal_order" if portal else "platforms:order"
    return Item(
        order.reference,
        reverse(name, args=[order.reference]),
        f"{order.organisation.name} · {order.due_on:%d/%m/%Y}" if order.due_on else order.organisation.name,
    )


def _referral_item(referral: Any) -> Item:
    return Item(
        referral.reference, reverse("enforcement:referral", args=[referral.reference]), referral.organisation.name
    )


def office_sections(user: Any, today: date) -> list[Section]:
    end = week_end(today)
    mine = cases_visible_to(user).filter(assigned_to=user)
    sections = [
        _section(
            "handling_targets",
            _("Handling targets due this week or past"),
            mine.filter(state__in=CLOCK_STATES, paused_since__isnull=True, handling_due_on__lte=end).order_by(
                "handling_due_on"
            ),
            lambda case: _case_item(case, f"{case.handling_due_on:%d/%m/%Y}"),
        ),
        _section(
            "replies_due",
            _("Replies from complainants expected this week"),
            mine.filter(state=CaseState.AWAITING_INFORMATION, information_due_on__lte=end).order_by(
                "information_due_on"
            ),
            lambda case: _case_item(case, f"{case.information_due_on:%d/%m/%Y}"),
        ),
        _section(
            "orders_due",
            _("Orders due this week"),
            DisclosureOrder.objects.filter(case__assigned_to=user, state__in=AWAITING_ANSWER, due_on__lte=end)
            .select_related("organisation")
            .order_by("due_on"),
            _order_item,
        ),
        _section(
            "new_answers",
            _("New answers from platforms"),
            DisclosureOrder.objects.filter(case__assigned_to=user, state="answered")
            .select_related("organisation")
            .order_by("-id"),
            _order_item,
        ),
        _section(
            "information_received",
            _("Information received from complainants (last 7 days)"),
            mine.filter(
                state=CaseState.IN_ASSESSMENT,
                pk__in=InformationRequest.objects.filter(answered_at__gte=timezone.now() - timedelta(days=7)).values(
                    "case_id"
                ),
            ).order_by("-submitted_at"),
            _case_item,
        ),
    ]
    if has_role(user, REVIEWER):
        sections.append(
            _section(
                "to_review",
                _("Waiting for your review"),
                cases_visible_to(user)
                .filter(state=CaseState.IN_REVIEW)
                .exclude(proposed_by=user)
                .order_by("submitted_at"),
                _case_item,
            )
        )
    return sections


def bipt_sections(user: Any, today: date) -> list[Section]:
    end = week_end(today)
    mine = SanctionProcedure.objects.filter(referral__assigned_to=user).select_related("referral__organisation")

    def procedure_item(procedure: Any) -> Item:
        return _referral_item(procedure.referral)

    sections = [
        _section(
            "defence_ending",
            _("Defence periods ending this week"),
            mine.filter(state=ProcedureState.GRIEVANCES_NOTIFIED, defence_due_on__lte=end).order_by("defence_due_on"),
            procedure_item,
        ),
        _section(
            "to_draft",
            _("Decisions to draft"),
            mine.filter(state=ProcedureState.DEFENCE_CLOSED).order_by("id"),
            procedure_item,
        ),
        _section(
            "to_decide",
            _("Drafts whose answer period ends this week"),
            mine.filter(state=ProcedureState.DRAFT_DECISION, draft_answer_due_on__lte=end).order_by(
                "draft_answer_due_on"
            ),
            procedure_item,
        ),
    ]
    if has_role(user, BIPT_HEAD):
        sections.append(
            _section(
                "to_assign",
                _("Referrals to assign"),
                Referral.objects.filter(assigned_to__isnull=True).select_related("organisation").order_by("opened_at"),
                _referral_item,
            )
        )
    return sections


def liaison_sections(user: Any, today: date) -> list[Section]:
    end = week_end(today)
    orders = orders_for_liaison(user).select_related("organisation")
    return [
        _section(
            "orders_due",
            _("Orders due this week or overdue"),
            orders.filter(Q(state__in=AWAITING_ANSWER, due_on__lte=end) | Q(state="overdue")).order_by("due_on"),
            lambda order: _order_item(order, portal=True),
        ),
        _section(
            "to_acknowledge",
            _("Orders to acknowledge"),
            orders.filter(state="issued").order_by("issued_at"),
            lambda order: _order_item(order, portal=True),
        ),
    ]


def sections_for(user: Any, today: date | None = None) -> list[Section]:
    today = today or timezone.localdate()
    if has_role(user, *OMBUDSMAN_STAFF_ROLES):
        return office_sections(user, today)
    if has_role(user, BIPT_OFFICER, BIPT_HEAD):
        return bipt_sections(user, today)
    if has_role(user, PLATFORM_LIAISON):
        return liaison_sections(user, today)
    return []
