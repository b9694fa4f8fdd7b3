"""The disclosure order and its state machine (DESIGN.md §4 "DisclosureOrder")."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from ombudsman.core.choices import ChoiceLabelsMixin
from ombudsman.core.transitions import ConcurrentTransitions
from platforms import rules
from platforms.models.organisation import OrderKind, Organisation


class OrderState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    EXTENSION_REQUESTED = "extension_requested", _("Extension requested")
    ANSWERED = "answered", _("Answered")
    OVERDUE = "overdue", _("Overdue")
    FULFILLED = "fulfilled", _("Fulfilled")
    ESCALATED = "escalated", _("Escalated to BIPT")
    WITHDRAWN = "withdrawn", _("Withdrawn")


OS = OrderState
# Orders the chain still waits for: a case cannot be concluded while one of them is open.
ACTIVE_ORDER_STATES = [OS.DRAFT, OS.ISSUED, OS.ACKNOWLEDGED, OS.EXTENSION_REQUESTED, OS.ANSWERED, OS.OVERDUE]
# States no transition leaves (the statistics summarise these orders once finished).
FINISHED_ORDER_STATES = [OS.FULFILLED, OS.WITHDRAWN, OS.ESCALATED]
# States in which the organisation still owes an answer by the due date.
AWAITING_ANSWER = [OS.ISSUED, OS.ACKNOWLEDGED]


class DataItem(models.TextChoices):
    """Data an order may ask for: only data the provider already holds (DSA art. 10(2)(b))."""

    NAMES = "names", _("Names of the holder")
    EMAIL = "email", _("E-mail addresses")
    PHONE = "phone", _("Phone numbers")
    IP_ADDRESSES = "ip_addresses", _("IP addresses with timestamps and source ports")
    REGISTRATION = "registration", _("Registration data of the account (creation date, IP address at creation)")
    SUBSCRIBER = "subscriber", _("Name and address of the subscriber")


class DisclosureOrder(ChoiceLabelsMixin, ConcurrentTransitions, models.Model):
    reference = models.CharField(_("reference"), max_length=30, unique=True)
    case = models.ForeignKey("cases.Case", verbose_name=_("case"), on_delete=models.PROTECT, related_name="orders")
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("addressed to"), on_delete=models.PROTECT, related_name="orders"
    )
    # The order chain: a follow-up order to the operator named by an earlier answer.
    follows = models.ForeignKey(
        "self", verbose_name=_("follows"), null=True, blank=True, on_delete=models.PROTECT, related_name="follow_ups"
    )
    # Other established cases naming the same identifier: the platform answers once for all,
    # and each case gets its own letters.
    joint_cases = models.ManyToManyField(
        "cases.Case", verbose_name=_("also for the cases"), blank=True, related_name="joint_orders"
    )
    kind = models.CharField(_("kind of order"), max_length=30, choices=OrderKind.choices)
    identifiers = models.JSONField(_("identifiers concerned"))
    data_requested = models.JSONField(_("data requested"))
    reasons = models.TextField(_("statement of reasons"))
    state = FSMField(_("state"), default=OS.DRAFT, choices=OrderState.choices, protected=True)

    # Who drafted and issued are read on the order's page, never searched: no index to maintain.
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", db_index=False)
    drafted_at = models.DateTimeField(default=timezone.now)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+", db_index=False
    )
    issued_at = models.DateTimeField(_("issued"), null=True, blank=True)
    due_on = models.DateField(_("due"), null=True, blank=True)
    reminder_on = models.DateField(_("reminder"), null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    acknowledged_at = models.DateTimeField(_("acknowledged"), null=True, blank=True)
    extension_requested_until = models.DateField(_("extension asked until"), null=True, blank=True)
    extension_reasons = models.TextField(_("reasons for the extension"), blank=True)
    overdue_since = models.DateField(_("overdue since"), null=True, blank=True)
    grace_until = models.DateField(_("grace period until"), null=True, blank=True)
    escalated_at = models.DateTimeField(_("escalated"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)

    class Meta:
        ordering = ["case", "id"]
        # Partial indexes: each holds only the orders its sweep looks for, so a state change
        # leaves the others untouched (the sweep updates tens of thousands of rows at once).
        indexes = [
            models.Index(fields=["due_on"], name="order_awaiting_due", condition=models.Q(state__in=AWAITING_ANSWER)),
            models.Index(
                fields=["reminder_on"],
                name="order_reminder_pending",
                condition=models.Q(reminder_sent_at__isnull=True, state__in=AWAITING_ANSWER),
            ),
            models.Index(fields=["grace_until"], name="order_overdue_grace", condition=models.Q(state=OS.OVERDUE)),
            # The statistics' periods (set once, at issue: no sweep rewrites it).
            models.Index(fields=["issued_at"], name="order_issued", condition=models.Q(issued_at__isnull=False)),
            # The statistics read live only the orders not summarised yet (ombudsman.dashboard.summaries):
            # those still running, by issue, and those finished since the summaries' last day.
            models.Index(
                fields=["issued_at"], name="order_running_issued", condition=models.Q(state__in=ACTIVE_ORDER_STATES)
            ),
            models.Index(
                Coalesce("closed_at", "escalated_at"),
                name="order_finished_at",
                condition=models.Q(state__in=FINISHED_ORDER_STATES),
            ),
        ]
        permissions = [("answer_disclosureorder", "Can answer a disclosure order (liaison of its organisation)")]
        verbose_name = _("disclosure order")
        verbose_name_plural = _("disclosure orders")

    def __str__(self) -> str:
        return self.reference

    def all_cases(self) -> list[Any]:
        """The order's case and the cases it also covers."""
        return [self.case, *self.joint_cases.order_by("id")]

    def identifier_labels(self) -> list[str]:
        from cases.models import IdentifierKind

        labels = {**dict(IdentifierKind.choices), "ip_address": _("IP address")}
        rows = []
        for item in self.identifiers:
            text = f"{labels.get(item.get('kind'), item.get('kind'))}: {item.get('value')}"
            if item.get("port"):
                text += f" (port {item['port']})"
            if item.get("timestamp"):
                text += f" — {item['timestamp']}"
            rows.append(text)
        return rows

    def data_requested_labels(self) -> list[str]:
        labels = dict(DataItem.choices)
        return [str(labels.get(code, code)) for code in self.data_requested]

    # Transitions. The guards are in platforms.rules.

    @transition(field=state, source=OS.DRAFT, target=OS.ISSUED, permission=rules.is_case_officer_of)
    def issue(self, *, by: Any, due_on: date, reminder_on: date) -> None:
        self.issued_by = by
        self.issued_at = timezone.now()
        self.due_on = due_on
        self.reminder_on = reminder_on

    @transition(field=state, source=OS.ISSUED, target=OS.ACKNOWLEDGED, permission=rules.is_liaison_of)
    def acknowledge(self) -> None:
        self.acknowledged_at = timezone.now()

    @transition(field=state, source=AWAITING_ANSWER, target=OS.EXTENSION_REQUESTED, permission=rules.is_liaison_of)
    def request_extension(self, *, until: date, reasons: str) -> None:
        self.extension_requested_until = until
        self.extension_reasons = reasons
        if self.acknowledged_at is None:
            self.acknowledged_at = timezone.now()

    @transition(field=state, source=OS.EXTENSION_REQUESTED, target=OS.ACKNOWLEDGED, permission=rules.is_case_officer_of)
    def grant_extension(self, *, due_on: date, reminder_on: date) -> None:
        self.due_on = due_on
        self.reminder_on = reminder_on
        self.reminder_sent_at = None

    @transition(field=state, source=OS.EXTENSION_REQUESTED, target=OS.ACKNOWLEDGED, permission=rules.is_case_officer_of)
    def refuse_extension(self) -> None:
        pass

    @transition(field=state, source=[*AWAITING_ANSWER, OS.OVERDUE], target=OS.ANSWERED, permission=rules.is_liaison_of)
    def answer(self) -> None:
        pass

    @transition(field=state, source=AWAITING_ANSWER, target=OS.OVERDUE, permission=rules.system_only)
    def mark_overdue(self, *, today: date, grace_until: date) -> None:
        self.overdue_since = today
        self.grace_until = grace_until

    @transition(field=state, source=OS.OVERDUE, target=OS.ESCALATED, permission=rules.system_only)
    def escalate(self) -> None:
        self.escalated_at = timezone.now()

    @transition(field=state, source=OS.ANSWERED, target=OS.FULFILLED, permission=rules.is_case_officer_of)
    def accept_answer(self) -> None:
        self.closed_at = timezone.now()

    @transition(field=state, source=OS.ANSWERED, target=OS.ISSUED, permission=rules.is_case_officer_of)
    def reject_answer(self, *, due_on: date, reminder_on: date) -> None:
        self.due_on = due_on
        self.reminder_on = reminder_on
        self.reminder_sent_at = None
        self.overdue_since = None
        self.grace_until = None

    @transition(
        field=state, source=[OS.DRAFT, *AWAITING_ANSWER], target=OS.WITHDRAWN, permission=rules.is_case_officer_of
    )
    def withdraw(self) -> None:
        self.closed_at = timezone.now()


# Object permissions on orders with a real foreign key (django-guardian "direct" permissions):
# a liaison's order list joins on an index instead of casting every order id to text.
class DisclosureOrderUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(DisclosureOrder, on_delete=models.CASCADE)


class DisclosureOrderGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(DisclosureOrder, on_delete=models.CASCADE)
