"""The case and its state machine (DESIGN.md §4 "Case").

A transition changes the case and nothing else; the services in `cases.services` lock the
row, check the guard for the user, run the transition, write the audit event and queue
the letter."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import connection, models
from django.db.models.expressions import RawSQL
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, FSMField, transition
from guardian.models import GroupObjectPermissionBase, UserObjectPermissionBase

from cases import rules
from cases.models.assessment import Proposal
from cases.models.intake import Channel, FilerRole, OffenceCategory
from ombudsman.core.choices import ChoiceLabelsMixin
from ombudsman.core.transitions import ConcurrentTransitions
from platforms.models import Service


class CaseState(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    IN_ASSESSMENT = "in_assessment", _("In assessment")
    AWAITING_INFORMATION = "awaiting_information", _("Awaiting information")
    IN_REVIEW = "in_review", _("In review")
    ESTABLISHED = "established", _("Established")
    REJECTED = "rejected", _("Rejected")
    DISCLOSURE_PENDING = "disclosure_pending", _("Disclosure pending")
    IDENTIFIED = "identified", _("Identified")
    NOT_IDENTIFIED = "not_identified", _("Not identified")
    CLOSED = "closed", _("Closed")
    WITHDRAWN = "withdrawn", _("Withdrawn")


S = CaseState
# States in which the complaint is still being handled (and may be withdrawn).
OPEN_STATES = [S.SUBMITTED, S.IN_ASSESSMENT, S.AWAITING_INFORMATION, S.IN_REVIEW, S.ESTABLISHED, S.DISCLOSURE_PENDING]
# States in which the handling target is shown and flagged in the work queue.
CLOCK_STATES = [S.SUBMITTED, S.IN_ASSESSMENT, S.IN_REVIEW, S.ESTABLISHED, S.DISCLOSURE_PENDING]
# 0 while the handling clock runs, 1 while it is stopped, 2 once the case has ended: the queue's
# "nearest target first" puts the cases whose target still matters before the others.
CLOCK_LAST = models.Case(
    # Conditions in the order the migration writes them, or makemigrations sees a change each time.
    models.When(paused_since__isnull=True, state__in=CLOCK_STATES, then=models.Value(0)),
    models.When(state__in=OPEN_STATES, then=models.Value(1)),
    default=models.Value(2),
    output_field=models.IntegerField(),
)

# Whose work queue lists the case: the assigned officer's, or 0 for the intake queue (submitted and
# not yet assigned); NULL otherwise. Officers' queues read one or two values of it from an index.
QUEUE_OWNER = Coalesce(
    "assigned_to_id",
    models.Case(models.When(state=S.SUBMITTED, then=models.Value(0))),
    output_field=models.BigIntegerField(),
)
INTAKE_QUEUE = 0


class IdentityRecipient(models.TextChoices):
    """Who receives the identity of the holder: the complainant decides (at intake or later)."""

    COMPLAINANT = "complainant", _("Me (the complainant)")
    POLICE = "police", _("The police")
    PROSECUTOR = "prosecutor", _("The public prosecutor")


def disclosure_chain_ended(case: Case) -> bool:
    """No order of the case is still open: the chain has ended."""
    from platforms.models import ACTIVE_ORDER_STATES, DisclosureOrder

    return not DisclosureOrder.objects.filter(
        models.Q(case=case) | models.Q(joint_cases=case), state__in=ACTIVE_ORDER_STATES
    ).exists()


class ClosureReason(models.TextChoices):
    COMPLETED = "completed", _("Handling completed")
    LAPSED = "lapsed", _("No reply to a request for information")


@dataclass(frozen=True)
class HandlingStatus:
    due_on: date
    paused_since: date | None
    days_left: int
    days_late: int
    near: bool


class FourEyesViolation(PermissionDenied):
    """The proposer of an assessment tried to review it."""


class ReferenceSequence(models.Model):
    """The last case number given out in a year."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.year}: {self.last_number}"

    @classmethod
    def next_number(cls, year: int, count: int = 1) -> int:
        """Atomically take the next number of `year` (one statement, safe under concurrency);
        with `count`, a block of numbers, of which it returns the last."""
        sql, params = cls.next_number_sql(year, count)
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            return cursor.fetchone()[0]

    @classmethod
    def next_number_sql(cls, year: int, count: int = 1) -> tuple[str, list[int]]:
        """The statement of `next_number`, returning `last_number`, for use inside another."""
        table = connection.ops.quote_name(cls._meta.db_table)
        # Django's ORM cannot express an upsert that returns the new value; one SQL statement does.
        sql = (
            f"INSERT INTO {table} (year, last_number) VALUES (%s, %s) "  # noqa: S608 (table name is ours)
            f"ON CONFLICT (year) DO UPDATE SET last_number = {table}.last_number + %s "
            "RETURNING last_number"
        )
        return sql, [year, count, count]


class Case(ChoiceLabelsMixin, ConcurrentTransitions, models.Model):
    """A complaint and its handling, from submission to closure."""

    # Unique by a constraint (Meta) rather than unique=True, which would add a second index for
    # LIKE searches that nothing makes: every index more is one more write at each complaint.
    reference = models.CharField(_("reference"), max_length=20, editable=False)
    # Found through the indexes that start with it (Meta).
    state = FSMField(_("state"), default=S.SUBMITTED, choices=CaseState.choices, protected=True)
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.WEB)
    language = models.CharField(_("language of correspondence"), max_length=2, choices=settings.LETTER_LANGUAGES)

    filer_role = models.CharField(_("who files"), max_length=10, choices=FilerRole.choices)
    complainant_first_name = models.CharField(_("first name"), max_length=100)
    complainant_last_name = models.CharField(_("last name"), max_length=100)
    complainant_email = models.EmailField(_("e-mail"), blank=True)
    complainant_phone = models.CharField(_("phone"), max_length=40, blank=True)
    street = models.CharField(_("street and number"), max_length=200)
    postal_code = models.CharField(_("postal code"), max_length=12)
    city = models.CharField(_("city"), max_length=100)
    country = models.CharField(_("country"), max_length=60, default="Belgium")
    victim_name = models.CharField(
        _("name of the victim"), max_length=200, blank=True, help_text=_("When you file for someone else.")
    )

    service = models.ForeignKey(
        Service, verbose_name=_("service"), on_delete=models.PROTECT, related_name="+", db_index=False
    )  # indexed with submitted_at (Meta)
    offence_categories = models.JSONField(_("offence categories"), default=list)
    description = models.TextField(_("description"))
    police_report_number = models.CharField(_("police report number"), max_length=60, blank=True)
    declared_truthful = models.BooleanField(_("declared truthful"), default=False)
    consented_to_processing = models.BooleanField(_("consented to processing"), default=False)

    submitted_at = models.DateTimeField(_("submitted"), default=timezone.now)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("entered by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("The staff member who entered a complaint received by post or e-mail."),
    )

    identity_recipient = models.CharField(
        _("identity sent to"), max_length=12, choices=IdentityRecipient.choices, default=IdentityRecipient.COMPLAINANT
    )
    identity_recipient_name = models.CharField(_("police zone or prosecutor's office"), max_length=200, blank=True)
    identity_recipient_address = models.TextField(_("its address"), blank=True)

    # Handling: who, the current proposal, the handling clock, closure.
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assigned to"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_cases",
        db_index=False,  # indexed with state (Meta)
    )
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    proposal = models.CharField(_("proposal"), max_length=20, choices=Proposal.choices, blank=True)
    handling_started_on = models.DateField(_("handling started"))
    handling_paused_days = models.PositiveIntegerField(_("days paused"), default=0)
    paused_since = models.DateField(_("paused since"), null=True, blank=True)
    handling_due_on = models.DateField(_("handling target"))
    information_due_on = models.DateField(_("information due"), null=True, blank=True)
    closed_on = models.DateField(_("closed"), null=True, blank=True)
    closure_reason = models.CharField(_("closure"), max_length=20, choices=ClosureReason.choices, blank=True)
    # CLOCK_LAST kept by PostgreSQL in a column of its own: the index of the queue's "nearest target
    # first" then holds three narrow columns, which a deep page skips faster than an expression
    # index with the columns of its expression included.
    clock_order = models.GeneratedField(expression=CLOCK_LAST, output_field=models.IntegerField(), db_persist=True)

    class Meta:
        ordering = ["submitted_at", "id"]
        indexes = [
            models.Index(fields=["state", "submitted_at"]),
            models.Index(fields=["service", "submitted_at"]),
            models.Index(fields=["channel", "submitted_at"]),
            models.Index(fields=["submitted_at", "id"]),
            models.Index(fields=["assigned_to", "state"]),
            models.Index(fields=["state", "handling_due_on"]),
            # The work queue sorted by "nearest target first"; `id` lets a deep page read the index alone.
            models.Index(fields=["clock_order", "handling_due_on", "id"], name="case_queue_deadline"),
            # An officer's queue, in either order: the columns of the filters and sorts are included,
            # so that the officer's few tens of thousands of cases are read from the index alone
            # (with the columns of QUEUE_OWNER itself: PostgreSQL reads an expression index alone
            # only when it holds the columns the expression is made of).
            models.Index(
                QUEUE_OWNER,
                "submitted_at",
                "id",
                name="case_queue_owner",
                include=["assigned_to", "state", "paused_since", "handling_due_on", "service", "channel"],
            ),
            models.Index(
                QUEUE_OWNER,
                "clock_order",
                "handling_due_on",
                "id",
                name="case_queue_owner_deadline",
                include=["assigned_to", "state", "paused_since", "service", "channel"],
            ),
            models.Index(
                fields=["information_due_on"],
                name="case_information_due",
                condition=models.Q(state="awaiting_information"),
            ),
            # The retention purge walks the ended cases by closure date (ombudsman.privacy).
            models.Index(
                fields=["closed_on", "id"],
                name="case_ended_closed_on",
                condition=models.Q(state__in=["closed", "withdrawn"]),
                include=["submitted_at"],  # the median handling time reads the index alone
            ),
        ]
        constraints = [models.UniqueConstraint(fields=["reference"], name="cases_case_reference_key")]
        verbose_name = _("case")
        verbose_name_plural = _("cases")

    def __str__(self) -> str:
        return self.reference

    @property
    def complainant_name(self) -> str:
        return f"{self.complainant_first_name} {self.complainant_last_name}".strip()

    @property
    def postal_address(self) -> str:
        return f"{self.street}\n{self.postal_code} {self.city}\n{self.country}"

    def offence_category_labels(self) -> list[str]:
        labels = dict(OffenceCategory.choices)
        return [str(labels.get(code, code)) for code in self.offence_categories]

    @staticmethod
    def format_reference(year: int, number: int) -> str:
        return f"OMB-{year}-{number:06d}"

    @staticmethod
    def reference_sql(year: int, number_sql: str) -> RawSQL:
        """`format_reference` in SQL, for a reference numbered inside the statement that inserts
        the case; `number_sql` gives the number."""
        digits = "lpad(number::text, greatest(6, length(number::text)), '0')"
        sql = f"(SELECT 'OMB-' || %s || '-' || {digits} FROM ({number_sql}) AS taken (number))"  # noqa: S608
        return RawSQL(sql, [str(year)])  # noqa: S611 (our own SQL; the year is a parameter)

    # The handling clock: 90 days from the complete file, stopped while awaiting information.

    @property
    def handling_paused(self) -> bool:
        return self.paused_since is not None

    def handling_status(self, today: date | None = None) -> HandlingStatus | None:
        """Where the case stands against its handling target (None once it is concluded)."""
        if self.state not in CLOCK_STATES and self.state != S.AWAITING_INFORMATION:
            return None
        today = today or timezone.localdate()
        days_left = (self.handling_due_on - today).days
        return HandlingStatus(
            due_on=self.handling_due_on,
            paused_since=self.paused_since,
            days_left=max(days_left, 0),
            days_late=max(-days_left, 0),
            near=not self.handling_paused and days_left <= settings.CASE_HANDLING_NEAR_DAYS,
        )

    def _pause_clock(self, today: date) -> None:
        self.paused_since = today

    def _resume_clock(self, today: date) -> None:
        from ombudsman.deadlines import legal_due_date

        if self.paused_since is not None:
            self.handling_paused_days += max((today - self.paused_since).days, 0)
            self.paused_since = None
        self.handling_due_on = legal_due_date(
            self.handling_started_on, settings.CASE_HANDLING_TARGET_DAYS + self.handling_paused_days
        )

    # Transitions. Each guard (`permission`) is a rule of cases.rules.

    @transition(field=state, source=S.SUBMITTED, target=S.IN_ASSESSMENT, permission=rules.may_take_intake)
    def assign(self, *, officer: Any) -> None:
        self.assigned_to = officer

    @transition(
        field=state,
        source=[s for s in S if s not in (S.SUBMITTED, S.CLOSED, S.WITHDRAWN)],
        target=None,
        permission=rules.may_reassign,
    )
    def reassign(self, *, officer: Any) -> None:
        if officer.pk == self.assigned_to_id:
            raise ValueError("The case is already assigned to this officer.")
        self.assigned_to = officer

    @transition(field=state, source=S.IN_ASSESSMENT, target=S.AWAITING_INFORMATION, permission=rules.may_assess)
    def request_information(self, *, reply_by: date, today: date) -> None:
        self.information_due_on = reply_by
        self._pause_clock(today)

    @transition(field=state, source=S.AWAITING_INFORMATION, target=S.IN_ASSESSMENT, permission=rules.may_assess)
    def receive_information(self, *, today: date) -> None:
        self.information_due_on = None
        self._resume_clock(today)

    @transition(field=state, source=S.AWAITING_INFORMATION, target=S.CLOSED, permission=rules.system_only)
    def lapse(self, *, today: date) -> None:
        self.information_due_on = None
        self.closed_on = today
        self.closure_reason = ClosureReason.LAPSED

    @transition(field=state, source=S.IN_ASSESSMENT, target=S.IN_REVIEW, permission=rules.may_assess)
    def propose_decision(self, *, by: Any, proposal: str) -> None:
        self.proposed_by = by
        self.proposal = proposal

    @transition(field=state, source=S.IN_REVIEW, target=S.IN_ASSESSMENT, permission=rules.may_review)
    def send_back(self, *, by: Any) -> None:
        self._check_four_eyes(by)
        self.proposed_by = None
        self.proposal = ""

    @transition(
        field=state,
        source=S.IN_REVIEW,
        target=RETURN_VALUE(S.ESTABLISHED, S.REJECTED),
        permission=rules.may_review,
    )
    def approve(self, *, by: Any) -> str:
        self._check_four_eyes(by)
        return S.ESTABLISHED if self.proposal == Proposal.ESTABLISHED else S.REJECTED

    def _check_four_eyes(self, reviewer: Any) -> None:
        # In the transition itself, so no caller can skip it.
        if reviewer is None or self.proposed_by_id is None or reviewer.pk == self.proposed_by_id:
            raise FourEyesViolation("The proposer of an assessment cannot review it.")

    # The disclosure chain (platforms app): issuing the first order and accepting an answer
    # that names a holder move the case; their guards are those of the order's steps.
    @transition(field=state, source=S.ESTABLISHED, target=S.DISCLOSURE_PENDING, permission=rules.system_only)
    def order_disclosure(self) -> None:
        pass

    @transition(field=state, source=S.DISCLOSURE_PENDING, target=S.IDENTIFIED, permission=rules.system_only)
    def record_identified(self) -> None:
        pass

    @transition(
        field=state,
        source=S.DISCLOSURE_PENDING,
        target=S.NOT_IDENTIFIED,
        permission=rules.may_assess,
        conditions=[disclosure_chain_ended],
    )
    def record_not_identified(self) -> None:
        pass

    @transition(
        field=state,
        source=[S.IDENTIFIED, S.NOT_IDENTIFIED, S.REJECTED],
        target=S.CLOSED,
        permission=rules.may_close_or_withdraw,
    )
    def close(self, *, today: date) -> None:
        self.closed_on = today
        self.closure_reason = ClosureReason.COMPLETED

    @transition(field=state, source=OPEN_STATES, target=S.WITHDRAWN, permission=rules.may_close_or_withdraw)
    def withdraw(self, *, today: date) -> None:
        self.information_due_on = None
        self.closed_on = today


# Object permissions on cases with a real foreign key (django-guardian "direct" permissions):
# listing an officer's cases joins on an index instead of casting every case id to text.
class CaseUserObjectPermission(UserObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)


class CaseGroupObjectPermission(GroupObjectPermissionBase):
    content_object = models.ForeignKey(Case, on_delete=models.CASCADE)
