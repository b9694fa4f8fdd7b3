"""What every order use case shares: locking, guards, audit events."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext as _
from django_fsm import can_proceed, has_transition_perm
from guardian.shortcuts import assign_perm

from ombudsman.audit.services import record_event
from platforms.models import DisclosureOrder, Organisation


class OrderChangedMeanwhile(Exception):
    """Someone else changed the order since the user loaded it."""

    def __init__(self, order: DisclosureOrder) -> None:
        self.order = order
        super().__init__(
            _("This order changed meanwhile: it is now “%(state)s”. Check the page again before acting.")
            % {"state": order.get_state_display()}
        )


class OrderStepRefused(PermissionDenied):
    """The user may see the order but may not take this step."""


# Shared with the organisation's liaison group when an order is issued.
LIAISON_PERMISSIONS = ("platforms.view_disclosureorder", "platforms.answer_disclosureorder")


def lock_order(order_id: int, expected_state: str | None = None) -> DisclosureOrder:
    order = DisclosureOrder.objects.select_for_update().select_related("case", "organisation").get(pk=order_id)
    if expected_state is not None and order.state != expected_state:
        raise OrderChangedMeanwhile(order)
    return order


def ensure_step_allowed(order: DisclosureOrder, step: str, user: Any) -> None:
    method = getattr(order, step)
    if not can_proceed(method):
        raise OrderChangedMeanwhile(order)
    if user is not None and not has_transition_perm(method, user):
        raise OrderStepRefused(_("You may not do this on this order."))


def run_step(
    order: DisclosureOrder, step: str, *, user: Any, data: dict[str, Any] | None = None, **arguments: Any
) -> DisclosureOrder:
    """Check the guard (user None: the system), apply the step, save, append the audit event."""
    ensure_step_allowed(order, step, user)
    from_state = order.state
    getattr(order, step)(**arguments)
    order.save()
    record_event(
        order,
        step,
        actor=user,
        actor_label="" if user is not None else "system",
        from_state=from_state,
        to_state=order.state,
        data={"case": order.case.reference, **(data or {})},
    )
    return order


def liaison_group(organisation: Organisation) -> Group:
    """The group of the organisation's liaison users (created with the organisation's first order)."""
    if organisation.liaison_group_id is None:
        group, _created = Group.objects.get_or_create(name=f"liaisons: {organisation.name}"[:150])
        Organisation.objects.filter(pk=organisation.pk).update(liaison_group=group)
        organisation.liaison_group = group
    return organisation.liaison_group


def share_with_liaisons(order: DisclosureOrder) -> None:
    group = liaison_group(order.organisation)
    for permission in LIAISON_PERMISSIONS:
        assign_perm(permission, group, order)
