"""Who may see which case: the one place that answers it, for lists and single objects."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from cases.models import Case, CaseState
from ombudsman.accounts.roles import CASE_OFFICER, REVIEWER, has_role


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Reviewers see every case; case officers the intake queue and the cases assigned to them."""
    if has_role(user, REVIEWER):
        return Case.objects.all()
    if has_role(user, CASE_OFFICER):
        assigned = get_objects_for_user(
            user, "cases.view_case", klass=Case, with_superuser=False, accept_global_perms=False
        )
        return Case.objects.filter(Q(state=CaseState.SUBMITTED) | Q(pk__in=assigned.values("pk")))
    return Case.objects.none()


def may_enter_complaints(user: Any) -> bool:
    return has_role(user, CASE_OFFICER, REVIEWER)


def get_visible_case(user: Any, reference: str) -> Case:
    """The case with this reference if the user may see it; otherwise 404, as if it did not exist."""
    try:
        return cases_visible_to(user).select_related("service__organisation", "entered_by").get(reference=reference)
    except Case.DoesNotExist:
        raise Http404("No such case") from None
