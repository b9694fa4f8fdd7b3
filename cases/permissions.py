"""Who may see which case: the one place that answers it, for lists and single objects."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet, Subquery
from django.http import Http404

from cases.models import OPEN_STATES, Case, CaseGroupObjectPermission, CaseState, CaseUserObjectPermission
from cases.models.case import INTAKE_QUEUE, QUEUE_OWNER
from ombudsman.accounts.roles import CASE_OFFICER, REVIEWER, has_role

# The django-guardian permission that lets a case officer see a case (given with the assignment).
VIEW_CASE = {"permission__codename": "view_case", "permission__content_type__app_label": "cases"}


def cases_visible_to(user: Any) -> QuerySet[Case]:
    """Reviewers see every case; case officers the intake queue and the cases assigned to them.

    The rule is tested on each row (an index probe of the officer's permissions), which suits
    lists narrowed by something else first: a search, a page, one reference."""
    visible = _visible_row(user, through="")
    return Case.objects.none() if visible is None else Case.objects.filter(visible)


def cases_visible_by_index(user: Any) -> QuerySet[Case]:
    """The same cases, written so that PostgreSQL can intersect the rule with another indexed
    condition (a search) before reading any case: for an officer, the intake queue and their
    own cases by the index case_queue_owner, plus the few cases shared with them by a permission
    without being assigned to them (read first, usually none)."""
    if has_role(user, REVIEWER):
        return Case.objects.all()
    if not has_role(user, CASE_OFFICER):
        return Case.objects.none()
    shared = _shared_only(user)
    return _intake_and_own(user, also=Q(pk__in=shared) if shared else None)


def _intake_and_own(user: Any, also: Q | None = None) -> QuerySet[Case]:
    """The intake queue and the officer's own cases, by the index case_queue_owner."""
    owned = Q(queue_owner__in=[INTAKE_QUEUE, user.pk])
    return Case.objects.alias(queue_owner=QUEUE_OWNER).filter(owned | also if also else owned)


def _shared_only(user: Any) -> set[int]:
    """The cases the officer holds a permission on without being assigned to them (one query)."""
    # The officer's own cases read from the index case_queue_owner alone (its owner is the assignee
    # when there is one): tens of thousands of ids without reading the table for each.
    assigned = Case.objects.alias(queue_owner=QUEUE_OWNER).filter(queue_owner=user.pk).values_list("id", flat=True)
    held = CaseUserObjectPermission.objects.filter(user=user, **VIEW_CASE).values_list("content_object_id", flat=True)
    shared = CaseGroupObjectPermission.objects.filter(group__user=user, **VIEW_CASE).values_list(
        "content_object_id", flat=True
    )
    return set(held.union(shared).difference(assigned))


def cases_visible_as_set(user: Any) -> QuerySet[Case]:
    """The same cases, with the rule as one set read once (the officer's permissions and the
    intake queue): for joining many rows of another table to the cases the user may see."""
    if has_role(user, REVIEWER):
        return Case.objects.all()
    if has_role(user, CASE_OFFICER):
        return Case.objects.filter(pk__in=officer_case_ids(user))
    return Case.objects.none()


def officer_case_ids(user: Any) -> QuerySet:
    """The ids of the intake queue and of the cases the officer holds `view_case` on
    (django-guardian, directly or through a group), as one subquery.

    A union of three index lookups: PostgreSQL reads it once and joins it to the cases by key,
    so the work queue and its count grow with the officer's cases, not with the archive (a
    condition tested on every case, or a list of ids in the SQL text, would not)."""
    user_perms = CaseUserObjectPermission.objects.filter(user=user, **VIEW_CASE).values("content_object_id")
    group_perms = CaseGroupObjectPermission.objects.filter(group__user=user, **VIEW_CASE).values("content_object_id")
    intake = Case.objects.filter(state=CaseState.SUBMITTED, assigned_to__isnull=True).values("id")
    return user_perms.union(group_perms, intake)


QUEUE_VIEWS = ("all", "mine", "review", "deadline")


def queue_view(user: Any, view: str, *, today: date) -> QuerySet[Case]:
    """The cases of one tab of the work queue, among those the user may see.

    mine: assigned to the user and still open; review: proposals of others awaiting a
    reviewer; deadline: open cases whose handling target is near or past."""
    cases = queue_cases(user)
    if view == "mine":
        return cases.filter(assigned_to=user, state__in=OPEN_STATES)
    if view == "review":
        if not has_role(user, REVIEWER):
            return cases.none()
        return cases.filter(state=CaseState.IN_REVIEW).exclude(proposed_by=user)
    if view == "deadline":
        horizon = today + timedelta(days=settings.CASE_HANDLING_NEAR_DAYS)
        # The leading columns of the index case_queue_deadline: one range of it, read in order.
        return cases.filter(clock_order=0, handling_due_on__lte=horizon)
    return cases


def queue_cases(user: Any) -> QuerySet[Case]:
    """What the work queue lists: every case for reviewers; for a case officer the intake queue
    and the cases assigned to them (a case shared with an officer by a permission of its own
    opens from search and links, not from the queue)."""
    if has_role(user, REVIEWER):
        return Case.objects.all()
    if has_role(user, CASE_OFFICER):
        return _intake_and_own(user)
    return Case.objects.none()


def queue_branches(cases: QuerySet[Case], user: Any) -> list[QuerySet[Case]] | None:
    """For a case officer, the queue's two disjoint parts, each read in order from the index
    case_queue_owner: the intake queue and the officer's own cases. None for one plain list."""
    if has_role(user, REVIEWER) or not has_role(user, CASE_OFFICER):
        return None  # one list, read in order from one index
    return [cases.filter(queue_owner=INTAKE_QUEUE), cases.filter(queue_owner=user.pk)]


def may_enter_complaints(user: Any) -> bool:
    return has_role(user, CASE_OFFICER, REVIEWER)


def get_visible_case(user: Any, reference: str) -> Case:
    """The case with this reference if the user may see it; otherwise 404, as if it did not exist."""
    case = cases_visible_to(user).filter(reference=reference).select_related("service__organisation", "entered_by")
    if (found := case.first()) is None:
        raise Http404("No such case")
    return found


def mark_linked(cases: list[Case], user: Any) -> None:
    """Set `linked` on each case of a page: it names an identifier that another case the user may
    see names too. One query for the page, whatever the size of the archive: for each of the
    page's identifiers, the newest other case naming it that the user may see (read backwards
    from the index on value and case, each tested by its own key). The search stops at the first
    such case, so an identifier named in tens of thousands of cases costs no more than a rare one
    (for an officer, unless they may see none of those cases)."""
    from cases.models import PerpetratorIdentifier

    visible = identifiers_visible_to(user)
    linked: set[int] = set()
    if cases and not visible.query.is_empty():
        # The newest such case, read backwards from the index on (value, case): the cases an officer
        # may see are mostly recent ones (the intake queue, their open cases), found first that way.
        elsewhere = (
            visible.filter(normalised=OuterRef("normalised"))
            .exclude(case_id=OuterRef("case_id"))
            .order_by("-case_id")
            .values("case_id")[:1]
        )
        linked = set(
            PerpetratorIdentifier.objects.filter(case__in=cases)
            .annotate(elsewhere=Subquery(elsewhere))
            .filter(elsewhere__isnull=False)
            .values_list("case_id", flat=True)
        )
    for case in cases:
        case.linked = case.pk in linked


def identifiers_visible_to(user: Any) -> QuerySet:
    """The perpetrators' identifiers of the cases the user may see, tested row by row."""
    from cases.models import PerpetratorIdentifier

    visible = _visible_row(user)
    return PerpetratorIdentifier.objects.none() if visible is None else PerpetratorIdentifier.objects.filter(visible)


def _visible_row(user: Any, through: str = "case__") -> Q | None:
    """The condition that a case (reached through `through`) is one the user may see, tested row
    by row: for a handful of rows, where the cases an officer holds may be tens of thousands."""
    if has_role(user, REVIEWER):
        return Q()
    if not has_role(user, CASE_OFFICER):
        return None
    case_key = OuterRef("case_id" if through == "case__" else "pk")
    held = CaseUserObjectPermission.objects.filter(user=user, content_object_id=case_key, **VIEW_CASE)
    shared = CaseGroupObjectPermission.objects.filter(group__user=user, content_object_id=case_key, **VIEW_CASE)
    intake = Q(**{f"{through}state": CaseState.SUBMITTED, f"{through}assigned_to__isnull": True})
    return intake | Exists(held) | Exists(shared)
