"""Who may see which case: the one place that answers it, for lists and single objects."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from cases.models import OPEN_STATES, Case, CaseGroupObjectPermission, CaseState, CaseUserObjectPermission
from cases.models.case import CLOCK_STATES
from ombudsman.accounts.roles import CASE_OFFICER, REVIEWER, has_role


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Reviewers see every case; case officers the intake queue and the cases assigned to them."""
    if has_role(user, REVIEWER):
        return Case.objects.all()
    if has_role(user, CASE_OFFICER):
        unassigned = Q(state=CaseState.SUBMITTED, assigned_to__isnull=True)
        return Case.objects.filter(unassigned | Q(pk__in=assigned_case_ids(user)))
    return Case.objects.none()


def assigned_case_ids(user: Any) -> list[int]:
    """The cases the user holds `view_case` on (django-guardian, directly or through a group).

    Read as a list, so the filter above is an index lookup PostgreSQL can combine with others,
    rather than a subquery it tests against every case."""
    user_perms = CaseUserObjectPermission.objects.filter(
        user=user, permission__codename="view_case", permission__content_type__app_label="cases"
    ).values_list("content_object_id", flat=True)
    group_perms = CaseGroupObjectPermission.objects.filter(
        group__user=user, permission__codename="view_case", permission__content_type__app_label="cases"
    ).values_list("content_object_id", flat=True)
    return list(user_perms.union(group_perms))


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


def with_link_flags(cases: QuerySet[Case], user: Any) -> QuerySet[Case]:
    """Annotate `linked`: the case names an identifier that another case the user may see names too."""
    from cases.models import PerpetratorIdentifier

    elsewhere = PerpetratorIdentifier.objects.filter(
        normalised=OuterRef("normalised"), case__in=cases_visible_to(user)
    ).exclude(case_id=OuterRef("case_id"))
    shared = PerpetratorIdentifier.objects.filter(case=OuterRef("pk")).filter(Exists(elsewhere))
    return cases.annotate(linked=Exists(shared))
