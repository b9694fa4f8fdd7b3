"""Who may see which order: the one place that answers it, for lists and single objects."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from cases.permissions import cases_visible_as_set
from ombudsman.accounts.roles import CASE_OFFICER, PLATFORM_LIAISON, REVIEWER, has_role
from platforms.models import DisclosureOrder


def orders_for_liaison(user: Any) -> QuerySet[DisclosureOrder]:
    """The orders addressed to the user's organisation (shared with its liaison group when issued)."""
    if not has_role(user, PLATFORM_LIAISON):
        return DisclosureOrder.objects.none()
    return get_objects_for_user(
        user, "platforms.view_disclosureorder", klass=DisclosureOrder, with_superuser=False, accept_global_perms=False
    )


def orders_for_office(user: Any) -> QuerySet[DisclosureOrder]:
    """Orders of the cases the officer may see."""
    if not has_role(user, CASE_OFFICER, REVIEWER):
        return DisclosureOrder.objects.none()
    visible = cases_visible_as_set(user)
    return DisclosureOrder.objects.filter(Q(case__in=visible) | Q(joint_cases__in=visible)).distinct()


def get_order(queryset: QuerySet[DisclosureOrder], reference: str) -> DisclosureOrder:
    try:
        return queryset.select_related("case", "organisation", "follows").get(reference=reference)
    except DisclosureOrder.DoesNotExist:
        raise Http404("No such order") from None
