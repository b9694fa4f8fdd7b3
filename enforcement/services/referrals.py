"""Opening referrals to BIPT: by the sweep when orders are escalated, or by hand."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from cases import rules as case_rules
from enforcement import letters
from enforcement.models import Referral, SanctionProcedure
from ombudsman.audit.services import SYSTEM, EventSpec, record_events
from ombudsman.letters.services import LetterSpec, request_letters


def open_referrals(orders_and_reasons: Sequence[tuple[Any, str]], *, by: Any = None) -> list[Referral]:
    """One referral, its procedure and its dossier per escalated order (bulk, inside the caller's transaction)."""
    if not orders_and_reasons:
        return []
    now = timezone.now()
    referrals = Referral.objects.bulk_create(
        [
            Referral(
                reference=f"BIPT-{order.reference}",
                organisation_id=order.organisation_id,
                reason=reason,
                opened_at=now,
                opened_by=by,
            )
            for order, reason in orders_and_reasons
        ]
    )
    Referral.orders.through.objects.bulk_create(
        [
            Referral.orders.through(referral_id=referral.pk, disclosureorder_id=order.pk)
            for referral, (order, _reason) in zip(referrals, orders_and_reasons, strict=True)
        ]
    )
    SanctionProcedure.objects.bulk_create([SanctionProcedure(referral=referral) for referral in referrals])
    record_events(
        EventSpec(
            obj=referral,
            action="referral_opened",
            actor=by,
            actor_label="" if by else SYSTEM,
            to_state="referred",
            data={"organisation_id": referral.organisation_id},
        )
        for referral in referrals
    )
    request_letters(
        [
            LetterSpec(
                kind=letters.REFERRAL_DOSSIER.code,
                target=referral,
                language=settings.BIPT_LETTER_LANGUAGE,
                trigger_key=f"referral:{referral.pk}:dossier",
                requested_by=by,
            )
            for referral in referrals
        ]
    )
    return referrals


def open_referral_by_hand(*, organisation: Any, orders: Sequence[Any], reason: str, by: Any) -> Referral:
    """The Ombudsman refers a pattern of non-cooperation (a reviewer decides it)."""
    if not case_rules.is_reviewer(by):
        from enforcement.services.procedure import ProcedureStepRefused

        raise ProcedureStepRefused(_("Only a reviewer of the Ombudsman refers an organisation by hand."))
    if len(reason.strip()) < 40:
        raise ValidationError(_("Describe the pattern of non-cooperation (a few sentences)."))
    if not orders or any(order.organisation_id != organisation.pk for order in orders):
        raise ValidationError(_("Choose orders addressed to this organisation."))
    with transaction.atomic():
        count = Referral.objects.filter(organisation=organisation, opened_by__isnull=False).count() + 1
        referral = Referral.objects.create(
            reference=f"BIPT-{organisation.pk}-M{count}-{timezone.localdate():%Y%m%d}",
            organisation=organisation,
            reason=reason.strip(),
            opened_by=by,
        )
        referral.orders.set(orders)
        SanctionProcedure.objects.create(referral=referral)
        record_events(
            [
                EventSpec(
                    obj=referral,
                    action="referral_opened",
                    actor=by,
                    to_state="referred",
                    data={"organisation_id": organisation.pk, "orders": [o.reference for o in orders]},
                )
            ]
        )
        request_letters(
            [
                LetterSpec(
                    letters.REFERRAL_DOSSIER.code,
                    referral,
                    settings.BIPT_LETTER_LANGUAGE,
                    f"referral:{referral.pk}:dossier",
                    by,
                )
            ]
        )
    return referral
