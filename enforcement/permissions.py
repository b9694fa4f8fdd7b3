"""Who at BIPT sees which referral: heads all of them, officers those assigned to them."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from guardian.shortcuts import get_objects_for_user

from enforcement.models import Referral
from enforcement.rules import is_bipt_head
from ombudsman.accounts.roles import BIPT_OFFICER, has_role


def referrals_visible_to(user: Any) -> QuerySet[Referral]:
    if is_bipt_head(user):
        return Referral.objects.all()
    if has_role(user, BIPT_OFFICER):
        return get_objects_for_user(
            user, "enforcement.view_referral", klass=Referral, with_superuser=False, accept_global_perms=False
        )
    return Referral.objects.none()


def get_visible_referral(user: Any, reference: str) -> Referral:
    try:
        return (
            referrals_visible_to(user)
            .select_related("organisation", "procedure", "assigned_to")
            .get(reference=reference)
        )
    except Referral.DoesNotExist:
        raise Http404("No such referral") from None
