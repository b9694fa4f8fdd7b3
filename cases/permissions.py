"""Who may see which case: the one place that answers it, for lists and single objects."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404

from cases.models import OPEN_STATES, Case, CaseGroupObjectPermission, CaseState, CaseUserObjectPermission
from cases.models.case import CLOCK_STATES
from ombudsman.accounts.roles import CASE_OFFICER, REVIEWER, has_role


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Reviewers see every case; case officers the intake queue and the cases assigned to them."""
    visible = visibility(user)
    return Case.objects.none() if visible is None else Case.objects.filter(visible)


def visibility(user: Any, through: str = "") -> Q | None:
    """The condition on a case (reached through `through`, e.g. "case__") that the user may see
    it; None when the user sees no case."""
    if has_role(user, REVIEWER):
        return Q()
    if has_role(user, CASE_OFFICER):
        return Q(**{f"{through}pk__in": officer_case_ids(user)})
    return None


def officer_case_ids(user: Any) -> QuerySet:
    """The ids of the intake queue and of the cases the officer holds `view_case` on
    (django-guardian, directly or through a group), as one subquery.

    A union of three index lookups: PostgreSQL reads it once and joins it to the cases by key,
    so the work queue and its count grow with the officer's cases, not with the archive (a
    condition tested on every case, or a list of ids in the SQL text, would not)."""
    permission = {"permission__codename": "view_case", "permission__content_type__app_label": "cases"}
    user_perms = CaseUserObjectPermission.objects.filter(user=user, **permission).values("content_object_id")
    group_perms = CaseGroupObjectPermission.objects.filter(group__user=user, **permission).values("content_object_id")
    intake = Case.objects.filter(state=CaseState.SUBMITTED, assigned_to__isnull=True).values("id")
    return user_perms.union(group_perms, intake)


QUEUE_VIEWS = ("all", "mine", "review", "deadline")


def queue_view(user: Any, view: str, *, today: date) -> QuerySet[Case]:
    """The cases of one tab of the work queue, among those the user may see.

    mine: assigned to the user and still open; review: proposals of others awaiting a
    reviewer; deadline: open cases whose handling target is near or past."""
    cases = cases_visible_to(user)
    if view == "mine":
        return cases.filter(assigned_to=user, state__in=OPEN_STATES)
    if view == "review":
        if not has_role(user, REVIEWER):
            return cases.none()
        return cases.filter(state=CaseState.IN_REVIEW).exclude(proposed_by=user)
    if view == "deadline":
        horizon = today + timedelta(days=settings.CASE_HANDLING_NEAR_DAYS)
        return cases.filter(state__in=CLOCK_STATES, paused_since__isnull=True, handling_due_on__lte=horizon)
    return cases


def may_enter_complaints(user: Any) -> bool:
    return has_role(user, CASE_OFFICER, REVIEWER)


def get_visible_case(user: Any, reference: str) -> Case:
    """The case with this reference if the user may see it; otherwise 404, as if it did not exist."""
    try:
        return cases_visible_to(user).select_related("service__organisation", "entered_by").get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("No such case") from None


def mark_linked(cases: list[Case], user: Any) -> None:
    """Set `linked` on each case of a page: it names an identifier that another case the user may
    see names too. Two small queries for the page, whatever the size of the archive: the page's
    identifiers, then the other cases naming one of them, by the index on the value."""
    from cases.models import PerpetratorIdentifier

    visible = visibility(user, through="case__")
    named: dict[str, set[int]] = {}
    if visible is not None and cases:
        for case_id, value in PerpetratorIdentifier.objects.filter(case__in=cases).values_list("case_id", "normalised"):
            named.setdefault(value, set()).add(case_id)
    linked: set[int] = set()
    if named:
        others = PerpetratorIdentifier.objects.filter(visible, normalised__in=named).values_list(
            "normalised", "case_id"
        )
        for value, other_case in others:
            linked |= {case_id for case_id in named[value] if case_id != other_case}
    for case in cases:
        case.linked = case.pk in linked
