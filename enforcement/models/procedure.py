"""The sanction procedure at BIPT (DESIGN.md §4 "SanctionProcedure").

The rights of defence are guarded in the transitions themselves: each one checks the facts
it rests on (grievances notified, defence period over or hearing held, draft decision
answered or its period over, fine within the legal bounds and reasoned) and refuses
otherwise, so a defective procedure cannot be recorded at all."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from enforcement import rules
from ombudsman.core.transitions import ConcurrentTransitions


class ProcedureState(models.TextChoices):
    REFERRED = "referred", _("Referred")
    INVESTIGATING = "investigating", _("Investigating")
    GRIEVANCES_NOTIFIED = "grievances_notified", _("Grievances notified")
    HEARING_SCHEDULED = "hearing_scheduled", _("Hearing scheduled")
    DEFENCE_CLOSED = "defence_closed", _("Defence closed")
    DRAFT_DECISION = "draft_decision", _("Draft decision")
    FINE_IMPOSED = "fine_imposed", _("Fine imposed")
    DISMISSED = "dismissed", _("Dismissed")
    UNDER_APPEAL = "under_appeal", _("Under appeal")
    FINE_CONFIRMED = "fine_confirmed", _("Fine confirmed")
    FINE_REDUCED = "fine_reduced", _("Fine reduced")
    ANNULLED = "annulled", _("Annulled")
    PAID = "paid", _("Paid")
    CLOSED = "closed", _("Closed")


P = ProcedureState
FINE_STATES = [P.FINE_IMPOSED, P.FINE_CONFIRMED, P.FINE_REDUCED]


class Seriousness(models.TextChoices):
    MINOR = "minor", _("Minor")
    SERIOUS = "serious", _("Serious")
    VERY_SERIOUS = "very_serious", _("Very serious")


class Cooperation(models.TextChoices):
    NONE = "none", _("No cooperation")
    PARTIAL = "partial", _("Partial cooperation")
    FULL = "full", _("Full cooperation once the procedure started")


class Judgment(models.TextChoices):
    CONFIRMED = "confirmed", _("Fine confirmed")
    REDUCED = "reduced", _("Fine reduced")
    ANNULLED = "annulled", _("Decision annulled")


class ProcedureRuleViolation(ValidationError):
    """A step the rights of defence or the legal bounds do not allow."""


class FineScale(models.Model):
    """The fine bounds and scale an administrator maintains (one row; defaults in settings)."""

    ceiling_eur = models.DecimalField(_("absolute ceiling (EUR)"), max_digits=14, decimal_places=2)
    turnover_share_percent = models.DecimalField(
        _("ceiling as a share of turnover (%)"), max_digits=5, decimal_places=2
    )
    base_minor = models.DecimalField(_("base amount, minor (EUR)"), max_digits=14, decimal_places=2)
    base_serious = models.DecimalField(_("base amount, serious (EUR)"), max_digits=14, decimal_places=2)
    base_very_serious = models.DecimalField(_("base amount, very serious (EUR)"), max_digits=14, decimal_places=2)
    increase_per_month_percent = models.DecimalField(
        _("increase per month of non-cooperation (%)"), max_digits=5, decimal_places=2
    )
    repetition_factor = models.DecimalField(
        _("factor for repetition within five years"), max_digits=4, decimal_places=2
    )
    reduction_partial_percent = models.DecimalField(
        _("reduction for partial cooperation (%)"), max_digits=5, decimal_places=2
    )
    reduction_full_percent = models.DecimalField(
        _("reduction for full cooperation (%)"), max_digits=5, decimal_places=2
    )
    source = models.CharField(_("source"), max_length=300)

    class Meta:
        verbose_name = _("fine scale")
        verbose_name_plural = _("fine scale")

    def __str__(self) -> str:
        return str(self._meta.verbose_name)

    @classmethod
    def current(cls) -> FineScale:
        scale = cls.objects.first()
        if scale is None:
            scale = cls(
                **{
                    key: Decimal(str(value)) if key != "source" else value
                    for key, value in settings.BIPT_FINE_SCALE.items()
                }
            )
        return scale

    def maximum(self, turnover: Decimal | None) -> Decimal:
        """The legal maximum: the absolute ceiling, or the share of turnover if that is lower."""
        if turnover is None:
            return self.ceiling_eur
        return min(self.ceiling_eur, (turnover * self.turnover_share_percent / 100).quantize(Decimal("0.01")))

    def propose(
        self, *, seriousness: str, duration_days: int, repeated: bool, cooperation: str, turnover: Decimal | None
    ) -> FineProposal:
        """An amount from the scale; the officer decides, within the maximum."""
        base = {
            Seriousness.MINOR: self.base_minor,
            Seriousness.SERIOUS: self.base_serious,
            Seriousness.VERY_SERIOUS: self.base_very_serious,
        }[seriousness]
        months = Decimal(max(duration_days, 0) // 30)
        amount = base * (1 + self.increase_per_month_percent * months / 100)
        if repeated:
            amount *= self.repetition_factor
        reduction = {Cooperation.PARTIAL: self.reduction_partial_percent, Cooperation.FULL: self.reduction_full_percent}
        amount *= 1 - reduction.get(cooperation, Decimal(0)) / 100
        amount = amount.quantize(Decimal("1"), rounding=ROUND_HALF_UP)
        maximum = self.maximum(turnover)
        return FineProposal(amount=min(amount, maximum), maximum=maximum, capped=amount > maximum)


@dataclass(frozen=True)
class FineProposal:
    amount: Decimal
    maximum: Decimal
    capped: bool


def _refuse(message: Any) -> None:
    raise ProcedureRuleViolation(message)


class SanctionProcedure(ConcurrentTransitions, models.Model):
    referral = models.OneToOneField("enforcement.Referral", on_delete=models.PROTECT, related_name="procedure")
    state = FSMField(_("state"), default=P.REFERRED, choices=ProcedureState.choices, protected=True)

    investigation_opened_on = models.DateField(null=True, blank=True)
    # Grievances and defence.
    grievances = models.TextField(_("grievances"), blank=True)
    evidence_list = models.TextField(_("evidence"), blank=True)
    grievances_notified_on = models.DateField(_("grievances notified"), null=True, blank=True)
    defence_due_on = models.DateField(_("defence due"), null=True, blank=True)
    defence_received_on = models.DateField(_("defence received"), null=True, blank=True)
    defence_summary = models.TextField(_("defence"), blank=True)
    hearing_at = models.DateTimeField(_("hearing"), null=True, blank=True)
    hearing_held_on = models.DateField(_("hearing held"), null=True, blank=True)
    hearing_minutes = models.TextField(_("minutes of the hearing"), blank=True)
    defence_closed_on = models.DateField(_("defence closed"), null=True, blank=True)
    # Draft decision, and the platform's answer to it.
    draft_text = models.TextField(_("draft decision"), blank=True)
    draft_notified_on = models.DateField(null=True, blank=True)
    draft_answer_due_on = models.DateField(_("answer to the draft due"), null=True, blank=True)
    draft_answer_received_on = models.DateField(null=True, blank=True)
    # Decision.
    seriousness = models.CharField(_("seriousness"), max_length=15, choices=Seriousness.choices, blank=True)
    duration_days = models.PositiveIntegerField(_("days of non-cooperation"), null=True, blank=True)
    repeated = models.BooleanField(_("repetition within five years"), default=False)
    cooperation = models.CharField(_("cooperation"), max_length=10, choices=Cooperation.choices, blank=True)
    turnover_eur = models.DecimalField(
        _("relevant turnover (EUR)"), max_digits=16, decimal_places=2, null=True, blank=True
    )
    proposed_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    fine_amount = models.DecimalField(_("fine (EUR)"), max_digits=14, decimal_places=2, null=True, blank=True)
    decision_reasons = models.TextField(_("reasons of the decision"), blank=True)
    confidential_terms = models.JSONField(_("business secrets to black out"), default=list, blank=True)
    decided_on = models.DateField(_("decided"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    appeal_deadline = models.DateField(_("appeal deadline"), null=True, blank=True)
    final_on = models.DateField(_("final since"), null=True, blank=True)
    payment_due_on = models.DateField(_("payment due"), null=True, blank=True)
    payment_reminder_sent_at = models.DateTimeField(null=True, blank=True)
    # Appeal and payment.
    appeal_lodged_on = models.DateField(_("appeal lodged"), null=True, blank=True)
    judgment = models.CharField(_("judgment"), max_length=10, choices=Judgment.choices, blank=True)
    judgment_on = models.DateField(_("judgment of"), null=True, blank=True)
    paid_on = models.DateField(_("paid"), null=True, blank=True)
    paid_amount = models.DecimalField(max_digits=14, decimal_places=2, null=True, blank=True)
    dismissal_reasons = models.TextField(_("reasons for dismissal"), blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["-id"]
        indexes = [
            models.Index(
                fields=["defence_due_on"], name="procedure_defence_due", condition=models.Q(state="grievances_notified")
            ),
            models.Index(
                fields=["appeal_deadline"],
                name="procedure_appeal_window",
                condition=models.Q(state="fine_imposed", final_on__isnull=True),
            ),
            models.Index(
                fields=["payment_due_on"],
                name="procedure_payment_due",
                condition=models.Q(
                    state__in=["fine_imposed", "fine_confirmed", "fine_reduced"], payment_reminder_sent_at__isnull=True
                ),
            ),
        ]
        verbose_name = _("sanction procedure")
        verbose_name_plural = _("sanction procedures")

    def __str__(self) -> str:
        return self.referral.reference

    @property
    def amount_due(self) -> Decimal | None:
        return self.fine_amount if self.state in FINE_STATES else None

    # Transitions; every guard is a rule of enforcement.rules plus the checks in the method.

    @transition(field=state, source=P.REFERRED, target=P.INVESTIGATING, permission=rules.is_procedure_officer)
    def open_investigation(self, *, today: date) -> None:
        self.investigation_opened_on = today

    @transition(
        field=state, source=P.INVESTIGATING, target=P.GRIEVANCES_NOTIFIED, permission=rules.is_procedure_officer
    )
    def notify_grievances(self, *, grievances: str, evidence_list: str, today: date, defence_due_on: date) -> None:
        if not grievances.strip() or not evidence_list.strip():
            _refuse(_("The notice of grievances states the facts, the legal basis and the evidence."))
        self.grievances = grievances.strip()
        self.evidence_list = evidence_list.strip()
        self.grievances_notified_on = today
        self.defence_due_on = defence_due_on

    @transition(
        field=state, source=P.GRIEVANCES_NOTIFIED, target=P.DEFENCE_CLOSED, permission=rules.is_procedure_officer
    )
    def record_defence(self, *, summary: str, received_on: date) -> None:
        if not summary.strip():
            _refuse(_("Summarise the written defence received."))
        self.defence_summary = summary.strip()
        self.defence_received_on = received_on
        self.defence_closed_on = received_on

    @transition(field=state, source=P.GRIEVANCES_NOTIFIED, target=P.DEFENCE_CLOSED, permission=rules.system_only)
    def close_defence(self, *, today: date) -> None:
        if self.defence_due_on is None or today <= self.defence_due_on:
            _refuse(_("The defence period is not over."))
        self.defence_closed_on = today

    @transition(
        field=state, source=P.GRIEVANCES_NOTIFIED, target=P.HEARING_SCHEDULED, permission=rules.is_procedure_officer
    )
    def schedule_hearing(self, *, at: Any, now: Any) -> None:
        if at <= now:
            _refuse(_("A hearing is scheduled in the future."))
        self.hearing_at = at

    @transition(field=state, source=P.HEARING_SCHEDULED, target=P.DEFENCE_CLOSED, permission=rules.is_procedure_officer)
    def hold_hearing(self, *, minutes: str, today: date) -> None:
        if self.hearing_at is None or timezone.localdate(self.hearing_at) > today:
            _refuse(_("The hearing has not taken place yet."))
        if not minutes.strip():
            _refuse(_("Record the minutes of the hearing."))
        self.hearing_minutes = minutes.strip()
        self.hearing_held_on = today
        self.defence_closed_on = today

    @transition(field=state, source=P.DEFENCE_CLOSED, target=P.DRAFT_DECISION, permission=rules.is_procedure_officer)
    def draft_decision(self, *, text: str, today: date, answer_due_on: date) -> None:
        hearing_held = self.hearing_held_on is not None
        period_over = self.defence_due_on is not None and today > self.defence_due_on
        if self.grievances_notified_on is None or not (hearing_held or period_over):
            _refuse(
                _(
                    "No draft decision before the grievances were notified and the defence was heard "
                    "or its period ended."
                )
            )
        if not text.strip():
            _refuse(_("Write the draft decision."))
        self.draft_text = text.strip()
        self.draft_notified_on = today
        self.draft_answer_due_on = answer_due_on

    @transition(
        field=state,
        source=P.DRAFT_DECISION,
        target=RETURN_VALUE(P.FINE_IMPOSED, P.DISMISSED),
        permission=rules.is_procedure_officer,
    )
    def decide(
        self,
        *,
        fine: bool,
        reasons: str,
        today: date,
        by: Any,
        maximum: Decimal,
        appeal_deadline: date,
        payment_due_on: date | None,
        amount: Decimal | None = None,
    ) -> str:
        answered = self.draft_answer_received_on is not None
        if not answered and (self.draft_answer_due_on is None or today <= self.draft_answer_due_on):
            _refuse(_("No decision before the platform could answer the draft decision (its period is not over)."))
        if len(reasons.strip()) < 40:
            _refuse(_("A decision states its reasons."))
        self.decision_reasons = reasons.strip()
        self.decided_on = today
        self.decided_by = by
        self.appeal_deadline = appeal_deadline
        if not fine:
            return P.DISMISSED
        if not (self.seriousness and self.cooperation and self.duration_days is not None):
            _refuse(_("A fine records its seriousness, the duration of non-cooperation, repetition and cooperation."))
        if amount is None or amount <= 0:
            _refuse(_("Give the amount of the fine."))
        if amount > maximum:
            _refuse(
                _("The fine exceeds the legal maximum of EUR %(maximum)s.")
                % {"maximum": number_format(maximum, 2, force_grouping=True)}
            )
        self.fine_amount = amount
        self.payment_due_on = payment_due_on
        return P.FINE_IMPOSED

    @transition(field=state, source=P.FINE_IMPOSED, target=P.UNDER_APPEAL, permission=rules.is_procedure_officer)
    def record_appeal(self, *, lodged_on: date) -> None:
        if self.appeal_deadline is None or lodged_on > self.appeal_deadline:
            _refuse(_("The appeal was lodged after the deadline; the decision is final."))
        self.appeal_lodged_on = lodged_on

    @transition(
        field=state,
        source=P.UNDER_APPEAL,
        target=RETURN_VALUE(P.FINE_CONFIRMED, P.FINE_REDUCED, P.ANNULLED),
        permission=rules.is_procedure_officer,
    )
    def record_judgment(self, *, judgment: str, judged_on: date, reduced_amount: Decimal | None = None) -> str:
        self.judgment = judgment
        self.judgment_on = judged_on
        if judgment == Judgment.REDUCED:
            if reduced_amount is None or not (0 < reduced_amount < self.fine_amount):
                _refuse(_("A reduced fine is lower than the fine imposed."))
            self.fine_amount = reduced_amount
            return P.FINE_REDUCED
        if judgment == Judgment.ANNULLED:
            return P.ANNULLED
        if judgment == Judgment.CONFIRMED:
            return P.FINE_CONFIRMED
        _refuse(_("Choose the outcome of the judgment."))
        return ""  # unreachable: _refuse raises

    @transition(field=state, source=FINE_STATES, target=P.PAID, permission=rules.is_procedure_officer)
    def record_payment(self, *, paid_on: date, amount: Decimal) -> None:
        if amount != self.fine_amount:
            _refuse(
                _("The amount paid differs from the fine due (EUR %(due)s).")
                % {"due": number_format(self.fine_amount, 2, force_grouping=True)}
            )
        self.paid_on = paid_on
        self.paid_amount = amount

    @transition(
        field=state,
        source=[P.INVESTIGATING, P.GRIEVANCES_NOTIFIED],
        target=P.DISMISSED,
        permission=rules.is_procedure_officer,
    )
    def compliance_restored(self, *, reasons: str, today: date) -> None:
        if len(reasons.strip()) < 20:
            _refuse(_("Give the reasons for dismissing the procedure."))
        self.dismissal_reasons = reasons.strip()
        self.decided_on = today

    @transition(
        field=state, source=[P.PAID, P.DISMISSED, P.ANNULLED], target=P.CLOSED, permission=rules.is_procedure_officer
    )
    def close(self, *, today: date) -> None:
        self.closed_on = today


class SanctionProcedureUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(SanctionProcedure, on_delete=models.CASCADE)


class SanctionProcedureGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(SanctionProcedure, on_delete=models.CASCADE)
